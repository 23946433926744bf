import type { Database } from 'better-sqlite3';

/**
 * Creates the embedded bank's tables (all prefixed `bank_`) if they do not exist yet. Safe to run
 * on every start-up and alongside other modules' tables in the same database file.
 */
export function migrate(db: Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS bank_customers (
      id TEXT PRIMARY KEY,
      full_name TEXT NOT NULL,
      email TEXT NOT NULL,
      phone TEXT NOT NULL,
      postcode TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS bank_accounts (
      id TEXT PRIMARY KEY,
      customer_id TEXT NOT NULL REFERENCES bank_customers(id),
      kind TEXT NOT NULL CHECK (kind IN ('current', 'savings')),
      name TEXT NOT NULL,
      account_number TEXT NOT NULL,
      sort_code TEXT NOT NULL,
      currency TEXT NOT NULL,
      opening_minor INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS bank_accounts_customer ON bank_accounts(customer_id);
    CREATE TABLE IF NOT EXISTS bank_transactions (
      id TEXT PRIMARY KEY,
      account_id TEXT NOT NULL REFERENCES bank_accounts(id),
      date TEXT NOT NULL,
      description TEXT NOT NULL,
      merchant TEXT,
      category TEXT NOT NULL,
      amount_minor INTEGER NOT NULL,
      currency TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('booked', 'pending'))
    );
    CREATE INDEX IF NOT EXISTS bank_transactions_account_date ON bank_transactions(account_id, date);
    CREATE TABLE IF NOT EXISTS bank_cards (
      id TEXT PRIMARY KEY,
      customer_id TEXT NOT NULL REFERENCES bank_customers(id),
      account_id TEXT REFERENCES bank_accounts(id),
      kind TEXT NOT NULL CHECK (kind IN ('debit', 'credit')),
      brand TEXT NOT NULL,
      last4 TEXT NOT NULL,
      state TEXT NOT NULL,
      expires TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS bank_standing_orders (
      id TEXT PRIMARY KEY,
      account_id TEXT NOT NULL REFERENCES bank_accounts(id),
      payee TEXT NOT NULL,
      amount_minor INTEGER NOT NULL,
      currency TEXT NOT NULL,
      frequency TEXT NOT NULL,
      next_date TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS bank_direct_debits (
      id TEXT PRIMARY KEY,
      account_id TEXT NOT NULL REFERENCES bank_accounts(id),
      payee TEXT NOT NULL,
      reference TEXT NOT NULL,
      last_amount_minor INTEGER,
      currency TEXT NOT NULL,
      last_date TEXT
    );
    CREATE TABLE IF NOT EXISTS bank_disputes (
      id TEXT PRIMARY KEY,
      transaction_id TEXT NOT NULL REFERENCES bank_transactions(id),
      customer_id TEXT NOT NULL,
      reason TEXT NOT NULL,
      status TEXT NOT NULL,
      opened_at TEXT NOT NULL
    );
  `);
}
