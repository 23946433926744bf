import type { Database } from 'better-sqlite3';
import { withStatementCache } from '../../store/database.js';
import type { Currency } from '../money.js';
import { type CoreBankingAdapter, NotFoundForCustomerError } from './adapter.js';
import { migrate } from './schema.js';
import {
  type Account,
  type Balance,
  type Card,
  type CardState,
  type ContactDetails,
  type DirectDebit,
  type Dispute,
  type StandingOrder,
  type Transaction,
  type TransactionPage,
  type TransactionQuery,
  transactionQuerySchema,
} from './types.js';

export interface EmbeddedBankOptions {
  /** An open better-sqlite3 database; the bank owns only its `bank_` tables in it. */
  readonly database: Database;
  /** Clock for balances' `asOf` and dispute timestamps. */
  readonly now?: () => Date;
}

interface AccountRow {
  id: string;
  customer_id: string;
  kind: 'current' | 'savings';
  name: string;
  account_number: string;
  sort_code: string;
  currency: Currency;
  opening_minor: number;
}

interface TransactionRow {
  id: string;
  account_id: string;
  date: string;
  description: string;
  merchant: string | null;
  category: string;
  amount_minor: number;
  currency: Currency;
  status: 'booked' | 'pending';
}

interface CardRow {
  id: string;
  customer_id: string;
  account_id: string | null;
  kind: 'debit' | 'credit';
  brand: string;
  last4: string;
  state: CardState;
  expires: string;
}

function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    customerId: row.customer_id,
    kind: row.kind,
    name: row.name,
    accountNumber: row.account_number,
    sortCode: row.sort_code,
    currency: row.currency,
  };
}

function toTransaction(row: TransactionRow): Transaction {
  return {
    id: row.id,
    accountId: row.account_id,
    date: row.date,
    description: row.description,
    merchant: row.merchant,
    category: row.category,
    amount: { minor: row.amount_minor, currency: row.currency },
    status: row.status,
  };
}

function toCard(row: CardRow): Card {
  return {
    id: row.id,
    customerId: row.customer_id,
    accountId: row.account_id,
    kind: row.kind,
    brand: row.brand,
    last4: row.last4,
    state: row.state,
    expires: row.expires,
  };
}

/** Cursors are opaque to callers; internally an offset into the ordered result. */
function encodeCursor(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  const match = /^o:(\d{1,7})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : 0;
}

/**
 * Whole-word, case-insensitive match, so "TfL" does not match "Netflix" and "rent" does not match
 * "current". Registered as a SQLite function so counts and paging stay in SQL.
 */
