/**
 * Delivers handoffs to a contact-centre webhook: POST JSON signed with HMAC-SHA256 over
 * `timestamp.body` (header `x-teller-signature: sha256=<hex>`, `x-teller-timestamp: <unix seconds>`),
 * so the receiver can check origin and reject replays. Retries 5xx, 429, timeouts and network
 * errors with exponential backoff; never throws into the turn.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { HandoffDeliveryResult, HandoffEnvelope, HandoffSink } from '../turn/handoff-sink.js';

export const SIGNATURE_HEADER = 'x-teller-signature';
export const TIMESTAMP_HEADER = 'x-teller-timestamp';

export interface WebhookHandoffSinkOptions {
  readonly url: string;
  /** Shared secret for the HMAC signature (at least 32 characters). */
  readonly secret: string;
  readonly fetch?: typeof globalThis.fetch;
  readonly maxAttempts?: number;
  readonly timeoutMs?: number;
  /** First backoff delay; doubled after each failed attempt. */
  readonly backoffMs?: number;
  readonly sleep?: (milliseconds: number) => Promise<void>;
  readonly now?: () => Date;
}

/** `sha256=<hex>` of HMAC-SHA256(secret, `${timestamp}.${body}`). */
export function signWebhookBody(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Receiver-side check (also used in tests): valid signature and a timestamp within tolerance. */
export function verifyWebhookSignature({
  secret,
  body,
  timestamp,
  signature,
  toleranceSeconds = 300,
  now = new Date(),
}: {
  secret: string;
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
  toleranceSeconds?: number;
  now?: Date;
}): boolean {
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhookBody(secret, timestamp, body));
  const actual = Buffer.from(signature);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function retryable(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

/** Webhook sink; see the module comment for the protocol. */
export class WebhookHandoffSink implements HandoffSink {
  private readonly fetch: typeof globalThis.fetch;
  private readonly maxAttempts: number;
  private readonly timeoutMs: number;
  private readonly backoffMs: number;
  private readonly sleep: (milliseconds: number) => Promise<void>;
  private readonly now: () => Date;

  constructor(private readonly options: WebhookHandoffSinkOptions) {
    if (!/^https?:\/\//.test(options.url))
      throw new Error(`Handoff webhook url must be http(s): got "${options.url}"`);
    if (options.secret.length < 32)
      throw new Error(
        'Handoff webhook secret must be at least 32 characters; generate one with `openssl rand -hex 32`.',
      );
    this.fetch = options.fetch ?? globalThis.fetch;
    this.maxAttempts = options.maxAttempts ?? 4;
    this.timeoutMs = options.timeoutMs ?? 3000;
    this.backoffMs = options.backoffMs ?? 250;
    this.sleep =
      options.sleep ?? ((milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds)));
    this.now = options.now ?? (() => new Date());
  }

  async deliver(envelope: HandoffEnvelope): Promise<HandoffDeliveryResult> {
    const body = JSON.stringify(envelope);
    let status: number | undefined;
    let error: string | undefined;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt += 1) {
      // Signed per attempt, so a late retry still carries a fresh timestamp.
      const timestamp = String(Math.floor(this.now().getTime() / 1000));
      try {
        const response = await this.fetch(this.options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [TIMESTAMP_HEADER]: timestamp,
            [SIGNATURE_HEADER]: signWebhookBody(this.options.secret, timestamp, body),
            'idempotency-key': envelope.handoffId,
          },
          body,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        status = response.status;
        await response.body?.cancel().catch(() => undefined);
        if (response.ok) return { delivered: true, attempts: attempt, status };
        error = `HTTP ${response.status}`;
        if (!retryable(response.status)) return { delivered: false, attempts: attempt, status, error };
      } catch (cause) {
        status = undefined;
        error =
          cause instanceof Error && cause.name === 'TimeoutError'
            ? `timeout after ${this.timeoutMs} ms`
            : `network error: ${(cause as Error).message}`;
      }
      if (attempt < this.maxAttempts) await this.sleep(this.backoffMs * 2 ** (attempt - 1));
    }
    return { delivered: false, attempts: this.maxAttempts, status, error };
  }
}
