import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { TURN_DAY_COUNTS_SQLITE_MIGRATION, TURN_RECORDS_MIGRATION } from './turn-records-schema.js';

export type SqliteDatabase = Database.Database;
export type Statement = Database.Statement;

/**
 * Schema migrations, applied in order and recorded in `schema_migrations`. Append only: a released
 * migration is never edited, so every database reaches the same shape.
 */
const migrations: ReadonlyArray<{ readonly id: number; readonly sql: string }> = [
  {
    id: 1,
    sql: `
      CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('active', 'handed_off', 'closed')),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX conversations_by_customer ON conversations (customer_id, created_at);

      CREATE TABLE messages (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations (id),
        sequence INTEGER NOT NULL,
        author TEXT NOT NULL CHECK (author IN ('customer', 'assistant', 'agent', 'system')),
        text TEXT NOT NULL,
        metadata TEXT,
        created_at TEXT NOT NULL,
        UNIQUE (conversation_id, sequence)
      );

      CREATE TABLE handoffs (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL REFERENCES conversations (id),
        customer_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        priority TEXT NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
        explanation TEXT NOT NULL,
        summary TEXT NOT NULL,
        intent TEXT,
        emotions TEXT NOT NULL DEFAULT '[]',
        status TEXT NOT NULL CHECK (status IN ('open', 'claimed', 'resolved')),
        agent_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX handoffs_by_status ON handoffs (status, priority, created_at);

      -- Append-only, hash-chained audit log: each row commits to the previous row's hash, and
      -- triggers refuse updates and deletes, so tampering is both prevented and detectable.
      CREATE TABLE audit_log (
        sequence INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT,
        request_id TEXT,
        details TEXT NOT NULL,
        previous_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

    `,
  },
  {
    id: 2,
    sql: `
      -- Sealed (AES-256-GCM) redaction vault entries; keys are HMACs, never raw values.
      CREATE TABLE vault_entries (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
  {
    id: 3,
    sql: `
      -- State-changing tool calls waiting for the customer's "yes"; survive restarts.
      CREATE TABLE pending_actions (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        action TEXT NOT NULL
      );
      CREATE INDEX pending_actions_by_conversation ON pending_actions (conversation_id, created_at);
    `,
  },
  {
    id: 4,
    sql: `
      -- State that several worker processes on one host share (TELLER_WORKERS > 1).
      -- Token buckets of the rate limiter, one per limiter scope and subject; rows idle long
      -- enough to be full again are pruned, since a missing row means a full bucket.
      CREATE TABLE rate_limit_buckets (
        scope TEXT NOT NULL,
        subject TEXT NOT NULL,
        tokens REAL NOT NULL,
        updated_at INTEGER NOT NULL,
        allowed INTEGER NOT NULL,
        PRIMARY KEY (scope, subject)
      ) WITHOUT ROWID;
      CREATE INDEX rate_limit_buckets_by_age ON rate_limit_buckets (updated_at);

      -- Who is answering a conversation right now: turns of one conversation never overlap,
      -- whichever worker they land on. A lease expires, so a crashed worker blocks nobody for long.
      CREATE TABLE conversation_leases (
        conversation_id TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      ) WITHOUT ROWID;

      -- Counters bumped when something every worker keeps in memory changes (published knowledge,
      -- policies), so the other workers reload before they next use it.
      CREATE TABLE shared_generations (
        name TEXT PRIMARY KEY,
        generation INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    id: 5,
    sql: TURN_RECORDS_MIGRATION,
  },
  {
    id: 6,
    sql: `
      -- Customer messages (redacted) an agent labelled when resolving a handoff: candidates for
      -- the intent router's training data until a second person approves or rejects them.
      CREATE TABLE training_examples (
        id TEXT PRIMARY KEY,
        handoff_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        text TEXT NOT NULL,
        intent TEXT,
        topic TEXT,
        should_have_handled INTEGER NOT NULL,
        proposed_by TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('candidate', 'approved', 'rejected')),
        reviewed_by TEXT,
        reviewed_at TEXT,
        created_at TEXT NOT NULL,
        UNIQUE (handoff_id, message_id)
      );
      CREATE INDEX training_examples_by_status ON training_examples (status, created_at);
    `,
  },
  {
    id: 7,
    sql: `
      -- The per-customer handoff limit counts a customer's handoffs in a time window on every
      -- handoff decision; without this index that count scans the whole table.
      CREATE INDEX IF NOT EXISTS handoffs_by_customer ON handoffs (customer_id, created_at);
    `,
  },
  {
    id: 8,
    sql: TURN_DAY_COUNTS_SQLITE_MIGRATION,
  },
];

/**
 * Opens (creating if needed) the embedded SQLite database and applies pending migrations.
 * `:memory:` gives a private database, which tests use.
 */
export function openDatabase(path: string): SqliteDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new Database(path);
  // Wait for another process's write lock instead of failing at once (first, so it also covers
  // switching to WAL while a second process opens the same new file).
  database.pragma('busy_timeout = 5000');
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  migrate(database);
  return database;
}

function migrate(database: SqliteDatabase): void {
  database.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
  );
  const isApplied = database.prepare('SELECT 1 FROM schema_migrations WHERE id = ?');
  for (const migration of migrations) {
    if (isApplied.get(migration.id)) continue;
    // IMMEDIATE, and checked again inside the write lock: several processes may start on one
    // database at once, and only the first may apply a migration.
    database
      .transaction(() => {
        if (isApplied.get(migration.id)) return;
        database.exec(migration.sql);
        database
          .prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)')
          .run(migration.id, new Date().toISOString());
      })
      .immediate();
  }
}

/**
 * A view of a database whose `prepare` returns a cached statement per SQL text. Preparing costs
 * more than running a small indexed query, and the same few queries run on every turn.
 */
export function withStatementCache(database: SqliteDatabase): Pick<SqliteDatabase, 'prepare'> {
  const statements = new Map<string, Statement>();
  return {
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = database.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
  } as Pick<SqliteDatabase, 'prepare'>;
}

/**
 * Runs work as one IMMEDIATE transaction on `database`; transactions the work opens inside become
 * savepoints of it. The write lock is taken up front, so several processes sharing the file queue
 * for it instead of failing on a read-then-write upgrade.
 */
export function createAtomically(database: SqliteDatabase): <Result>(work: () => Result) => Result {
  // Built once: better-sqlite3 prepares the transaction's BEGIN and COMMIT per `transaction()` call.
  const transaction = database.transaction((work: () => unknown) => work());
  return <Result>(work: () => Result) => transaction.immediate(work) as Result;
}
