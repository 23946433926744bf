import { type ComplianceStore, SqliteComplianceStore } from '../compliance/compliance-store.js';
import { PostgresComplianceStore } from '../compliance/postgres-compliance-store.js';
import type { Config } from '../config/config.js';
import type { Logger } from '../observability/logger.js';
import type { PoolStatus } from '../observability/prometheus-metrics.js';
import { openDatabase, type SqliteDatabase } from '../store/database.js';
import { localAuditKey } from '../store/local-audit-key.js';
import type { StateBackend } from '../store/ports.js';
import { type SharedGenerations, SqliteSharedGenerations } from '../store/shared-generations.js';
import { sqliteBackend } from '../store/sqlite-backend.js';

/** The stores a Teller serves from, and what must be shared beyond one process. */
export interface WiredState {
  readonly stores: StateBackend;
  /**
   * Counters for state every process keeps in memory (knowledge, policies); absent when this
   * process is the only one (one SQLite worker), since nobody else can change it.
   */
  readonly generations?: SharedGenerations;
  /** Whether other processes share these stores, so leases and rate limits must be shared too. */
  readonly shared: boolean;
  /** The PostgreSQL pool's counters, for metrics; SQLite has no pool. */
  readonly poolStatus?: () => PoolStatus;
  /** Compliance drafts and publication history, on the same database as the other stores. */
  readonly complianceStore: ComplianceStore;
  /** A description for the start-up log and `describe()`, without credentials. */
  readonly description: string;
  close(): Promise<void>;
}

/**
 * The service's state as the server opens it, for the server and for every command that writes
 * to it (`npm run models`, `npm run train -- --with-approved`, `npm run vault:purge`): the embedded
 * file (the demo bank and the vault always live there), and the stores on it or on PostgreSQL,
 * with the audit head signed by the same key, so an audit record a command appends keeps the
 * signed head current (see `npm run audit:verify`).
 */
export async function openServiceState(
  config: Config,
  now: () => Date,
  logger: Logger,
): Promise<{ readonly database: SqliteDatabase; readonly state: WiredState }> {
  const database = openDatabase(config.paths.databasePath);
  const auditHeadKey = config.auditKey ?? localAuditKey(config.paths.dataDir);
  return { database, state: await openState(config, database, now, logger, { auditHeadKey }) };
}

/**
 * PostgreSQL when DATABASE_URL is set (instances on any number of hosts share it), else the
 * embedded SQLite file (shared only by the worker processes of one host).
 */
export async function openState(
  config: Config,
  database: SqliteDatabase,
  now: () => Date,
  logger: Logger,
  { auditHeadKey }: { auditHeadKey?: string } = {},
): Promise<WiredState> {
  if (!config.postgres) {
    const stores = sqliteBackend(database, now, { ...(auditHeadKey && { auditHeadKey }) });
    const shared = config.server.workers > 1;
    return {
      stores,
      ...(shared && { generations: new SqliteSharedGenerations(database) }),
      shared,
      complianceStore: new SqliteComplianceStore(database, { atomically: stores.atomically }),
      description: `sqlite ${config.paths.databasePath}`,
      close: async () => void database.close(),
    };
  }
  // The PostgreSQL driver is imported only when DATABASE_URL asks for it (start-up time on SQLite).
  const [{ openPostgresBackend }, { notifiedSharedGenerations }] = await Promise.all([
    import('../store/postgres/postgres-backend.js'),
    import('../store/postgres/notified-generations.js'),
  ]);
  const stores = await openPostgresBackend({
    url: config.postgres.url,
    maxConnections: config.postgres.maxConnections,
    connectionTimeoutMs: config.postgres.connectionTimeoutMs,
    migrate: config.postgres.migrateAtStart,
    now,
    ...(auditHeadKey && { auditHeadKey }),
  });
  const generations = notifiedSharedGenerations(stores.database, {
    onError: (error) => logger.warn('shared generations', { error: String(error) }),
  });
  await generations.ready;
  const address = new URL(config.postgres.url);
  return {
    stores,
    generations,
    shared: true,
    poolStatus: () => stores.database.poolStatus(),
    complianceStore: new PostgresComplianceStore(stores.database),
    description: `postgres ${address.hostname}:${address.port || '5432'}${address.pathname}`,
    async close() {
      await generations.close();
      await stores.close();
      database.close();
    },
  };
}
