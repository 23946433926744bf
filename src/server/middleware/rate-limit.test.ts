import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../store/database.js';
import { SqliteRateLimitStore } from '../../store/rate-limit-sqlite-store.js';
import { InMemoryRateLimitStore, type RateLimitStore } from '../../store/rate-limit-store.js';
import { raceProcesses } from '../../testing/race-processes.js';
import { useTemporaryDirectories } from '../../testing/temporary-directories.js';
import { ApiError } from '../errors.js';
import { rateLimit } from './rate-limit.js';

const CHILD = fileURLToPath(new URL('../../testing/rate-limit-race-child.ts', import.meta.url));
const temporaryDirectory = useTemporaryDirectories('teller-rate-');
function databaseFile(): string {
  return join(temporaryDirectory(), 'teller.db');
}

/** An app whose caller is named by the `x-subject` header, limited by `store`. */
function limitedApp(store: RateLimitStore, clock: { now: number }, requestsPerMinute = 3) {
  const app = new Hono();
  app.use('*', async (context, next) => {
    context.set('principal', {
      subject: context.req.header('x-subject') ?? 'c_1',
      roles: ['customer'],
    } as never);
    await next();
  });
  app.use('*', rateLimit({ requestsPerMinute, now: () => clock.now, store }));
  app.get('/', (context) => context.text('ok'));
  app.onError((error, context) =>
    error instanceof ApiError
      ? context.json({ code: error.code }, error.status, error.headers)
      : context.text('boom', 500),
  );
  return app;
}

const stores: Array<[string, () => RateLimitStore]> = [
  ['in memory', () => new InMemoryRateLimitStore()],
  ['sqlite', () => new SqliteRateLimitStore(openDatabase(':memory:'))],
];

describe.each(stores)('rate limit (%s)', (_name, createStore) => {
  it('when a subject spends its burst then the next request is refused with Retry-After', async () => {
    const clock = { now: 1_000_000 };
    const app = limitedApp(createStore(), clock);
    const statuses = [];
    for (let index = 0; index < 4; index += 1) statuses.push((await app.request('/')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await app.request('/');
    expect(refused.headers.get('Retry-After')).toBe('20');
  });

  it('when time passes then tokens come back, never beyond the burst', async () => {
    const clock = { now: 1_000_000 };
    const app = limitedApp(createStore(), clock);
    for (let index = 0; index < 3; index += 1) await app.request('/');
    clock.now += 20_000;
    expect((await app.request('/')).status).toBe(200);
    expect((await app.request('/')).status).toBe(429);
    clock.now += 3_600_000;
    const remaining = [];
    for (let index = 0; index < 4; index += 1) remaining.push((await app.request('/')).status);
    expect(remaining).toEqual([200, 200, 200, 429]);
  });

  it('when one subject is exhausted then another is still served', async () => {
    const clock = { now: 1_000_000 };
    const app = limitedApp(createStore(), clock);
    for (let index = 0; index < 4; index += 1)
      await app.request('/', { headers: { 'x-subject': 'c_noisy' } });
    expect((await app.request('/', { headers: { 'x-subject': 'c_noisy' } })).status).toBe(429);
    expect((await app.request('/', { headers: { 'x-subject': 'c_quiet' } })).status).toBe(200);
  });

  it('when a clock runs behind another then the bucket does not refill backwards', async () => {
    const store = createStore();
    const shape = { capacity: 2, refillPerMillisecond: 2 / 60_000 };
    expect((await store.take('c_1', shape, 100_000)).allowed).toBe(true);
    expect((await store.take('c_1', shape, 40_000)).allowed).toBe(true);
    expect((await store.take('c_1', shape, 40_000)).allowed).toBe(false);
  });
});

describe('rate limit shared through SQLite', () => {
  it('when two connections to one file spend one subject then they share a single budget', () => {
    const path = databaseFile();
    const first = new SqliteRateLimitStore(openDatabase(path));
    const second = new SqliteRateLimitStore(openDatabase(path));
    const shape = { capacity: 5, refillPerMillisecond: 5 / 60_000 };
    const allowed = Array.from(
      { length: 10 },
      (_, index) => (index % 2 === 0 ? first : second).take('c_1', shape, 1_000).allowed,
    );
    expect(allowed.filter(Boolean)).toHaveLength(5);
  });

  it("when the limiters have their own scope then they do not spend each other's tokens", () => {
    const database = openDatabase(':memory:');
    const api = new SqliteRateLimitStore(database, { scope: 'api' });
    const console = new SqliteRateLimitStore(database, { scope: 'console' });
    const shape = { capacity: 1, refillPerMillisecond: 1 / 60_000 };
    expect(api.take('c_1', shape, 0).allowed).toBe(true);
    expect(console.take('c_1', shape, 0).allowed).toBe(true);
    expect(api.take('c_1', shape, 0).allowed).toBe(false);
  });

  it('when many subjects go quiet then their rows are pruned', () => {
    const database = openDatabase(':memory:');
    const store = new SqliteRateLimitStore(database, { pruneEvery: 50 });
    const shape = { capacity: 10, refillPerMillisecond: 10 / 60_000 };
    for (let index = 0; index < 49; index += 1) store.take(`c_${index}`, shape, 0);
    expect(SqliteRateLimitStore.count(database)).toBe(49);
    store.take('c_late', shape, 61_000);
    expect(SqliteRateLimitStore.count(database)).toBe(1);
  });

  it('when two processes race for the last tokens then exactly the budget is granted', async () => {
    const path = databaseFile();
    openDatabase(path).close();
    const results = (await raceProcesses(CHILD, [
      [path, '3000', '4000', '5000'],
      [path, '3000', '4000', '5000'],
    ])) as Array<{ allowed: number }>;
    expect(results[0]!.allowed + results[1]!.allowed).toBe(4000);
    // Both really competed for the budget.
    expect(Math.min(results[0]!.allowed, results[1]!.allowed)).toBeGreaterThan(0);
  });
});
