import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { type CoreBankingAdapter, NotFoundForCustomerError, UpstreamError } from './adapter.js';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.js';
import {
  type Account,
  accountSchema,
  type Balance,
  balanceSchema,
  type Card,
  type CardState,
  type ContactDetails,
  cardSchema,
  contactDetailsSchema,
  type DirectDebit,
  type Dispute,
  directDebitSchema,
  disputeSchema,
  type StandingOrder,
  standingOrderSchema,
  type TransactionPage,
  type TransactionQuery,
  transactionPageSchema,
  transactionQuerySchema,
} from './types.js';

export interface HttpCoreBankingAdapterOptions {
  /** Base URL of the bank's core API, e.g. `https://core.internal.example/v1`. */
  readonly baseUrl: string;
  /** Service credential sent as `Authorization: Bearer …`. Never a customer's token. */
  readonly serviceToken: string;
  /** Per-attempt timeout. */
  readonly timeoutMs?: number;
  /** Extra attempts for idempotent reads after a timeout, network error, 429 or 5xx. Writes never retry. */
  readonly readRetries?: number;
  /** First backoff delay; doubles per retry, with jitter. */
  readonly retryBaseDelayMs?: number;
  readonly circuitBreaker?: CircuitBreakerOptions;
  /** Injected for tests and custom agents. */
  readonly fetch?: typeof fetch;
}

type Schema<T> = z.ZodType<T>;

/** Upstream statuses worth retrying (for reads) and counting against the breaker. */
function isTransientStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * `CoreBankingAdapter` over a bank's own HTTP API. Every response is validated with zod; every
 * failure becomes an `UpstreamError` (timeout, unavailable, circuit_open, invalid_response,
 * rejected) or `NotFoundForCustomerError` (404), never a hang. Endpoints are listed in docs/tools.md.
 */
export class HttpCoreBankingAdapter implements CoreBankingAdapter {
  readonly #baseUrl: string;
  readonly #serviceToken: string;
  readonly #timeoutMs: number;
  readonly #readRetries: number;
  readonly #retryBaseDelayMs: number;
  readonly #fetch: typeof fetch;
  readonly breaker: CircuitBreaker;

  constructor(options: HttpCoreBankingAdapterOptions) {
    if (!options.baseUrl) {
      throw new Error("HttpCoreBankingAdapter needs a base URL. Pass it using the 'baseUrl' option.");
    }
    if (!options.serviceToken) {
      throw new Error(
        "HttpCoreBankingAdapter needs service credentials. Pass them using the 'serviceToken' option.",
      );
    }
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#serviceToken = options.serviceToken;
    this.#timeoutMs = options.timeoutMs ?? 3_000;
    this.#readRetries = options.readRetries ?? 2;
    this.#retryBaseDelayMs = options.retryBaseDelayMs ?? 100;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.breaker = new CircuitBreaker(options.circuitBreaker);
  }

