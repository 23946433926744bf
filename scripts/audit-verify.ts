/**
 * Verifies the whole audit log: `npm run audit:verify`. Recomputes every record's hash and link
 * and checks the HMAC-signed head (AUDIT_KEY, or DATA_DIR/audit.key), so a changed record, a
 * record removed from the middle and records cut off the end are each reported. Exits 1 when
 * anything is wrong, 0 when the log is intact.
 */
import { existsSync } from 'node:fs';
import { loadConfig } from '../src/config/config.js';
import { SqliteAuditLog } from '../src/store/audit-log.js';
import { openDatabase } from '../src/store/database.js';
import { localAuditKey } from '../src/store/local-audit-key.js';

const config = loadConfig(process.env);
if (!existsSync(config.paths.databasePath)) {
  console.error(`No database at ${config.paths.databasePath}; set DATA_DIR or DATABASE_PATH.`);
  process.exit(2);
}
const database = openDatabase(config.paths.databasePath);
const headKey = config.auditKey ?? localAuditKey(config.paths.dataDir, { create: false });
const result = new SqliteAuditLog(database, undefined, { ...(headKey && { headKey }) }).verify();
database.close();
process.stdout.write(`${JSON.stringify({ database: config.paths.databasePath, ...result })}\n`);
if (result.ok && result.head === 'unsigned') {
  console.error('The chain is intact, but no audit key was found, so a cut-off tail cannot be detected.');
}
process.exit(result.ok ? 0 : 1);
