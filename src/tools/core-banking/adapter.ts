import type {
  Account,
  Balance,
  Card,
  CardState,
  ContactDetails,
  DirectDebit,
  Dispute,
  StandingOrder,
  TransactionPage,
  TransactionQuery,
} from './types.js';

/**
 * The seam to a bank's core system. Every method is scoped to one customer, so an implementation
 * can (and both ours do) refuse anything that customer does not own: a second line of defence
 * behind the ownership checks in the tools.
 *
 * Implementations: `EmbeddedBank` (seeded SQLite demo bank) and `HttpCoreBankingAdapter`
 * (a bank's own API).
 */
export interface CoreBankingAdapter {
  listAccounts(customerId: string): Promise<readonly Account[]>;
  getBalance(customerId: string, accountId: string): Promise<Balance>;
  listTransactions(customerId: string, query: TransactionQuery): Promise<TransactionPage>;
  listCards(customerId: string): Promise<readonly Card[]>;
  setCardState(customerId: string, cardId: string, state: CardState): Promise<Card>;
  listStandingOrders(customerId: string): Promise<readonly StandingOrder[]>;
  listDirectDebits(customerId: string): Promise<readonly DirectDebit[]>;
  getContactDetails(customerId: string): Promise<ContactDetails>;
  openDispute(customerId: string, request: { transactionId: string; reason: string }): Promise<Dispute>;
}

/** A resource does not exist for this customer (it may exist for someone else: we never say). */
export class NotFoundForCustomerError extends Error {
  override readonly name = 'NotFoundForCustomerError';
  constructor(readonly resource: 'account' | 'card' | 'transaction' | 'customer') {
    super(`${resource} not found for this customer`);
  }
}

/** The core system failed, timed out, or answered with something we could not trust. */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  constructor(
    message: string,
    readonly code: 'timeout' | 'unavailable' | 'circuit_open' | 'invalid_response' | 'rejected',
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
