import type { StateBackend } from '../ports.js';
import { PostgresAuditLog } from './audit-log.js';
import { connectPostgres, type PostgresDatabase, type PostgresOptions } from './connection.js';
import { PostgresConversationStore } from './conversations.js';
import { PostgresHandoffQueue } from './handoffs.js';
import { migratePostgres } from './migrate.js';
import {
  PostgresConversationLeases,
  PostgresPendingActionStore,
  PostgresRateLimitStore,
  PostgresSharedGenerations,
} from './small-stores.js';
import { PostgresTrainingExampleStore } from './training-examples.js';
import { PostgresTurnRecordStore } from './turn-records.js';
import { PostgresVaultStore } from './vault-store.js';

export interface PostgresBackendOptions extends PostgresOptions {
  /** Apply pending migrations before serving (under the migration advisory lock). */
  readonly migrate?: boolean;
  readonly now?: () => Date;
  /** The HMAC key (hex) that signs the audit log's head; every instance must use the same one. */
  readonly auditHeadKey?: string;
}

/** Every store on one PostgreSQL pool, plus the pool itself for stores outside `src/store`. */
export interface PostgresBackend extends StateBackend {
  readonly kind: 'postgres';
  readonly database: PostgresDatabase;
  readonly audit: PostgresAuditLog;
}

/**
 * Connects, optionally migrates, and builds every store on PostgreSQL. Fails (with
 * `DatabaseUnavailableError`) when the database cannot be reached, so a misconfigured instance
 * stops at start-up with a clear message instead of failing on its first turn.
 */
export async function openPostgresBackend({
  migrate = true,
  now = () => new Date(),
  auditHeadKey,
  ...connection
}: PostgresBackendOptions): Promise<PostgresBackend> {
  const database = connectPostgres(connection);
  try {
    if (migrate) await migratePostgres(database);
    else await database.query('SELECT 1');
  } catch (error) {
    await database.close();
    throw error;
  }
  const backend = postgresBackendOn(database, now, { ...(auditHeadKey && { auditHeadKey }) });
  try {
    await backend.audit.checkHeadKey();
  } catch (error) {
    await database.close();
    throw error;
  }
  return backend;
}

/** The stores on an already connected (and migrated) database. */
export function postgresBackendOn(
  database: PostgresDatabase,
  now: () => Date = () => new Date(),
  { auditHeadKey }: { auditHeadKey?: string } = {},
): PostgresBackend {
  return {
    kind: 'postgres',
    database,
    conversations: new PostgresConversationStore(database, now),
    handoffs: new PostgresHandoffQueue(database, now),
    audit: new PostgresAuditLog(database, now, { ...(auditHeadKey && { headKey: auditHeadKey }) }),
    vault: new PostgresVaultStore(database),
    pendingActions: new PostgresPendingActionStore(database),
    leases: new PostgresConversationLeases(database, () => now().getTime()),
    generations: new PostgresSharedGenerations(database),
    turnRecords: new PostgresTurnRecordStore(database, now),
    trainingExamples: new PostgresTrainingExampleStore(database, now),
    rateLimits: (scope) => new PostgresRateLimitStore(database, { scope }),
    atomically: (work) => database.atomically(work),
    ping: async () => void (await database.query('SELECT 1')),
    close: () => database.close(),
  };
}
