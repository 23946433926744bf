/** Race child for rate-limit.test.ts: spends tokens of one shared bucket as fast as it can. */

import { openDatabase } from '../store/database.js';
import { SqliteRateLimitStore } from '../store/rate-limit-sqlite-store.js';
import { waitForGo } from './race-processes.js';

const [path = '', countText = '100', capacityText = '50', atText = '0'] = process.argv.slice(2);
const database = openDatabase(path);
const store = new SqliteRateLimitStore(database);
const bucket = { capacity: Number(capacityText), refillPerMillisecond: Number(capacityText) / 60_000 };
await waitForGo();
let allowed = 0;
for (let index = 0; index < Number(countText); index += 1) {
  // A fixed instant: no refill during the race, so the budget is exactly `capacity`.
  if (store.take('c_shared', bucket, Number(atText)).allowed) allowed += 1;
}
database.close();
process.stdout.write(`${JSON.stringify({ allowed })}\n`);
