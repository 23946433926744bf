import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { DatabaseUnavailableError } from '../unavailable.js';

export { DatabaseUnavailableError };

/** Values node-postgres accepts as query parameters here. */
export type SqlValue = string | number | boolean | null;

/** What the PostgreSQL stores need: queries that join the surrounding transaction, if any. */
export interface PostgresDatabase {
  /** Runs one statement, inside the current `atomically` transaction when there is one. */
  query<Row extends object>(sql: string, parameters?: readonly SqlValue[]): Promise<Row[]>;
  /** Like `query`, returning how many rows the statement changed. */
  execute(sql: string, parameters?: readonly SqlValue[]): Promise<number>;
  /**
   * Runs `work` in one transaction: every `query` it makes (through any store) uses the same
   * connection, and all of it commits or none does. A nested call joins the outer transaction.
   */
  atomically<Result>(work: () => Promise<Result>): Promise<Result>;
  /** A connection of its own for the duration of `work` (migrations, LISTEN). */
  withClient<Result>(work: (client: pg.PoolClient) => Promise<Result>): Promise<Result>;
  /** The connection string, for listeners that need a connection outside the pool. */
  readonly url: string;
  /** Pool counters, for diagnostics and metrics. */
  poolStatus(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

export interface PostgresOptions {
  /** `postgres://user@host:port/database` */
  readonly url: string;
  /** Pool size per process; the database's `max_connections` bounds the sum over instances. */
  readonly maxConnections?: number;
  /** How long a query waits for a free connection (or a new one) before failing with 503. */
  readonly connectionTimeoutMs?: number;
  /** Server-side limit per statement, so a stuck query cannot hold a connection forever. */
  readonly statementTimeoutMs?: number;
}

/** SQLSTATE classes and Node error codes that mean "the database is not there", not "bad query". */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovering)
  '53300', // too_many_connections
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);

/** Turns connection-level failures into `DatabaseUnavailableError`; other errors pass through. */
export function classifyError(error: unknown): unknown {
  if (error instanceof DatabaseUnavailableError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const unavailable =
    (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) ||
    /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED/i.test(message);
  return unavailable
    ? new DatabaseUnavailableError(`PostgreSQL is unreachable: ${message}`, { cause: error })
    : error;
}

/** Opens a bounded pool; no connection is made until the first query. */
export function connectPostgres({
  url,
  maxConnections = 10,
  connectionTimeoutMs = 2_000,
  statementTimeoutMs = 10_000,
}: PostgresOptions): PostgresDatabase {
  const pool = new pg.Pool({
    connectionString: url,
    max: maxConnections,
    connectionTimeoutMillis: connectionTimeoutMs,
    idleTimeoutMillis: 30_000,
    statement_timeout: statementTimeoutMs,
    application_name: 'teller',
  });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  const transactionClient = new AsyncLocalStorage<pg.PoolClient>();

  async function run(sql: string, parameters: readonly SqlValue[]): Promise<pg.QueryResult> {
    const client = transactionClient.getStore();
    try {
      return client
        ? await client.query(sql, parameters as SqlValue[])
        : await pool.query(sql, parameters as SqlValue[]);
    } catch (error) {
      throw classifyError(error);
    }
  }

  async function withClient<Result>(work: (client: pg.PoolClient) => Promise<Result>): Promise<Result> {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw classifyError(error);
    }
    let broken = false;
    try {
      return await work(client);
    } catch (error) {
      broken = classifyError(error) instanceof DatabaseUnavailableError;
      throw error;
    } finally {
      // A connection that failed mid-way is discarded rather than handed to the next caller.
      client.release(broken);
    }
  }

  return {
    url,
    async query<Row extends object>(sql: string, parameters: readonly SqlValue[] = []) {
      return (await run(sql, parameters)).rows as Row[];
    },
    async execute(sql, parameters = []) {
      return (await run(sql, parameters)).rowCount ?? 0;
    },
    async atomically<Result>(work: () => Promise<Result>): Promise<Result> {
      if (transactionClient.getStore()) return work();
      return withClient(async (client) => {
        try {
          await client.query('BEGIN');
          const result = await transactionClient.run(client, work);
          await client.query('COMMIT');
          return result;
        } catch (error) {
          // When the connection itself died, PostgreSQL has already rolled the transaction back.
          await client.query('ROLLBACK').catch(() => undefined);
          throw classifyError(error);
        }
      });
    },
    withClient,
    poolStatus: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => pool.end(),
  };
}
