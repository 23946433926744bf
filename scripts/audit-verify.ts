/**
 * Verifies the whole audit log: `npm run audit:verify`. Recomputes every record's hash and link
 * and checks the HMAC-signed head (AUDIT_KEY, or DATA_DIR/audit.key), so a changed record, a
 * record removed from the middle and records cut off the end are each reported. With DATABASE_URL
 * it verifies the log in PostgreSQL (every instance must sign with the same AUDIT_KEY), else the
 * SQLite file. Exits 1 when anything is wrong, 2 when there is nothing to verify, 0 when intact.
 */
import { existsSync } from 'node:fs';
import { loadConfig } from '../src/config/config.js';
import { type AuditVerification, SqliteAuditLog } from '../src/store/audit-log.js';
import { openDatabase } from '../src/store/database.js';
import { localAuditKey } from '../src/store/local-audit-key.js';
import { PostgresAuditLog } from '../src/store/postgres/audit-log.js';
import { connectPostgres } from '../src/store/postgres/connection.js';

const config = loadConfig(process.env);
const headKey = config.auditKey ?? localAuditKey(config.paths.dataDir, { create: false });

async function verifyPostgres(url: string): Promise<{ database: string; result: AuditVerification }> {
  const address = new URL(url);
  // Never the password: the description is printed.
  const database = `postgres ${address.hostname}:${address.port || '5432'}${address.pathname}`;
  const connection = connectPostgres({ url, maxConnections: 1 });
  try {
    const [schema] = await connection.query<{ head: string | null }>(
      "SELECT to_regclass('audit_head')::text AS head",
    );
    if (!schema?.head) {
      console.error(`No signed audit head table in ${database}; run \`npm run migrate\` first.`);
      process.exit(2);
    }
    const result = await new PostgresAuditLog(connection, undefined, {
      ...(headKey && { headKey }),
    }).verify();
    return { database, result };
  } finally {
    await connection.close();
  }
}

function verifySqlite(path: string): { database: string; result: AuditVerification } {
  if (!existsSync(path)) {
    console.error(`No database at ${path}; set DATA_DIR or DATABASE_PATH.`);
    process.exit(2);
  }
  const database = openDatabase(path);
  try {
    return {
      database: path,
      result: new SqliteAuditLog(database, undefined, { ...(headKey && { headKey }) }).verify(),
    };
  } finally {
    database.close();
  }
}

const { database, result } = config.postgres
  ? await verifyPostgres(config.postgres.url)
  : verifySqlite(config.paths.databasePath);
process.stdout.write(`${JSON.stringify({ database, ...result })}\n`);
if (result.ok && result.head === 'unsigned') {
  console.error('The chain is intact, but no audit key was found, so a cut-off tail cannot be detected.');
}
if (result.head === 'forged' && config.postgres) {
  console.error(
    'Instances sharing PostgreSQL must all sign with the same AUDIT_KEY; check that this is that key.',
  );
}
process.exit(result.ok ? 0 : 1);
