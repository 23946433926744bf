import { AsyncLocalStorage } from 'node:async_hooks';
import { SqliteConversationLeases } from '../pipeline/turn-runner-leases.js';
import { SqliteRateLimitStore } from '../server/middleware/rate-limit-sqlite-store.js';
import { SqliteAuditLog } from './audit-log.js';
import { ConversationStore } from './conversation-store.js';
import type { SqliteDatabase } from './database.js';
import { HandoffQueue } from './handoff-queue.js';
import type { StateBackend } from './ports.js';
import { SqliteSharedGenerations } from './shared-generations.js';
import { SqliteKeyValueStore } from './sqlite-key-value-store.js';
import { SqlitePendingActionStore } from './sqlite-pending-action-store.js';

/**
 * The embedded SQLite stores behind the asynchronous ports, so one contract suite (and any
 * backend-neutral caller) runs on both. Each method runs its synchronous statement and resolves.
 *
 * `atomically` opens BEGIN IMMEDIATE and commits after the work settles. SQLite has one
 * connection per process, so calls are queued here: two transactions never interleave. Work must
 * only await these stores (which resolve at once); awaiting I/O inside would let other requests'
 * writes on the same connection join the open transaction.
 */
export function sqliteBackend(database: SqliteDatabase, now: () => Date = () => new Date()): StateBackend {
  const conversations = new ConversationStore(database, now);
  const handoffs = new HandoffQueue(database, now);
  const audit = new SqliteAuditLog(database, now);
  const vault = new SqliteKeyValueStore(database);
  const leases = new SqliteConversationLeases(database, () => now().getTime());
  const generations = new SqliteSharedGenerations(database);
  let queue: Promise<unknown> = Promise.resolve();
  // Marks work running inside a transaction, so a nested call joins it instead of queueing behind it.
  const insideTransaction = new AsyncLocalStorage<true>();

  return {
    kind: 'sqlite',
    conversations: {
      create: async (customerId) => conversations.create(customerId),
      find: async (id) => conversations.find(id),
      findForCustomer: async (id, customerId) => conversations.findForCustomer(id, customerId),
      listForCustomer: async (customerId, limit) => conversations.listForCustomer(customerId, limit),
      setStatus: async (id, status) => conversations.setStatus(id, status),
      appendMessage: async (id, author, text, metadata) =>
        conversations.appendMessage(id, author, text, metadata),
      messages: async (id, limit) => conversations.messages(id, limit),
    },
    handoffs: {
      open: async (handoff) => handoffs.open(handoff),
      get: async (id) => handoffs.get(id),
      activeForConversation: async (id) => handoffs.activeForConversation(id),
      list: async (status, limit) => handoffs.list(status, limit),
      claim: async (id, agentId) => handoffs.claim(id, agentId),
      resolve: async (id, agentId) => handoffs.resolve(id, agentId),
    },
    audit: {
      record: async (event) => audit.record(event),
      list: async (filter) => audit.list(filter),
      verifyChain: async () => audit.verifyChain(),
    },
    vault: {
      get: async (key) => vault.get(key),
      set: async (key, value) => vault.set(key, value),
      delete: async (key) => vault.delete(key),
      keys: async (prefix) => [...vault.keys(prefix)],
    },
    pendingActions: new SqlitePendingActionStore(database),
    leases: {
      tryAcquire: async (id, holder, expiresAt) => leases.tryAcquire(id, holder, expiresAt),
      renew: async (id, holder, expiresAt) => leases.renew(id, holder, expiresAt),
      release: async (id, holder) => leases.release(id, holder),
    },
    generations: {
      read: async (name) => generations.read(name),
      bump: async (name) => generations.bump(name),
    },
    rateLimits: (scope) => new SqliteRateLimitStore(database, { scope }),
    atomically<Result>(work: () => Promise<Result>): Promise<Result> {
      if (insideTransaction.getStore()) return work();
      const run = queue.then(async () => {
        database.exec('BEGIN IMMEDIATE');
        try {
          const result = await insideTransaction.run(true, work);
          database.exec('COMMIT');
          return result;
        } catch (error) {
          if (database.inTransaction) database.exec('ROLLBACK');
          throw error;
        }
      });
      queue = run.catch(() => undefined);
      return run;
    },
    ping: async () => void database.prepare('SELECT 1').get(),
    close: async () => void database.close(),
  };
}
