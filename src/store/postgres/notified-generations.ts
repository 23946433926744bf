import type { SharedGenerations } from '../shared-generations.js';
import type { PostgresDatabase } from './connection.js';
import { type GenerationListener, listenForGenerations } from './listen.js';
import { PostgresSharedGenerations } from './small-stores.js';

/** Shared counters mirrored in memory and kept current by notifications. */
export interface NotifiedSharedGenerations extends SharedGenerations {
  /** Resolves once the mirror holds the database's values and the listener is in place. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * `SharedGenerations` (a synchronous interface: callers check it on every turn) over PostgreSQL
 * counters, for instances on several hosts. Reads answer from an in-memory mirror; a NOTIFY from
 * any instance's bump refreshes the counter within milliseconds, and every (re)connection of the
 * listener re-reads all counters, so a notification lost while disconnected is caught up.
 * A bump counts locally at once and is written (and announced) in the background; its failure is
 * reported through `onError` and the next catch-up corrects the mirror.
 */
export function notifiedSharedGenerations(
  database: PostgresDatabase,
  { onError = () => undefined }: { onError?: (error: unknown) => void } = {},
): NotifiedSharedGenerations {
  const counters = new PostgresSharedGenerations(database);
  const mirror = new Map<string, number>();
  const raise = (name: string, value: number) => mirror.set(name, Math.max(mirror.get(name) ?? 0, value));
  const refresh = (name: string) => counters.read(name).then((value) => raise(name, value), onError);
  const refreshAll = async () => {
    const rows = await database.query<{ name: string; generation: string }>(
      'SELECT name, generation FROM shared_generations',
    );
    for (const row of rows) raise(row.name, Number(row.generation));
  };
  let listener: GenerationListener | undefined;
  const ready = refreshAll().then(async () => {
    listener = listenForGenerations({
      url: database.url,
      onBump: (name) => void refresh(name),
      onConnected: () => void refreshAll().catch(onError),
      onError,
    });
    await listener.ready;
  });

  return {
    ready,
    read: (name) => mirror.get(name) ?? 0,
    bump(name) {
      const value = (mirror.get(name) ?? 0) + 1;
      mirror.set(name, value);
      void counters.bump(name).then((stored) => raise(name, stored), onError);
      return value;
    },
    async close() {
      await listener?.close();
    },
  };
}
