import Database from 'better-sqlite3';
import { EmbeddedBank } from './embedded-bank.js';
import { DEFAULT_SEED_DATE, seedDemoBank } from './seed.js';

/**
 * A seeded demo bank in a fresh in-memory database, for tests, evals and local demos. `now` is
 * pinned to midday of the seed date so relative dates ("yesterday") are reproducible.
 */
export function createDemoBank(options: { today?: string } = {}): {
  bank: EmbeddedBank;
  now: () => Date;
  today: string;
} {
  const today = options.today ?? DEFAULT_SEED_DATE;
  const database = new Database(':memory:');
  seedDemoBank(database, { today });
  const now = () => new Date(`${today}T12:00:00Z`);
  return { bank: new EmbeddedBank({ database, now }), now, today };
}
