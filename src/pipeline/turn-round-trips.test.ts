import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../store/database.js';
import { connectPostgres, type PostgresDatabase } from '../store/postgres/connection.js';
import { migratePostgres } from '../store/postgres/migrate.js';
import { postgresBackendOn } from '../store/postgres/postgres-backend.js';
import {
  createScratchDatabase,
  postgresUnavailableReason,
  type ScratchDatabase,
} from '../testing/postgres-test-database.js';
import { fakeTurnDependencies } from '../testing/test-app.js';
import { createTurnRunner } from './turn-runner.js';

const unavailable = await postgresUnavailableReason();

/**
 * A PostgreSQL database that counts the statements sent to the server, a transaction's BEGIN
 * and COMMIT included: each is a round trip, and each costs the instance CPU in the driver.
 */
function countingDatabase(database: PostgresDatabase): PostgresDatabase & { statements: string[] } {
  const statements: string[] = [];
  let depth = 0;
  return {
    ...database,
    statements,
    query(sql, parameters) {
      statements.push(sql);
      return database.query(sql, parameters);
    },
    execute(sql, parameters) {
      statements.push(sql);
      return database.execute(sql, parameters);
    },
    async atomically(work) {
      if (depth > 0) return database.atomically(work);
      statements.push('BEGIN');
      depth += 1;
      try {
        return await database.atomically(work);
      } finally {
        depth -= 1;
        statements.push('COMMIT');
      }
    },
  };
}

describe.skipIf(unavailable)(
  `a turn's round trips to PostgreSQL${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let scratch: ScratchDatabase;
    let pool: PostgresDatabase;
    beforeAll(async () => {
      scratch = await createScratchDatabase();
      pool = connectPostgres({ url: scratch.url, maxConnections: 4 });
      await migratePostgres(pool);
    });
    afterAll(async () => {
      await pool?.close();
      await scratch?.drop();
    });

    it('when a turn is answered then its lease, reads and closing transaction take 11 statements', async () => {
      const counted = countingDatabase(pool);
      const stores = postgresBackendOn(counted, () => new Date(), { auditHeadKey: 'ab'.repeat(32) });
      const embedded = openDatabase(':memory:');
      const dependencies = {
        ...fakeTurnDependencies(embedded, { now: () => new Date() }),
        atomically: stores.atomically,
        conversations: stores.conversations,
        handoffQueue: stores.handoffs,
        turnRecords: stores.turnRecords,
        audit: stores.audit,
      };
      const runner = createTurnRunner(dependencies, { leases: stores.leases });
      const conversation = await stores.conversations.create('c_1');
      const principal = { subject: 'c_1', roles: ['customer' as const], stepUp: false };
      // The first turn creates the signed audit head; later turns lock it instead of the advisory lock.
      await runner.run({ principal, conversation, text: 'hello', requestId: 'req_1' });
      counted.statements.length = 0;
      await runner.run({ principal, conversation, text: 'what is the fee?', requestId: 'req_2' });
      // lease, conversation, history; BEGIN, conversation row lock, both messages, turn record,
      // audit head lock, audit record with its signed head, lease release, COMMIT. (The HTTP
      // layer adds its rate-limit statement and its ownership read: 14 per turn in all.)
      expect(counted.statements.map((sql) => sql.trim().split(/\s+/).slice(0, 3).join(' '))).toEqual([
        'INSERT INTO conversation_leases',
        'SELECT * FROM',
        'SELECT * FROM',
        'BEGIN',
        'UPDATE conversations SET',
        'INSERT INTO messages',
        'INSERT INTO turn_records',
        'SELECT sequence, hash',
        'WITH appended AS',
        'DELETE FROM conversation_leases',
        'COMMIT',
      ]);
      const messages = await stores.conversations.messages(conversation.id);
      expect(messages.map((message) => message.author)).toEqual([
        'customer',
        'assistant',
        'customer',
        'assistant',
      ]);
      expect(messages.map((message) => message.text)[2]).toBe('what is the fee?');
      expect(await stores.audit.verifyChain()).toBeUndefined();
      embedded.close();
    });
  },
);
