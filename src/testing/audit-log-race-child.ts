/** Race child for audit-log.test.ts: appends records to a shared database file as fast as it can. */
import { SqliteAuditLog } from '../store/audit-log.js';
import { openDatabase } from '../store/database.js';
import { waitForGo } from './race-processes.js';

const [path = '', countText = '100', actor = 'child'] = process.argv.slice(2);
const database = openDatabase(path);
const audit = new SqliteAuditLog(database);
await waitForGo();
let failures = 0;
for (let index = 0; index < Number(countText); index += 1) {
  try {
    audit.record({ actor, action: 'race.append', details: { index } });
  } catch {
    failures += 1;
  }
}
database.close();
process.stdout.write(`${JSON.stringify({ failures })}\n`);
