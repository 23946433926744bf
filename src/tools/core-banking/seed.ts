import type { Database } from 'better-sqlite3';
import { mulberry32 } from '../../common/seeded-random.js';
import type { Currency } from '../money.js';
import { migrate } from './schema.js';

/** The date the demo data is generated around unless another is given. */
export const DEFAULT_SEED_DATE = '2026-05-20';

export interface SeedOptions {
  /** "Today" for the demo bank (ISO date); 90 days of history end here. */
  readonly today?: string;
}

interface CustomerSeed {
  readonly id: string;
  readonly fullName: string;
  readonly email: string;
  readonly phone: string;
  readonly postcode: string;
  readonly employer: string;
  readonly salaryMinor: number;
  readonly rentMinor: number;
  readonly landlord: string;
  readonly accounts: ReadonlyArray<{
    kind: 'current' | 'savings';
    name: string;
    number: string;
    currency: Currency;
    openingMinor: number;
  }>;
  readonly cards: ReadonlyArray<{
    kind: 'debit' | 'credit';
    last4: string;
    state: string;
    expires: string;
    brand: string;
  }>;
}

/** Fictional customers; every card and account suffix is unique across customers. */
const customers: readonly CustomerSeed[] = [
  {
    id: 'c_123',
    fullName: 'Amelia Hart',
    email: 'amelia.hart@example.com',
    phone: '+44 7700 900123',
    postcode: 'SW1A 1AA',
    employer: 'Northwind Ltd',
    salaryMinor: 285_000,
    rentMinor: 115_000,
    landlord: 'Harbour Lettings',
    accounts: [
      {
        kind: 'current',
        name: 'Everyday Current',
        number: '41234567',
        currency: 'GBP',
        openingMinor: 182_450,
      },
      { kind: 'savings', name: 'Easy Saver', number: '41239876', currency: 'GBP', openingMinor: 640_000 },
    ],
    cards: [
      { kind: 'debit', last4: '4821', state: 'active', expires: '09/28', brand: 'Visa' },
      { kind: 'credit', last4: '7734', state: 'active', expires: '03/27', brand: 'Mastercard' },
    ],
  },
  {
    id: 'c_456',
    fullName: 'Rohan Mistry',
    email: 'rohan.mistry@example.com',
    phone: '+44 7700 900456',
    postcode: 'M1 4BT',
    employer: 'Fabrikam Analytics',
    salaryMinor: 342_500,
    rentMinor: 98_000,
    landlord: 'Northern Homes',
    accounts: [
      {
        kind: 'current',
        name: 'Everyday Current',
        number: '52345678',
        currency: 'GBP',
        openingMinor: 95_020,
      },
      { kind: 'current', name: 'Euro Current', number: '52340011', currency: 'EUR', openingMinor: 120_000 },
    ],
    cards: [
      { kind: 'debit', last4: '5512', state: 'active', expires: '11/27', brand: 'Visa' },
      { kind: 'credit', last4: '9021', state: 'frozen', expires: '06/28', brand: 'Visa' },
    ],
  },
  {
    id: 'c_789',
    fullName: 'Grace Okafor',
    email: 'grace.okafor@example.com',
    phone: '+44 7700 900789',
    postcode: 'EH1 2NG',
    employer: 'Contoso Health',
    salaryMinor: 261_075,
    rentMinor: 87_500,
    landlord: 'Castle Property',
    accounts: [
      {
        kind: 'current',
        name: 'Everyday Current',
        number: '63456789',
        currency: 'GBP',
        openingMinor: 45_310,
      },
      { kind: 'savings', name: 'Regular Saver', number: '63450022', currency: 'GBP', openingMinor: 215_000 },
    ],
    cards: [
      { kind: 'debit', last4: '3307', state: 'active', expires: '01/29', brand: 'Visa' },
      { kind: 'debit', last4: '1188', state: 'blocked_lost', expires: '01/26', brand: 'Visa' },
    ],
  },
  {
    id: 'c_999',
    fullName: 'Tomasz Nowak',
    email: 'tomasz.nowak@example.com',
    phone: '+44 7700 900999',
    postcode: 'BS1 5TR',
    employer: 'Tailspin Logistics',
    salaryMinor: 198_040,
    rentMinor: 72_500,
    landlord: 'Avon Rentals',
    accounts: [
      {
        kind: 'current',
        name: 'Everyday Current',
        number: '74567890',
        currency: 'GBP',
        openingMinor: 30_125,
      },
    ],
    cards: [
      { kind: 'debit', last4: '6640', state: 'frozen', expires: '07/27', brand: 'Mastercard' },
      { kind: 'credit', last4: '2259', state: 'active', expires: '12/28', brand: 'Mastercard' },
    ],
  },
];

