import { AsyncLocalStorage } from 'node:async_hooks';
import { KeyValueVaultStore } from '../privacy/key-value-vault-store.js';
import { SqliteAuditLog } from './audit-log.js';
import { ConversationStore } from './conversation-store.js';
import type { SqliteDatabase } from './database.js';
import { HandoffQueue } from './handoff-queue.js';
import type { StateBackend } from './ports.js';
import { SqliteRateLimitStore } from './rate-limit-sqlite-store.js';
import { SqliteSharedGenerations } from './shared-generations.js';
import { SqliteKeyValueStore } from './sqlite-key-value-store.js';
import { SqlitePendingActionStore } from './sqlite-pending-action-store.js';
import { SqliteTrainingExampleStore } from './training-examples.js';
import { SqliteTurnRecordStore } from './turn-records.js';
import { SqliteConversationLeases } from './turn-runner-leases.js';

/**
 * The embedded SQLite stores behind the asynchronous ports, so one contract suite (and any
 * backend-neutral caller) runs on both. Each method runs its synchronous statement and resolves.
 *
 * `atomically` opens BEGIN IMMEDIATE and commits after the work settles. SQLite has one
 * connection per process, so while a transaction is open every other call through these stores
 * waits for it (a queue), instead of running on the connection and joining the transaction.
 * Stores used directly (vault, compliance) are not queued: work inside `atomically` only awaits
 * these stores, which answer at once, so the transaction is open for microseconds.
 */
export function sqliteBackend(
  database: SqliteDatabase,
  now: () => Date = () => new Date(),
  { auditHeadKey }: { auditHeadKey?: string } = {},
): StateBackend {
  const conversations = new ConversationStore(database, now);
  const handoffs = new HandoffQueue(database, now);
  const audit = new SqliteAuditLog(database, now, { ...(auditHeadKey && { headKey: auditHeadKey }) });
  const vault = new KeyValueVaultStore(new SqliteKeyValueStore(database));
  const leases = new SqliteConversationLeases(database, () => now().getTime());
  const generations = new SqliteSharedGenerations(database);
  const turnRecords = new SqliteTurnRecordStore(database, now);
  let queue: Promise<unknown> = Promise.resolve();
  // Marks work running inside a transaction, so a nested call joins it instead of queueing behind it.
  const insideTransaction = new AsyncLocalStorage<true>();
  /** Runs a store call now when inside the transaction, else after any open transaction ends. */
  const queued = <Result>(call: () => Result | Promise<Result>): Promise<Result> =>
    insideTransaction.getStore() ? (async () => call())() : queue.then(call);
  const pendingActions = new SqlitePendingActionStore(database);
  const trainingExamples = new SqliteTrainingExampleStore(database, now);

  return {
    kind: 'sqlite',
    conversations: {
      create: (customerId) => queued(() => conversations.create(customerId)),
      find: (id) => queued(() => conversations.find(id)),
      findForCustomer: (id, customerId) => queued(() => conversations.findForCustomer(id, customerId)),
      listForCustomer: (customerId, limit) => queued(() => conversations.listForCustomer(customerId, limit)),
      setStatus: (id, status) => queued(() => conversations.setStatus(id, status)),
      appendMessage: (id, author, text, metadata) =>
        queued(() => conversations.appendMessage(id, author, text, metadata)),
      appendMessages: (id, messages) =>
        queued(() =>
          messages.map((message) =>
            conversations.appendMessage(id, message.author, message.text, message.metadata),
          ),
        ),
      messages: (id, limit) => queued(() => conversations.messages(id, limit)),
    },
    handoffs: {
      open: (handoff) => queued(() => handoffs.open(handoff)),
      get: (id) => queued(() => handoffs.get(id)),
      activeForConversation: (id) => queued(() => handoffs.activeForConversation(id)),
      countOpenedSince: (customerId, since) => queued(() => handoffs.countOpenedSince(customerId, since)),
      // BEGIN IMMEDIATE already holds the file's write lock for every process until commit.
      lockCustomerAdmissions: () => queued(() => undefined),
      list: (status, limit) => queued(() => handoffs.list(status, limit)),
      page: (query) => queued(() => handoffs.page(query)),
      claim: (id, agentId) => queued(() => handoffs.claim(id, agentId)),
      resolve: (id, agentId) => queued(() => handoffs.resolve(id, agentId)),
    },
    audit: {
      record: (event) => queued(() => audit.record(event)),
      list: (filter) => queued(() => audit.list(filter)),
      verifyChain: () => queued(() => audit.verifyChain()),
    },
    vault: {
      tokenOf: (id, valueHash) => queued(() => vault.tokenOf(id, valueHash)),
      sealedValue: (id, token) => queued(() => vault.sealedValue(id, token)),
      tokenize: (request) => queued(() => vault.tokenize(request)),
      forget: (id) => queued(() => vault.forget(id)),
      idleBefore: (cutoff, now) => queued(() => vault.idleBefore(cutoff, now)),
    },
    pendingActions: {
      save: (action) => queued(() => pendingActions.save(action)),
      get: (id) => queued(() => pendingActions.get(id)),
      latestFor: (id) => queued(() => pendingActions.latestFor(id)),
      delete: (id) => queued(() => pendingActions.delete(id)),
    },
    leases: {
      tryAcquire: (id, holder, expiresAt) => queued(() => leases.tryAcquire(id, holder, expiresAt)),
      renew: (id, holder, expiresAt) => queued(() => leases.renew(id, holder, expiresAt)),
      release: (id, holder) => queued(() => leases.release(id, holder)),
    },
    generations: {
      read: (name) => queued(() => generations.read(name)),
      bump: (name) => queued(() => generations.bump(name)),
    },
    turnRecords: {
      record: (record) => queued(() => turnRecords.record(record)),
      get: (id) => queued(() => turnRecords.get(id)),
      rate: (id, customerId, rating, reason) =>
        queued(() => turnRecords.rate(id, customerId, rating, reason)),
      list: (query) => queued(() => turnRecords.list(query)),
      purgeBefore: (cutoff) => queued(() => turnRecords.purgeBefore(cutoff)),
      aggregate: (query) => queued(() => turnRecords.aggregate(query)),
    },
    trainingExamples: {
      propose: (examples) => queued(() => trainingExamples.propose(examples)),
      get: (id) => queued(() => trainingExamples.get(id)),
      list: (query) => queued(() => trainingExamples.list(query)),
      review: (id, decision, reviewer) => queued(() => trainingExamples.review(id, decision, reviewer)),
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
    ping: () => queued(() => void database.prepare('SELECT 1').get()),
    close: () => queued(() => void database.close()),
  };
}
