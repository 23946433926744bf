import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { NotFoundForCustomerError } from './adapter.js';
import { createDemoBank } from './demo-bank.js';
import { EmbeddedBank } from './embedded-bank.js';
import { migrate } from './schema.js';
import { DEMO_CUSTOMER_IDS, seedDemoBank } from './seed.js';

describe('EmbeddedBank and seedDemoBank', () => {
  it('when migrated and seeded twice then nothing is duplicated and the data is identical', () => {
    const database = new Database(':memory:');
    migrate(database);
    migrate(database);
    seedDemoBank(database, { today: '2026-05-20' });
    const first = database.prepare('SELECT * FROM bank_transactions ORDER BY id').all();
    seedDemoBank(database, { today: '2026-05-20' });
    const second = database.prepare('SELECT * FROM bank_transactions ORDER BY id').all();
    expect(second).toEqual(first);
    const tables = database.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{
      name: string;
    }>;
    expect(tables.every((table) => table.name.startsWith('bank_'))).toBe(true);
  });

  it('when seeded then every customer has 90 days of history, a pending payment, salary and rent', async () => {
    const { bank } = createDemoBank({ today: '2026-05-20' });
    expect(DEMO_CUSTOMER_IDS).toEqual(['c_123', 'c_456', 'c_789', 'c_999']);
    for (const customerId of DEMO_CUSTOMER_IDS) {
      const all = await bank.listTransactions(customerId, { limit: 100 });
      expect(all.total).toBeGreaterThan(100);
      const oldest = await bank.listTransactions(customerId, { to: '2026-02-20', limit: 100 });
      expect(oldest.transactions.every((transaction) => transaction.date >= '2026-02-20')).toBe(true);
      expect((await bank.listTransactions(customerId, { merchant: 'Salary', direction: 'in' })).total).toBe(
        3,
      );
      expect((await bank.listTransactions(customerId, { merchant: 'Rent', direction: 'out' })).total).toBe(3);
      expect(all.transactions[0]).toMatchObject({ date: '2026-05-20', status: 'pending', merchant: 'Tesco' });
      for (const transaction of all.transactions)
        expect(Number.isInteger(transaction.amount.minor)).toBe(true);
    }
    const euro = (await bank.listAccounts('c_456')).find((account) => account.currency === 'EUR');
    expect(euro).toBeDefined();
  });

  it("when asked for another customer's account or card then it is not found", async () => {
    const { bank } = createDemoBank();
    await expect(bank.getBalance('c_123', 'acc_456_1')).rejects.toBeInstanceOf(NotFoundForCustomerError);
    await expect(bank.setCardState('c_123', 'card_456_1', 'frozen')).rejects.toBeInstanceOf(
      NotFoundForCustomerError,
    );
    await expect(bank.listTransactions('c_123', { accountIds: ['acc_456_1'] })).rejects.toBeInstanceOf(
      NotFoundForCustomerError,
    );
    const tx = (await bank.listTransactions('c_456', { limit: 1 })).transactions[0]!;
    await expect(bank.openDispute('c_123', { transactionId: tx.id, reason: 'other' })).rejects.toBeInstanceOf(
      NotFoundForCustomerError,
    );
    expect((await bank.listCards('c_456'))[0]!.state).toBe('active');
  });

  it('when a merchant is searched then only whole words match ("TfL" is not in "Netflix")', async () => {
    const { bank } = createDemoBank();
    const tfl = await bank.listTransactions('c_123', { merchant: 'tfl', limit: 100 });
    expect(tfl.total).toBeGreaterThan(0);
    expect(tfl.transactions.every((transaction) => transaction.merchant === 'TfL')).toBe(true);
    const rent = await bank.listTransactions('c_123', { merchant: 'rent', limit: 100 });
    expect(rent.transactions.every((transaction) => transaction.description.startsWith('Rent '))).toBe(true);
    expect((await bank.listTransactions('c_123', { merchant: 'amazon.co', limit: 1 })).total).toBeGreaterThan(
      0,
    );
  });

  it('when a page cursor is followed then pages do not overlap and cover everything', async () => {
    const database = new Database(':memory:');
    seedDemoBank(database);
    const bank = new EmbeddedBank({ database });
    const seen = new Set<string>();
    let cursor: string | undefined;
    let total = 0;
    do {
      const page = await bank.listTransactions('c_999', { limit: 37, cursor });
      total = page.total;
      for (const transaction of page.transactions) {
        expect(seen.has(transaction.id)).toBe(false);
        seen.add(transaction.id);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.size).toBe(total);
  });
});
