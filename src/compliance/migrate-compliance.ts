import type { SqliteDatabase } from '../store/database.js';

/**
 * Creates the compliance tables (and later columns) when they are missing. Idempotent (every statement is
 * `IF NOT EXISTS`), so the composition root may call it on every start-up after `openDatabase`.
 *
 * - `compliance_drafts`: at most one working draft per artifact (document or policy), with its
 *   revision counter for optimistic concurrency, its editors, its approval (and the revision it
 *   covers) and whether it publishes the text or retires the published file.
 * - `compliance_versions`: append-only history of what was published or retired, by whom, with
 *   content hashes (the bodies themselves live in git).
 */
export function migrateCompliance(database: SqliteDatabase): void {
  database.exec(`
    CREATE TABLE IF NOT EXISTS compliance_drafts (
      kind TEXT NOT NULL CHECK (kind IN ('document', 'policy')),
      artifact_id TEXT NOT NULL,
      content TEXT NOT NULL,
      content_hash TEXT NOT NULL,
      revision INTEGER NOT NULL,
      base_content_hash TEXT,
      author TEXT NOT NULL,
      editors TEXT NOT NULL,
      approved_by TEXT,
      approved_at TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      PRIMARY KEY (kind, artifact_id)
    );

    CREATE TABLE IF NOT EXISTS compliance_versions (
      sequence INTEGER PRIMARY KEY AUTOINCREMENT,
      kind TEXT NOT NULL CHECK (kind IN ('document', 'policy')),
      artifact_id TEXT NOT NULL,
      action TEXT NOT NULL CHECK (action IN ('published', 'retired')),
      version TEXT NOT NULL,
      content_hash TEXT NOT NULL,
      previous_content_hash TEXT,
      drafted_by TEXT,
      drafted_at TEXT,
      approved_by TEXT,
      approved_at TEXT,
      actor TEXT NOT NULL,
      at TEXT NOT NULL,
      reason TEXT
    );
    CREATE INDEX IF NOT EXISTS compliance_versions_by_artifact
      ON compliance_versions (kind, artifact_id, sequence);

    CREATE TRIGGER IF NOT EXISTS compliance_versions_no_update BEFORE UPDATE ON compliance_versions
      BEGIN SELECT RAISE(ABORT, 'compliance_versions is append-only'); END;
    CREATE TRIGGER IF NOT EXISTS compliance_versions_no_delete BEFORE DELETE ON compliance_versions
      BEGIN SELECT RAISE(ABORT, 'compliance_versions is append-only'); END;
  `);
  // Added after the first release: databases created before them gain the columns here.
  addColumnIfMissing(database, 'compliance_drafts', 'approved_revision', 'INTEGER');
  addColumnIfMissing(
    database,
    'compliance_drafts',
    'change',
    "TEXT NOT NULL DEFAULT 'publish' CHECK (change IN ('publish', 'retire'))",
  );
  addColumnIfMissing(database, 'compliance_drafts', 'reason', 'TEXT');
}

function addColumnIfMissing(
  database: SqliteDatabase,
  table: string,
  column: string,
  definition: string,
): void {
  const columns = database.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>;
  if (columns.some((existing) => existing.name === column)) return;
  try {
    database.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
  } catch (error) {
    // Another worker process added it between the check and the ALTER.
    if (!/duplicate column/i.test((error as Error).message)) throw error;
  }
}
