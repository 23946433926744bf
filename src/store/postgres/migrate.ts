import type { PostgresDatabase } from './connection.js';
import { postgresMigrations } from './migrations.js';

/** Arbitrary but fixed: every Teller instance takes this advisory lock to migrate. */
const MIGRATION_LOCK = 7_316_001;

/** The database was migrated by a newer release than this one; running on it could corrupt data. */
export class SchemaTooNewError extends Error {
  override readonly name = 'SchemaTooNewError';
}

export interface MigrationReport {
  readonly applied: readonly number[];
  readonly current: number;
}

/**
 * Applies pending migrations, each in its own transaction, under a session advisory lock, so
 * instances starting together migrate once and the others wait, then find nothing to do. Refuses
 * (before changing anything) a database that already has migrations this build does not know.
 */
export async function migratePostgres(
  database: PostgresDatabase,
  migrations = postgresMigrations,
): Promise<MigrationReport> {
  return database.withClient(async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
      );
      const { rows } = await client.query<{ id: number }>('SELECT id FROM schema_migrations');
      const done = new Set(rows.map((row) => row.id));
      const known = new Set(migrations.map((migration) => migration.id));
      const unknown = [...done].filter((id) => !known.has(id));
      if (unknown.length > 0)
        throw new SchemaTooNewError(
          `The database has migrations ${unknown.join(', ')} that this release does not know; run a release at least as new as the one that applied them.`,
        );
      const applied: number[] = [];
      for (const migration of migrations) {
        if (done.has(migration.id)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (id, name) VALUES ($1, $2)', [
            migration.id,
            migration.name,
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
        applied.push(migration.id);
      }
      return { applied, current: Math.max(0, ...done, ...applied) };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    }
  });
}
