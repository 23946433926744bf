import { openDatabase } from '../store/database.js';
import type { StateBackend } from '../store/ports.js';
import { openPostgresBackend } from '../store/postgres/postgres-backend.js';
import { sqliteBackend } from '../store/sqlite-backend.js';
import { createScratchDatabase, postgresUnavailableReason } from './postgres-test-database.js';

/** One backend under contract test: how to open a fresh one, and why it is skipped, if it is. */
export interface BackendUnderTest {
  readonly name: 'sqlite' | 'postgres';
  /** Set when the backend cannot run here; the suite is skipped with this reason in its title. */
  readonly skipReason: string | undefined;
  /**
   * A fresh, empty backend with a clock that moves one second per call (or `now`, when a test
   * sets the times itself); `close` drops it.
   */
  open(now?: () => Date): Promise<StateBackend & { readonly url?: string }>;
}

/** A clock that moves forward one second every time it is read, so orderings by time are strict. */
export function steppingClock(start = Date.parse('2026-03-02T09:00:00Z')): () => Date {
  let time = start;
  return () => {
    time += 1000;
    return new Date(time);
  };
}

/** Both backends; PostgreSQL only when it answers. */
export async function backendsUnderTest(): Promise<BackendUnderTest[]> {
  const postgresReason = await postgresUnavailableReason();
  return [
    {
      name: 'sqlite',
      skipReason: undefined,
      open: async (now = steppingClock()) => sqliteBackend(openDatabase(':memory:'), now),
    },
    {
      name: 'postgres',
      skipReason: postgresReason,
      async open(now = steppingClock()) {
        const scratch = await createScratchDatabase();
        const backend = await openPostgresBackend({
          url: scratch.url,
          now,
          maxConnections: 8,
        });
        return {
          ...backend,
          url: scratch.url,
          async close() {
            await backend.close();
            await scratch.drop();
          },
        };
      },
    },
  ];
}
