/** Race child for postgres.test.ts: appends audit records to a shared PostgreSQL database as fast as it can. */

import { openPostgresBackend } from '../store/postgres/postgres-backend.js';
import { waitForGo } from './race-processes.js';

const [url = '', countText = '100', actor = 'child'] = process.argv.slice(2);
const backend = await openPostgresBackend({ url, maxConnections: 4 });
await waitForGo();
let failures = 0;
// Four appends in flight per process, so the processes' transactions really overlap.
const work = Array.from({ length: 4 }, async (_, lane) => {
  for (let index = lane; index < Number(countText); index += 4) {
    try {
      await backend.audit.record({ actor, action: 'race.append', details: { index } });
    } catch {
      failures += 1;
    }
  }
});
await Promise.all(work);
await backend.close();
process.stdout.write(`${JSON.stringify({ failures })}\n`);
