/**
 * Applies pending PostgreSQL migrations: `DATABASE_URL=postgres://… npm run migrate`. Safe to run
 * while instances serve (each migration is one transaction, taken under the same advisory lock the
 * instances use at start-up). With no DATABASE_URL there is nothing to do: SQLite migrates itself.
 */
import { loadConfig } from '../src/config/config.js';
import { connectPostgres } from '../src/store/postgres/connection.js';
import { migratePostgres } from '../src/store/postgres/migrate.js';

const config = loadConfig(process.env);
if (!config.postgres) {
  console.error('DATABASE_URL is not set: the embedded SQLite database migrates itself at start-up.');
  process.exit(2);
}
const database = connectPostgres({
  url: config.postgres.url,
  connectionTimeoutMs: config.postgres.connectionTimeoutMs,
});
try {
  const report = await migratePostgres(database);
  console.log(
    report.applied.length > 0
      ? `Applied migrations ${report.applied.join(', ')}; schema is at ${report.current}.`
      : `Nothing to apply; schema is at ${report.current}.`,
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  await database.close();
}
