import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendsUnderTest } from '../../testing/store-backends.js';
import { type SeededTraffic, SettableClock, seedTurnTraffic } from '../../testing/turn-traffic-seeder.js';
import type { StateBackend } from '../ports.js';

// Wednesday 18 to Tuesday 24 November 2026: two ISO weeks (starting Mondays 16 and 23 November).
const START = new Date('2026-11-18T00:00:00.000Z');
const WINDOW = { from: '2026-11-18', to: '2026-11-25' };

for (const backend of await backendsUnderTest()) {
  const title = `${backend.name} turn analytics${backend.skipReason ? ` (skipped: ${backend.skipReason})` : ''}`;
  describe.skipIf(backend.skipReason)(title, () => {
    let store: StateBackend;
    let seeded: SeededTraffic;
    beforeAll(async () => {
      const clock = new SettableClock(START);
      store = await backend.open(clock.now);
      seeded = await seedTurnTraffic(store, clock, { start: START, days: 7, conversationsPerDay: 12 });
    }, 60_000);
    afterAll(async () => store?.close());

    it('when a week is aggregated by day then every figure matches what was seeded', async () => {
      const analytics = await store.turnRecords.aggregate({ ...WINDOW, bucket: 'day' });
      expect(analytics.buckets.map((bucket) => bucket.start)).toEqual([
        '2026-11-18',
        '2026-11-19',
        '2026-11-20',
        '2026-11-21',
        '2026-11-22',
        '2026-11-23',
        '2026-11-24',
      ]);
      for (const bucket of analytics.buckets) {
        expect({ turns: bucket.turns, contained: bucket.contained }).toEqual(seeded.perDay[bucket.start]);
      }
      expect(analytics.totals.turns).toBe(seeded.turns);
      expect(analytics.totals.contained).toBe(seeded.contained);
      expect(analytics.totals.containmentRate).toBeCloseTo(seeded.contained / seeded.turns, 10);
      expect(analytics.totals.kinds).toEqual(seeded.kinds);
      expect(analytics.totals.ratings).toMatchObject({
        helpful: seeded.helpful,
        notHelpful: seeded.notHelpful,
      });
      const reasons: Record<string, number> = {};
      for (const row of analytics.handoffReasons) reasons[row.name] = (reasons[row.name] ?? 0) + row.count;
      expect(reasons).toEqual(seeded.handoffReasons);
      const rules: Record<string, number> = {};
      for (const row of analytics.refusalRules) rules[row.name] = (rules[row.name] ?? 0) + row.count;
      expect(rules).toEqual(seeded.refusalRules);
      // The seeder gives a reason with every "not helpful" and none with "helpful".
      expect(analytics.ratingReasons.reduce((total, row) => total + row.count, 0)).toBe(seeded.notHelpful);
      expect(analytics.ratingReasons.every((row) => row.detail === 'not_helpful')).toBe(true);
      expect(analytics.intents.reduce((total, row) => total + row.count, 0)).toBe(seeded.turns);
    });

    it('when handoffs were claimed and resolved then queue wait and handling times are within what was drawn', async () => {
      const { queue } = (await store.turnRecords.aggregate({ ...WINDOW, bucket: 'day' })).totals;
      expect(queue).toMatchObject({
        opened: seeded.handoffs,
        claimed: seeded.handoffs,
        resolved: seeded.handoffs,
      });
      // The seeder draws waits of 30 s to 10.5 min and handling of 1 to 16 min.
      expect(queue.averageWaitSeconds).toBeGreaterThanOrEqual(30);
      expect(queue.maxWaitSeconds).toBeLessThanOrEqual(630);
      expect(queue.averageWaitSeconds).toBeLessThanOrEqual(queue.maxWaitSeconds!);
      expect(queue.averageHandlingSeconds).toBeGreaterThanOrEqual(60);
      expect(queue.averageHandlingSeconds).toBeLessThanOrEqual(960);
    });

    it('when the week is aggregated by week then buckets start on Mondays and add up to the same totals', async () => {
      const weekly = await store.turnRecords.aggregate({ ...WINDOW, bucket: 'week' });
      expect(weekly.buckets.map((bucket) => bucket.start)).toEqual(['2026-11-16', '2026-11-23']);
      const days = ['2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22'];
      expect(weekly.buckets[0]?.turns).toBe(
        days.reduce((total, day) => total + seeded.perDay[day]!.turns, 0),
      );
      expect(weekly.totals.turns).toBe(seeded.turns);
      expect(weekly.totals.kinds).toEqual(seeded.kinds);
    });

    it('when the window excludes the traffic then nothing is counted', async () => {
      const empty = await store.turnRecords.aggregate({
        from: '2026-12-01',
        to: '2026-12-08',
        bucket: 'day',
      });
      expect(empty.buckets).toEqual([]);
      expect(empty.totals).toMatchObject({ turns: 0, containmentRate: null, handoffRate: null });
    });

    it('when a turn is rated again and old days are purged then the daily counts follow', async () => {
      const before = await store.turnRecords.aggregate({ ...WINDOW, bucket: 'week' });
      const page = await store.turnRecords.list({ since: '2026-11-24T00:00:00.000Z', limit: 20 });
      const turn = page.records.find((record) => record.rating === 'helpful');
      expect(turn).toBeDefined();
      await store.turnRecords.rate(turn!.id, turn!.customerId, 'not_helpful', 'too_vague');
      const rerated = await store.turnRecords.aggregate({ ...WINDOW, bucket: 'week' });
      expect(rerated.totals.turns).toBe(before.totals.turns);
      expect(rerated.totals.ratings.helpful).toBe(before.totals.ratings.helpful - 1);
      expect(rerated.totals.ratings.notHelpful).toBe(before.totals.ratings.notHelpful + 1);
      const tooVague = (analytics: typeof before) =>
        analytics.ratingReasons
          .filter((row) => row.name === 'too_vague')
          .reduce((total, row) => total + row.count, 0);
      expect(tooVague(rerated)).toBe(tooVague(before) + 1);

      await store.turnRecords.purgeBefore(new Date('2026-11-20T00:00:00.000Z'));
      const purged = await store.turnRecords.aggregate({ ...WINDOW, bucket: 'day' });
      // The purged days keep only their handoff queue figures (handoffs are not turn records).
      for (const bucket of purged.buckets.filter((candidate) => candidate.start < '2026-11-20')) {
        expect(bucket.turns).toBe(0);
        expect(Object.values(bucket.kinds).every((howMany) => howMany === 0)).toBe(true);
      }
      const purgedTurns = seeded.perDay['2026-11-18']!.turns + seeded.perDay['2026-11-19']!.turns;
      expect(purged.totals.turns).toBe(seeded.turns - purgedTurns);
      expect(Object.values(purged.totals.kinds).reduce((total, howMany) => total + howMany, 0)).toBe(
        purged.totals.turns,
      );
      expect(purged.intents.every((row) => row.bucket >= '2026-11-20' && row.count > 0)).toBe(true);
    });
  });
}
