import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

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
];

/**
 * Opens (creating if needed) the embedded SQLite database and applies pending migrations.
 * `:memory:` gives a private database, which tests use.
 */
export function openDatabase(path: string): SqliteDatabase {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new Database(path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  migrate(database);
  return database;
}

function migrate(database: SqliteDatabase): void {
  database.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)',
  );
  const applied = new Set(
    database
      .prepare('SELECT id FROM schema_migrations')
      .all()
      .map((row) => (row as { id: number }).id),
  );
  for (const migration of migrations) {
    if (applied.has(migration.id)) continue;
    database.transaction(() => {
      database.exec(migration.sql);
      database
        .prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)')
        .run(migration.id, new Date().toISOString());
    })();
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
