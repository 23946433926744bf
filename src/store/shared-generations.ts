import type { SqliteDatabase, Statement } from './database.js';

/**
 * Named counters shared by the worker processes of one host: a process that changes something
 * every worker keeps in memory (published knowledge, policies) bumps its counter, and the others
 * notice the new value before they next use it and reload.
 */
export interface SharedGenerations {
  /** The current value; 0 before the first bump. */
  read(name: string): number;
  /** Adds one and returns the new value. */
  bump(name: string): number;
}

/** Counters in `shared_generations` (migration 4); reading one is a primary-key lookup. */
export class SqliteSharedGenerations implements SharedGenerations {
  readonly #read: Statement;
  readonly #bump: Statement;

  constructor(database: SqliteDatabase) {
    this.#read = database.prepare('SELECT generation FROM shared_generations WHERE name = ?');
    this.#bump = database.prepare(
      `INSERT INTO shared_generations (name, generation) VALUES (?, 1)
       ON CONFLICT (name) DO UPDATE SET generation = generation + 1
       RETURNING generation`,
    );
  }

  read(name: string): number {
    return (this.#read.get(name) as { generation: number } | undefined)?.generation ?? 0;
  }

  bump(name: string): number {
    return (this.#bump.get(name) as { generation: number }).generation;
  }
}

/** Counters in process memory: one process, or tests standing in for several. */
export class InMemorySharedGenerations implements SharedGenerations {
  readonly #values = new Map<string, number>();

  read(name: string): number {
    return this.#values.get(name) ?? 0;
  }

  bump(name: string): number {
    const value = this.read(name) + 1;
    this.#values.set(name, value);
    return value;
  }
}

/** One process's view of one counter: what it last caught up with. */
export interface FollowedGeneration {
  /** Runs `catchUp` when another process bumped the counter since; remembers the value once it succeeded. */
  sync(catchUp: () => void): void;
  /** The same for asynchronous work. */
  syncAsync(catchUp: () => Promise<void>): Promise<void>;
  /** Announces this process's own change, which it need not catch up with. */
  bump(): void;
}

/** Starts following `name` from its current value. */
export function followGeneration(generations: SharedGenerations, name: string): FollowedGeneration {
  let seen = generations.read(name);
  let pending: Promise<void> | undefined;
  return {
    sync(catchUp) {
      const current = generations.read(name);
      if (current === seen) return;
      catchUp();
      seen = current;
    },
    syncAsync(catchUp) {
      // Callers arriving while a catch-up runs wait for that one instead of starting another.
      if (pending) return pending;
      const current = generations.read(name);
      if (current === seen) return Promise.resolve();
      pending = catchUp()
        .then(() => {
          seen = Math.max(seen, current);
        })
        .finally(() => {
          pending = undefined;
        });
      return pending;
    },
    bump() {
      const before = seen;
      const after = generations.bump(name);
      // Another process's change between ours and the last sync still needs catching up with.
      seen = after === before + 1 ? after : before;
    },
  };
}
