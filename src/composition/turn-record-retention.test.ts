import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { openDatabase } from '../store/database.js';
import { sqliteBackend } from '../store/sqlite-backend.js';
import { SettableClock, seedTurnTraffic } from '../testing/turn-traffic-seeder.js';
import { purgeTurnRecords } from './privacy-vault.js';

const DAY = 24 * 60 * 60 * 1000;

describe('turn records under VAULT_RETENTION_DAYS', () => {
  it('when records are older than retention then the purge deletes exactly those and audits the count', async () => {
    const config = loadConfig({ VAULT_RETENTION_DAYS: '7' });
    const start = new Date('2026-11-01T00:00:00.000Z');
    const clock = new SettableClock(start);
    const stores = sqliteBackend(openDatabase(':memory:'), clock.now);
    const seeded = await seedTurnTraffic(stores, clock, { start, days: 10, conversationsPerDay: 3 });
    // Retention reaches back to 4 November 12:00: 1–3 November go, and the 4th's morning turns.
    const now = () => new Date(Date.parse('2026-11-11T12:00:00.000Z'));
    const keptBefore = (await stores.turnRecords.list({ since: '2026-11-04T12:00:00.000Z', limit: 1000 }))
      .records;

    const report = await purgeTurnRecords(stores.turnRecords, config, { now, audit: stores.audit });

    expect(report.cutoff).toBe(new Date(now().getTime() - 7 * DAY).toISOString());
    const left = (await stores.turnRecords.list({ limit: 1000 })).records;
    expect(left.map((record) => record.id)).toEqual(keptBefore.map((record) => record.id));
    expect(report.deleted).toBe(seeded.turns - left.length);
    expect(report.deleted).toBeGreaterThan(0);
    const [audited] = await stores.audit.list({ actionPrefix: 'turn_records.' });
    expect(audited?.details).toEqual({ deleted: report.deleted, cutoff: report.cutoff, retentionDays: 7 });
    expect(await purgeTurnRecords(stores.turnRecords, config, { now, audit: stores.audit })).toMatchObject({
      deleted: 0,
    });
    await stores.close();
  });
});