function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Integer pence in [low, high], drawn from the PRNG (no floating-point money). */
function pence(random: () => number, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1));
}

interface TransactionRow {
  date: string;
  description: string;
  merchant: string | null;
  category: string;
  amountMinor: number;
  status: 'booked' | 'pending';
}

function currentAccountHistory(
  customer: CustomerSeed,
  today: string,
  random: () => number,
): TransactionRow[] {
  const rows: TransactionRow[] = [];
  const start = addDays(today, -89);
  for (let offset = 0; offset < 90; offset += 1) {
    const date = addDays(start, offset);
    const day = Number(date.slice(8, 10));
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    const push = (description: string, merchant: string | null, category: string, amountMinor: number) =>
      rows.push({ date, description, merchant, category, amountMinor, status: 'booked' });
    if (day === 25) push(`Salary ${customer.employer}`, null, 'income', customer.salaryMinor);
    if (day === 1) push(`Rent ${customer.landlord}`, null, 'housing', -customer.rentMinor);
    if (day === 12) push('Netflix.com', 'Netflix', 'entertainment', -1099);
    if (day === 5) push('Council Tax DD', 'City Council', 'bills', -16_850);
    if (day === 8) push('Octopus Energy DD', 'Octopus Energy', 'bills', -pence(random, 6_500, 9_800));
    if (day === 28) push('Transfer to savings', null, 'transfer', -20_000);
    if (weekday === 2 || weekday === 6)
      push('TESCO STORES', 'Tesco', 'groceries', -pence(random, 845, 7_420));
    if (weekday === 0) push("SAINSBURY'S", "Sainsbury's", 'groceries', -pence(random, 1_210, 6_380));
    if (weekday >= 1 && weekday <= 5) push('TFL TRAVEL CH', 'TfL', 'transport', -pence(random, 280, 810));
    if (offset % 9 === 4) push('AMAZON.CO.UK', 'Amazon', 'shopping', -pence(random, 799, 8_999));
    if (offset % 6 === 2) push('Pret A Manger', 'Pret A Manger', 'eating_out', -pence(random, 395, 1_150));
  }
  // A refund of an Amazon purchase and one pending card payment, as real statements have.
  rows.push({
    date: addDays(today, -20),
    description: 'AMAZON.CO.UK REFUND',
    merchant: 'Amazon',
    category: 'refund',
    amountMinor: 2_499,
    status: 'booked',
  });
  rows.push({
    date: today,
    description: 'TESCO STORES',
    merchant: 'Tesco',
    category: 'groceries',
    amountMinor: -pence(random, 1_500, 4_500),
    status: 'pending',
  });
  return rows;
}

function savingsHistory(today: string): TransactionRow[] {
  const rows: TransactionRow[] = [];
  const start = addDays(today, -89);
  for (let offset = 0; offset < 90; offset += 1) {
    const date = addDays(start, offset);
    if (date.endsWith('-28')) {
      rows.push({
        date,
        description: 'Transfer from current',
        merchant: null,
        category: 'transfer',
        amountMinor: 20_000,
        status: 'booked',
      });
    }
    if (date.endsWith('-01')) {
      rows.push({
        date,
        description: 'Interest',
        merchant: null,
        category: 'interest',
        amountMinor: 1_312,
        status: 'booked',
      });
    }
  }
  return rows;
}

function euroHistory(today: string, random: () => number): TransactionRow[] {
  const rows: TransactionRow[] = [];
  for (let offset = 3; offset < 90; offset += 7) {
    rows.push({
      date: addDays(today, -offset),
      description: 'CARREFOUR PARIS',
      merchant: 'Carrefour',
      category: 'groceries',
      amountMinor: -pence(random, 1_200, 6_400),
      status: 'booked',
    });
  }
  rows.push({
    date: addDays(today, -15),
    description: 'SNCF',
    merchant: 'SNCF',
    category: 'transport',
    amountMinor: -8_450,
    status: 'booked',
  });
  return rows;
}