  async listAccounts(customerId: string): Promise<readonly Account[]> {
    const body = await this.#read(
      this.#path(customerId, 'accounts'),
      z.object({ accounts: z.array(accountSchema) }),
      'customer',
    );
    return body.accounts;
  }

  async getBalance(customerId: string, accountId: string): Promise<Balance> {
    return this.#read(this.#path(customerId, 'accounts', accountId, 'balance'), balanceSchema, 'account');
  }

  async listTransactions(customerId: string, rawQuery: TransactionQuery): Promise<TransactionPage> {
    const query = transactionQuerySchema.parse(rawQuery);
    const search = new URLSearchParams();
    for (const accountId of query.accountIds ?? []) search.append('accountId', accountId);
    if (query.from) search.set('from', query.from);
    if (query.to) search.set('to', query.to);
    if (query.minAmountMinor !== undefined) search.set('minAmountMinor', String(query.minAmountMinor));
    if (query.maxAmountMinor !== undefined) search.set('maxAmountMinor', String(query.maxAmountMinor));
    if (query.merchant) search.set('merchant', query.merchant);
    if (query.direction) search.set('direction', query.direction);
    search.set('limit', String(query.limit));
    if (query.cursor) search.set('cursor', query.cursor);
    return this.#read(
      `${this.#path(customerId, 'transactions')}?${search}`,
      transactionPageSchema,
      'account',
    );
  }

  async listCards(customerId: string): Promise<readonly Card[]> {
    return (
      await this.#read(this.#path(customerId, 'cards'), z.object({ cards: z.array(cardSchema) }), 'customer')
    ).cards;
  }

  async setCardState(customerId: string, cardId: string, state: CardState): Promise<Card> {
    return this.#write(
      'PUT',
      this.#path(customerId, 'cards', cardId, 'state'),
      { state },
      cardSchema,
      'card',
    );
  }

  async listStandingOrders(customerId: string): Promise<readonly StandingOrder[]> {
    const schema = z.object({ standingOrders: z.array(standingOrderSchema) });
    return (await this.#read(this.#path(customerId, 'standing-orders'), schema, 'customer')).standingOrders;
  }

  async listDirectDebits(customerId: string): Promise<readonly DirectDebit[]> {
    const schema = z.object({ directDebits: z.array(directDebitSchema) });
    return (await this.#read(this.#path(customerId, 'direct-debits'), schema, 'customer')).directDebits;
  }

  async getContactDetails(customerId: string): Promise<ContactDetails> {
    return this.#read(this.#path(customerId, 'contact-details'), contactDetailsSchema, 'customer');
  }

  async openDispute(
    customerId: string,
    request: { transactionId: string; reason: string },
  ): Promise<Dispute> {
    return this.#write('POST', this.#path(customerId, 'disputes'), request, disputeSchema, 'transaction');
  }

  #path(...segments: string[]): string {
    return `/customers/${segments.map((segment) => encodeURIComponent(segment)).join('/')}`;
  }

  async #read<T>(
    path: string,
    schema: Schema<T>,
    resource: NotFoundForCustomerError['resource'],
  ): Promise<T> {
    let lastError: UpstreamError | undefined;
    for (let attempt = 0; attempt <= this.#readRetries; attempt += 1) {
      if (attempt > 0) {
        const delay = this.#retryBaseDelayMs * 2 ** (attempt - 1);
        await new Promise((resolve) => setTimeout(resolve, delay + Math.floor(Math.random() * (delay / 2))));
      }
      try {
        return await this.#send('GET', path, undefined, schema, resource);
      } catch (error) {
        if (!(error instanceof UpstreamError) || !['timeout', 'unavailable'].includes(error.code))
          throw error;
        lastError = error;
      }
    }
    throw lastError!;
  }

  async #write<T>(
    method: 'POST' | 'PUT',
    path: string,
    body: unknown,
    schema: Schema<T>,
    resource: NotFoundForCustomerError['resource'],
  ): Promise<T> {
    // No retries: a write that timed out may have happened. The idempotency key lets the bank
    // de-duplicate if its client library retries underneath.
    return this.#send(method, path, body, schema, resource, { 'Idempotency-Key': randomUUID() });
  }

  async #send<T>(
    method: string,
    path: string,
    body: unknown,
    schema: Schema<T>,
    resource: NotFoundForCustomerError['resource'],
    headers: Record<string, string> = {},
  ): Promise<T> {
    if (!this.breaker.tryAcquire()) {
      throw new UpstreamError('Core banking circuit is open; not calling upstream', 'circuit_open');
    }
    let response: Response;
    try {
      response = await this.#fetch(`${this.#baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.#serviceToken}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      this.breaker.recordFailure();
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new UpstreamError(
        timedOut ? `Core banking did not answer within ${this.#timeoutMs} ms` : 'Core banking is unreachable',
        timedOut ? 'timeout' : 'unavailable',
        undefined,
        { cause: error },
      );
    }
    if (response.status === 404) {
      this.breaker.release();
      await response.body?.cancel();
      throw new NotFoundForCustomerError(resource);
    }
    if (!response.ok) {
      await response.body?.cancel();
      if (isTransientStatus(response.status)) {
        this.breaker.recordFailure();
        throw new UpstreamError(`Core banking answered ${response.status}`, 'unavailable', response.status);
      }
      this.breaker.release();
      throw new UpstreamError(
        `Core banking rejected the request with ${response.status}`,
        'rejected',
        response.status,
      );
    }
    let json: unknown;
    try {
      json = await response.json();
    } catch (error) {
      this.breaker.recordFailure();
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new UpstreamError(
        timedOut ? 'Core banking response body timed out' : 'Core banking sent a body that is not JSON',
        timedOut ? 'timeout' : 'invalid_response',
        response.status,
        { cause: error },
      );
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      this.breaker.recordFailure();
      throw new UpstreamError(
        'Core banking sent a response that does not match the expected shape',
        'invalid_response',
        response.status,
      );
    }
    this.breaker.recordSuccess();
    return parsed.data;
  }
}
