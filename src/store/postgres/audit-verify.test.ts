import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createScratchDatabase,
  postgresUnavailableReason,
  type ScratchDatabase,
} from '../../testing/postgres-test-database.js';
import { AuditKeyMismatchError, PostgresAuditLog } from './audit-log.js';
import { openPostgresBackend, type PostgresBackend } from './postgres-backend.js';

const unavailable = await postgresUnavailableReason();
const KEY = 'ab'.repeat(32);
const OTHER_KEY = 'cd'.repeat(32);
const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

/** `npm run audit:verify` as an operator runs it, against `url`; its exit code and JSON line. */
async function auditVerify(url: string, auditKey: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'teller-audit-verify-'));
  try {
    const outcome = await run(process.execPath, ['--import', 'tsx', 'scripts/audit-verify.ts'], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: url, AUDIT_KEY: auditKey, DATA_DIR: dataDir, TELLER_ENV: 'test' },
    }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    return { code: outcome.code, report: JSON.parse(outcome.stdout.trim()) as Record<string, unknown> };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe.skipIf(unavailable)(
  `PostgreSQL audit log verification${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let scratch: ScratchDatabase;
    let backend: PostgresBackend;
    beforeAll(async () => {
      scratch = await createScratchDatabase();
      backend = await openPostgresBackend({ url: scratch.url, auditHeadKey: KEY });
    });
    afterAll(async () => {
      await backend?.close();
      await scratch?.drop();
    });

    /** Five fresh records, then the triggers off, as an attacker with database access could. */
    async function tamperableLog() {
      await backend.database.execute('ALTER TABLE audit_log ENABLE TRIGGER USER');
      // TRUNCATE also refused by a trigger: start each case from an empty log.
      await backend.database.execute('ALTER TABLE audit_log DISABLE TRIGGER USER');
      await backend.database.execute('DELETE FROM audit_log');
      await backend.database.execute('DELETE FROM audit_head');
      await backend.database.execute('ALTER TABLE audit_log ENABLE TRIGGER USER');
      for (let index = 1; index <= 5; index += 1) {
        await backend.audit.record({ actor: 'c_1', action: `step.${index}`, requestId: `req_${index}` });
      }
      await backend.database.execute('ALTER TABLE audit_log DISABLE TRIGGER USER');
      const rows = await backend.database.query<{ sequence: string; hash: string }>(
        'SELECT sequence, hash FROM audit_log ORDER BY sequence',
      );
      return rows.map((row) => ({ sequence: Number(row.sequence), hash: row.hash }));
    }
    const verify = (headKey: string | null = KEY) =>
      new PostgresAuditLog(backend.database, undefined, { ...(headKey && { headKey }) }).verify();

    it('when nothing was touched then the chain and the signed head verify', async () => {
      await tamperableLog();
      expect(await verify()).toEqual({ ok: true, records: 5, head: 'signed' });
      expect(await verify(null)).toEqual({ ok: true, records: 5, head: 'unsigned' });
    });

    it('when the tail is cut off then the signed head shows it', async () => {
      const records = await tamperableLog();
      await backend.database.execute('DELETE FROM audit_log WHERE sequence >= $1', [records[3]!.sequence]);
      expect(await verify()).toMatchObject({
        ok: false,
        records: 3,
        head: 'mismatch',
        problem: expect.stringMatching(/cut off the end/),
      });
    });

    it('when the head is rewritten to the new end without the key then its signature fails', async () => {
      const records = await tamperableLog();
      await backend.database.execute('DELETE FROM audit_log WHERE sequence >= $1', [records[3]!.sequence]);
      await backend.database.execute('UPDATE audit_head SET sequence = $1, hash = $2', [
        records[2]!.sequence,
        records[2]!.hash,
      ]);
      expect(await verify()).toMatchObject({ ok: false, head: 'forged' });
      await backend.database.execute('DELETE FROM audit_head');
      expect(await verify()).toMatchObject({ ok: false, head: 'missing' });
    });

    it('when a record in the middle is deleted then the next record no longer links', async () => {
      const records = await tamperableLog();
      await backend.database.execute('DELETE FROM audit_log WHERE sequence = $1', [records[2]!.sequence]);
      expect(await verify()).toMatchObject({
        ok: false,
        brokenAt: records[3]!.sequence,
        problem: expect.stringMatching(/link/),
      });
    });

    it('when npm run audit:verify runs with DATABASE_URL then it checks PostgreSQL: 0 when intact, 1 when cut or under another key', async () => {
      const records = await tamperableLog();
      const intact = await auditVerify(scratch.url, KEY);
      expect(intact.code).toBe(0);
      expect(intact.report).toMatchObject({ ok: true, records: 5, head: 'signed' });
      expect(String(intact.report.database)).toMatch(/^postgres 127\.0\.0\.1:5432\/teller_test_/);

      const otherKey = await auditVerify(scratch.url, OTHER_KEY);
      expect(otherKey).toMatchObject({ code: 1, report: { ok: false, head: 'forged' } });

      await backend.database.execute('DELETE FROM audit_log WHERE sequence = $1', [records[4]!.sequence]);
      const cut = await auditVerify(scratch.url, KEY);
      expect(cut).toMatchObject({ code: 1, report: { ok: false, head: 'mismatch' } });
      // Three runs of the command, each a fresh Node process compiling TypeScript: slow on a busy machine.
    }, 180_000);

    it('when an instance starts with another AUDIT_KEY than the one that signed the head then it stops before appending', async () => {
      await tamperableLog();
      const before = (await backend.audit.list({ limit: 100 })).length;
      await expect(openPostgresBackend({ url: scratch.url, auditHeadKey: OTHER_KEY })).rejects.toBeInstanceOf(
        AuditKeyMismatchError,
      );
      expect((await backend.audit.list({ limit: 100 })).length).toBe(before);
      // The same key, or no head yet, starts normally.
      const sameKey = await openPostgresBackend({ url: scratch.url, auditHeadKey: KEY });
      await sameKey.close();
      await backend.database.execute('DELETE FROM audit_head');
      const noHead = await openPostgresBackend({ url: scratch.url, auditHeadKey: OTHER_KEY });
      await noHead.close();
    });
  },
);