/**
 * Fills the `bank_` tables with a deterministic demo bank: four customers, their accounts, 90
 * days of transactions ending on `today`, cards, standing orders and direct debits. Running it
 * twice replaces the demo data rather than duplicating it.
 */
export function seedDemoBank(db: Database, options: SeedOptions = {}): void {
  const today = options.today ?? DEFAULT_SEED_DATE;
  migrate(db);
  const random = mulberry32(20_260_520);
  const insertCustomer = db.prepare(
    'INSERT INTO bank_customers (id, full_name, email, phone, postcode) VALUES (?, ?, ?, ?, ?)',
  );
  const insertAccount = db.prepare(
    `INSERT INTO bank_accounts (id, customer_id, kind, name, account_number, sort_code, currency, opening_minor)
     VALUES (?, ?, ?, ?, ?, '04-00-04', ?, ?)`,
  );
  const insertTransaction = db.prepare(
    `INSERT INTO bank_transactions (id, account_id, date, description, merchant, category, amount_minor, currency, status)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertCard = db.prepare(
    'INSERT INTO bank_cards (id, customer_id, account_id, kind, brand, last4, state, expires) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertStandingOrder = db.prepare(
    `INSERT INTO bank_standing_orders (id, account_id, payee, amount_minor, currency, frequency, next_date)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertDirectDebit = db.prepare(
    `INSERT INTO bank_direct_debits (id, account_id, payee, reference, last_amount_minor, currency, last_date)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );

  db.transaction(() => {
    for (const table of [
      'bank_disputes',
      'bank_direct_debits',
      'bank_standing_orders',
      'bank_cards',
      'bank_transactions',
      'bank_accounts',
      'bank_customers',
    ]) {
      db.exec(`DELETE FROM ${table}`);
    }
    let transactionSequence = 100_000;
    const nextMonthFirst = `${addDays(today, 32).slice(0, 7)}-01`;
    for (const customer of customers) {
      insertCustomer.run(customer.id, customer.fullName, customer.email, customer.phone, customer.postcode);
      customer.accounts.forEach((account, index) => {
        const accountId = `acc_${customer.id.slice(2)}_${index + 1}`;
        insertAccount.run(
          accountId,
          customer.id,
          account.kind,
          account.name,
          account.number,
          account.currency,
          account.openingMinor,
        );
        const history =
          account.currency === 'EUR'
            ? euroHistory(today, random)
            : account.kind === 'savings'
              ? savingsHistory(today)
              : currentAccountHistory(customer, today, random);
        history.sort((left, right) => left.date.localeCompare(right.date));
        for (const row of history) {
          transactionSequence += 1;
          insertTransaction.run(
            `tx_${transactionSequence}`,
            accountId,
            row.date,
            row.description,
            row.merchant,
            row.category,
            row.amountMinor,
            account.currency,
            row.status,
          );
        }
        if (account.kind === 'current' && account.currency === 'GBP') {
          insertStandingOrder.run(
            `so_${customer.id.slice(2)}_1`,
            accountId,
            customer.landlord,
            customer.rentMinor,
            'GBP',
            'monthly',
            nextMonthFirst,
          );
          insertStandingOrder.run(
            `so_${customer.id.slice(2)}_2`,
            accountId,
            'Own savings account',
            20_000,
            'GBP',
            'monthly',
            `${today.slice(0, 7)}-28`,
          );
          insertDirectDebit.run(
            `dd_${customer.id.slice(2)}_1`,
            accountId,
            'City Council',
            'COUNCIL TAX',
            16_850,
            'GBP',
            `${today.slice(0, 7)}-05`,
          );
          insertDirectDebit.run(
            `dd_${customer.id.slice(2)}_2`,
            accountId,
            'Octopus Energy',
            'ENERGY',
            7_420,
            'GBP',
            `${today.slice(0, 7)}-08`,
          );
        }
      });
      customer.cards.forEach((card, index) => {
        const accountId = card.kind === 'debit' ? `acc_${customer.id.slice(2)}_1` : null;
        insertCard.run(
          `card_${customer.id.slice(2)}_${index + 1}`,
          customer.id,
          accountId,
          card.kind,
          card.brand,
          card.last4,
          card.state,
          card.expires,
        );
      });
    }
  })();
}

/** The demo customers' ids, for tests and evals. */
export const DEMO_CUSTOMER_IDS = customers.map((customer) => customer.id);
