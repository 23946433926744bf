/**
 * Outcome analytics on the embedded database: seeds about 100k synthetic turns (with their
 * conversations, messages and handoffs, through the same stores the service writes with) into a
 * temporary SQLite file, then times `GET /v1/admin/analytics`'s query over the last week and over
 * everything, by day and by week: wall time, and this process's CPU time per query (which other
 * load on the machine does not inflate). Target: p95 under 200 ms at 100k turns.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../src/store/database.js';
import { sqliteBackend } from '../../src/store/sqlite-backend.js';
import type { AnalyticsBucketSize } from '../../src/store/turn-analytics.js';
import { SettableClock, seedTurnTraffic } from '../../src/testing/turn-traffic-seeder.js';
import { round, summarize } from '../framework/statistics.js';
import type { Benchmark } from '../framework/types.js';

const DAY_MS = 86_400_000;
const day = (time: number) => new Date(time).toISOString().slice(0, 10);

export const benchmark: Benchmark = {
  name: 'analytics',
  description: 'Outcome analytics query over ~100k turns in SQLite: p50/p95 ms over a week and over all',
  async run(context) {
    const days = 60;
    const turnsPerConversation = 3;
    const conversationsPerDay = context.quick ? 60 : 556;
    const start = new Date('2026-09-01T00:00:00.000Z');
    const end = new Date(start.getTime() + days * DAY_MS);
    const directory = mkdtempSync(join(tmpdir(), 'teller-bench-analytics-'));
    const database = openDatabase(join(directory, 'teller.db'));
    try {
      const clock = new SettableClock(start);
      const backend = sqliteBackend(database, clock.now);
      const seedingStarted = performance.now();
      const seeded = await seedTurnTraffic(backend, clock, {
        start,
        days,
        conversationsPerDay,
        turnsPerConversation,
        seed: context.seed,
        batch: 500,
      });
      const seedingSeconds = (performance.now() - seedingStarted) / 1000;
      database.pragma('optimize');
      const windows = {
        week: { from: day(end.getTime() - 7 * DAY_MS), to: day(end.getTime()) },
        all: { from: day(start.getTime()), to: day(end.getTime()) },
      };
      const rounds = context.quick ? 5 : 30;
      const figures: Record<string, number> = {};
      for (const [windowName, window] of Object.entries(windows)) {
        for (const bucket of ['day', 'week'] as AnalyticsBucketSize[]) {
          const query = { ...window, bucket };
          await backend.turnRecords.aggregate(query);
          const times: number[] = [];
          const cpuTimes: number[] = [];
          for (let index = 0; index < rounds; index++) {
            const started = performance.now();
            const cpuStarted = process.cpuUsage();
            await backend.turnRecords.aggregate(query);
            const cpu = process.cpuUsage(cpuStarted);
            times.push(performance.now() - started);
            cpuTimes.push((cpu.user + cpu.system) / 1000);
          }
          const summary = summarize(times);
          const cpuSummary = summarize(cpuTimes);
          figures[`analytics.${windowName}.by_${bucket}.p50_ms`] = round(summary.p50, 2);
          figures[`analytics.${windowName}.by_${bucket}.p95_ms`] = round(summary.p95, 2);
          // CPU time of this process per query: what the query costs, whatever else shares the cores.
          figures[`analytics.${windowName}.by_${bucket}.cpu_p50_ms`] = round(cpuSummary.p50, 2);
          figures[`analytics.${windowName}.by_${bucket}.cpu_p95_ms`] = round(cpuSummary.p95, 2);
        }
      }
      return {
        figures,
        environment: {
          turns: String(seeded.turns),
          handoffs: String(seeded.handoffs),
          days: String(days),
          rounds: String(rounds),
          seeding: `${seedingSeconds.toFixed(1)} s`,
          database: 'SQLite file (WAL), as the service opens it',
        },
      };
    } finally {
      database.close();
      rmSync(directory, { recursive: true, force: true });
    }
  },
};