function matchesWords(haystack: unknown, needle: unknown): number {
  if (typeof haystack !== 'string' || typeof needle !== 'string' || needle.length === 0) return 0;
  const escaped = needle.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-z0-9])${escaped}($|[^a-z0-9])`).test(haystack.toLowerCase()) ? 1 : 0;
}

/**
 * A demo core banking system in SQLite: the default adapter for development, tests and evals.
 * Every query joins through `bank_accounts.customer_id`, so another customer's data cannot be
 * returned even if a caller passes a foreign id.
 */
export class EmbeddedBank implements CoreBankingAdapter {
  /** Statements are prepared once per SQL text (see withStatementCache). */
  readonly #db: Pick<Database, 'prepare'>;
  readonly #now: () => Date;

  constructor({ database, now = () => new Date() }: EmbeddedBankOptions) {
    this.#db = withStatementCache(database);
    this.#now = now;
    migrate(database);
    database.function('bank_matches_words', { deterministic: true }, matchesWords);
  }

  async listAccounts(customerId: string): Promise<readonly Account[]> {
    const rows = this.#db
      .prepare('SELECT * FROM bank_accounts WHERE customer_id = ? ORDER BY id')
      .all(customerId) as AccountRow[];
    return rows.map(toAccount);
  }

  async getBalance(customerId: string, accountId: string): Promise<Balance> {
    const account = this.#ownedAccount(customerId, accountId);
    const sums = this.#db
      .prepare(
        `SELECT
           COALESCE(SUM(CASE WHEN status = 'booked' THEN amount_minor END), 0) AS booked,
           COALESCE(SUM(CASE WHEN status = 'pending' THEN amount_minor END), 0) AS pending
         FROM bank_transactions WHERE account_id = ?`,
      )
      .get(account.id) as { booked: number; pending: number };
    const booked = account.opening_minor + sums.booked;
    return {
      accountId: account.id,
      booked: { minor: booked, currency: account.currency },
      available: { minor: booked + Math.min(0, sums.pending), currency: account.currency },
      asOf: this.#now().toISOString(),
    };
  }

  async listTransactions(customerId: string, rawQuery: TransactionQuery): Promise<TransactionPage> {
    const query = transactionQuerySchema.parse(rawQuery);
    const conditions = ['a.customer_id = @customerId'];
    const parameters: Record<string, unknown> = { customerId };
    if (query.accountIds) {
      const owned = new Set((await this.listAccounts(customerId)).map((account) => account.id));
      for (const accountId of query.accountIds) {
        if (!owned.has(accountId)) throw new NotFoundForCustomerError('account');
      }
      const names = query.accountIds.map((_, index) => `@account${index}`);
      query.accountIds.forEach((accountId, index) => {
        parameters[`account${index}`] = accountId;
      });
      conditions.push(`t.account_id IN (${names.join(', ') || "''"})`);
    }
    if (query.from) {
      conditions.push('t.date >= @from');
      parameters.from = query.from;
    }
    if (query.to) {
      conditions.push('t.date <= @to');
      parameters.to = query.to;
    }
    if (query.minAmountMinor !== undefined) {
      conditions.push('ABS(t.amount_minor) >= @minAmount');
      parameters.minAmount = query.minAmountMinor;
    }
    if (query.maxAmountMinor !== undefined) {
      conditions.push('ABS(t.amount_minor) <= @maxAmount');
      parameters.maxAmount = query.maxAmountMinor;
    }
    if (query.merchant) {
      conditions.push(
        '(bank_matches_words(t.merchant, @merchant) OR bank_matches_words(t.description, @merchant))',
      );
      parameters.merchant = query.merchant;
    }
    if (query.direction)
      conditions.push(query.direction === 'in' ? 't.amount_minor > 0' : 't.amount_minor < 0');
    const where = conditions.join(' AND ');
    const offset = decodeCursor(query.cursor);
    const total = (
      this.#db
        .prepare(
          `SELECT COUNT(*) AS total FROM bank_transactions t JOIN bank_accounts a ON a.id = t.account_id WHERE ${where}`,
        )
        .get(parameters) as { total: number }
    ).total;
    const rows = this.#db
      .prepare(
        `SELECT t.* FROM bank_transactions t JOIN bank_accounts a ON a.id = t.account_id
         WHERE ${where} ORDER BY t.date DESC, t.id DESC LIMIT @limit OFFSET @offset`,
      )
      .all({ ...parameters, limit: query.limit, offset }) as TransactionRow[];
    const nextOffset = offset + rows.length;
    return {
      transactions: rows.map(toTransaction),
      nextCursor: nextOffset < total ? encodeCursor(nextOffset) : null,
      total,
    };
  }

  async listCards(customerId: string): Promise<readonly Card[]> {
    const rows = this.#db
      .prepare('SELECT * FROM bank_cards WHERE customer_id = ? ORDER BY id')
      .all(customerId) as CardRow[];
    return rows.map(toCard);
  }

  async setCardState(customerId: string, cardId: string, state: CardState): Promise<Card> {
    const result = this.#db
      .prepare('UPDATE bank_cards SET state = ? WHERE id = ? AND customer_id = ?')
      .run(state, cardId, customerId);
    if (result.changes === 0) throw new NotFoundForCustomerError('card');
    const row = this.#db.prepare('SELECT * FROM bank_cards WHERE id = ?').get(cardId) as CardRow;
    return toCard(row);
  }

  async listStandingOrders(customerId: string): Promise<readonly StandingOrder[]> {
    const rows = this.#db
      .prepare(
        `SELECT s.* FROM bank_standing_orders s JOIN bank_accounts a ON a.id = s.account_id
         WHERE a.customer_id = ? ORDER BY s.id`,
      )
      .all(customerId) as Array<{
      id: string;
      account_id: string;
      payee: string;
      amount_minor: number;
      currency: Currency;
      frequency: StandingOrder['frequency'];
      next_date: string;
    }>;
    return rows.map((row) => ({
      id: row.id,
      accountId: row.account_id,
      payee: row.payee,
      amount: { minor: row.amount_minor, currency: row.currency },
      frequency: row.frequency,
      nextDate: row.next_date,
    }));
  }

  async listDirectDebits(customerId: string): Promise<readonly DirectDebit[]> {
    const rows = this.#db
      .prepare(
        `SELECT d.* FROM bank_direct_debits d JOIN bank_accounts a ON a.id = d.account_id
         WHERE a.customer_id = ? ORDER BY d.id`,
      )
      .all(customerId) as Array<{
      id: string;
      account_id: string;
      payee: string;
      reference: string;
      last_amount_minor: number | null;
      currency: Currency;
      last_date: string | null;
    }>;
    return rows.map((row) => ({
      id: row.id,
      accountId: row.account_id,
      payee: row.payee,
      reference: row.reference,
      lastAmount:
        row.last_amount_minor === null ? null : { minor: row.last_amount_minor, currency: row.currency },
      lastDate: row.last_date,
    }));
  }

  async getContactDetails(customerId: string): Promise<ContactDetails> {
    const row = this.#db.prepare('SELECT * FROM bank_customers WHERE id = ?').get(customerId) as
      | { id: string; full_name: string; email: string; phone: string; postcode: string }
      | undefined;
    if (!row) throw new NotFoundForCustomerError('customer');
    return {
      customerId: row.id,
      fullName: row.full_name,
      email: row.email,
      phone: row.phone,
      postcode: row.postcode,
    };
  }

  async openDispute(
    customerId: string,
    request: { transactionId: string; reason: string },
  ): Promise<Dispute> {
    const owned = this.#db
      .prepare(
        `SELECT t.id FROM bank_transactions t JOIN bank_accounts a ON a.id = t.account_id
         WHERE t.id = ? AND a.customer_id = ?`,
      )
      .get(request.transactionId, customerId);
    if (!owned) throw new NotFoundForCustomerError('transaction');
    const count = (this.#db.prepare('SELECT COUNT(*) AS count FROM bank_disputes').get() as { count: number })
      .count;
    const dispute: Dispute = {
      id: `dp_${String(count + 1).padStart(6, '0')}`,
      transactionId: request.transactionId,
      status: 'opened',
      openedAt: this.#now().toISOString(),
    };
    this.#db
      .prepare(
        'INSERT INTO bank_disputes (id, transaction_id, customer_id, reason, status, opened_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(dispute.id, dispute.transactionId, customerId, request.reason, dispute.status, dispute.openedAt);
    return dispute;
  }

  #ownedAccount(customerId: string, accountId: string): AccountRow {
    const row = this.#db
      .prepare('SELECT * FROM bank_accounts WHERE id = ? AND customer_id = ?')
      .get(accountId, customerId) as AccountRow | undefined;
    if (!row) throw new NotFoundForCustomerError('account');
    return row;
  }
}
