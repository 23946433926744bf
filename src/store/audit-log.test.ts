import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { raceProcesses } from '../testing/race-processes.js';
import { useTemporaryDirectories } from '../testing/temporary-directories.js';
import { SqliteAuditLog } from './audit-log.js';
import { openDatabase } from './database.js';

const CHILD = fileURLToPath(new URL('../testing/audit-log-race-child.ts', import.meta.url));
const temporaryDirectory = useTemporaryDirectories('teller-audit-');
function databaseFile(): string {
  return join(temporaryDirectory(), 'teller.db');
}

describe('audit log shared by several processes', () => {
  it("when two connections append in turn then each record chains to the other connection's last", () => {
    const path = databaseFile();
    const first = openDatabase(path);
    const second = openDatabase(path);
    const firstLog = new SqliteAuditLog(first);
    const secondLog = new SqliteAuditLog(second);
    for (let index = 0; index < 20; index += 1) {
      (index % 3 === 0 ? secondLog : firstLog).record({ actor: 'c_1', action: 'step', details: { index } });
    }
    expect(firstLog.verifyChain()).toBeUndefined();
    expect(secondLog.list({ limit: 100 })).toHaveLength(20);
    first.close();
    second.close();
  });

  it('when two processes append at the same moment then no append fails and the chain stays valid', async () => {
    const path = databaseFile();
    openDatabase(path).close();
    const results = (await raceProcesses(CHILD, [
      [path, '1000', 'first'],
      [path, '1000', 'second'],
    ])) as Array<{ failures: number }>;
    expect(results.map((result) => result.failures)).toEqual([0, 0]);
    const database = openDatabase(path);
    const audit = new SqliteAuditLog(database);
    expect(audit.verifyChain()).toBeUndefined();
    const actors = database.prepare('SELECT actor, COUNT(*) AS count FROM audit_log GROUP BY actor').all();
    expect(actors).toEqual([
      { actor: 'first', count: 1000 },
      { actor: 'second', count: 1000 },
    ]);
    // Interleaved, not one after the other: the race really happened.
    const switches = database
      .prepare(
        'SELECT COUNT(*) AS count FROM audit_log a JOIN audit_log b ON b.sequence = a.sequence + 1 WHERE a.actor != b.actor',
      )
      .get() as { count: number };
    expect(switches.count).toBeGreaterThan(1);
    database.close();
  });
});
