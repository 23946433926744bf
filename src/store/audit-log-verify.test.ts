import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SqliteAuditLog } from './audit-log.js';
import { openDatabase } from './database.js';

const KEY = 'ab'.repeat(32);

/** A log of five records whose triggers are dropped, as an attacker with the database file could. */
function tamperableLog(headKey: string | null = KEY) {
  const database = openDatabase(':memory:');
  const audit = new SqliteAuditLog(database, () => new Date('2026-11-25T10:00:00Z'), {
    ...(headKey && { headKey }),
  });
  for (let index = 1; index <= 5; index += 1) {
    audit.record({ actor: 'c_1', action: `step.${index}`, requestId: `req_${index}`, details: { index } });
  }
  database.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
  return { database, audit };
}

describe('audit log verification', () => {
  it('when nothing was touched then the chain and the signed head verify', () => {
    const { audit } = tamperableLog();
    expect(audit.verify()).toEqual({ ok: true, records: 5, head: 'signed' });
  });

  it('when a request id is changed then the record no longer matches its hash', () => {
    const { database, audit } = tamperableLog();
    database.prepare("UPDATE audit_log SET request_id = 'req_forged' WHERE sequence = 2").run();
    expect(audit.verify()).toMatchObject({
      ok: false,
      brokenAt: 2,
      problem: expect.stringMatching(/contents/),
    });
  });

  it('when any stored field is changed then verification fails at that record', () => {
    for (const [column, value] of [
      ['at', '2020-01-01T00:00:00.000Z'],
      ['actor', 'someone_else'],
      ['action', 'step.other'],
      ['subject', 'conv_x'],
      ['details', '{"index":99}'],
    ] as const) {
      const { database, audit } = tamperableLog();
      database.prepare(`UPDATE audit_log SET ${column} = ? WHERE sequence = 3`).run(value);
      expect(audit.verify(), column).toMatchObject({ ok: false, brokenAt: 3 });
    }
  });

  it('when a record in the middle is deleted then the next record no longer links', () => {
    const { database, audit } = tamperableLog();
    database.prepare('DELETE FROM audit_log WHERE sequence = 3').run();
    expect(audit.verify()).toMatchObject({ ok: false, brokenAt: 4, problem: expect.stringMatching(/link/) });
  });

  it('when the tail is cut off then the signed head shows it', () => {
    const { database, audit } = tamperableLog();
    database.prepare('DELETE FROM audit_log WHERE sequence >= 4').run();
    expect(audit.verify()).toMatchObject({
      ok: false,
      head: 'mismatch',
      problem: expect.stringMatching(/cut off/),
    });
  });

  it('when the head is rewritten to the new end without the key then its signature fails', () => {
    const { database, audit } = tamperableLog();
    database.prepare('DELETE FROM audit_log WHERE sequence >= 4').run();
    const last = database
      .prepare('SELECT sequence, hash FROM audit_log ORDER BY sequence DESC LIMIT 1')
      .get() as {
      sequence: number;
      hash: string;
    };
    database.prepare('UPDATE audit_head SET sequence = ?, hash = ?').run(last.sequence, last.hash);
    expect(audit.verify()).toMatchObject({ ok: false, head: 'forged' });
    database.prepare('DELETE FROM audit_head').run();
    expect(audit.verify()).toMatchObject({ ok: false, head: 'missing' });
  });

  it('when no head key is configured then the chain is still checked and the result says the head is unsigned', () => {
    const { database, audit } = tamperableLog(null);
    expect(audit.verify()).toEqual({ ok: true, records: 5, head: 'unsigned' });
    database.prepare('DELETE FROM audit_log WHERE sequence = 2').run();
    expect(audit.verify()).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('when records of the first format precede new ones then both verify and the chain continues across them', () => {
    const database = openDatabase(':memory:');
    const audit = new SqliteAuditLog(database, undefined, { headKey: KEY });
    audit.record({ actor: 'c_1', action: 'step.1' });
    // A record as the first release wrote it: its hash left the sequence and request id out.
    database.exec('DROP TRIGGER audit_log_no_update');
    const first = database.prepare('SELECT * FROM audit_log WHERE sequence = 1').get() as Record<
      string,
      string
    >;
    const hash = createHash('sha256').update(first.previous_hash as string);
    for (const field of [first.at, first.actor, first.action, first.subject, first.details]) {
      hash.update('\u0000').update(field ?? '');
    }
    const legacyHash = hash.digest('hex');
    database.prepare('UPDATE audit_log SET format = 1, hash = ? WHERE sequence = 1').run(legacyHash);
    database.prepare('UPDATE audit_head SET hash = ?, signature = ?').run(legacyHash, 'x');
    const fresh = new SqliteAuditLog(database, undefined, { headKey: KEY });
    fresh.record({ actor: 'c_1', action: 'step.2', requestId: 'req_2' });
    expect(fresh.verify()).toEqual({ ok: true, records: 2, head: 'signed' });
  });
});
