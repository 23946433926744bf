import type { SqliteDatabase, Statement } from './database.js';
import type { RateLimitDecision, RateLimitStore, TokenBucketShape } from './rate-limit-store.js';

/**
 * Token buckets in the embedded database (`rate_limit_buckets`, migration 4), so every worker
 * process on the host draws from one budget per subject. Each request is one
 * `INSERT ... ON CONFLICT DO UPDATE ... RETURNING`: refill, take and answer happen in a single
 * statement under SQLite's write lock, so two processes can never both spend the last token.
 */
export class SqliteRateLimitStore implements RateLimitStore {
  readonly #take: Statement;
  readonly #prune: Statement;
  readonly #scope: string;
  readonly #pruneEvery: number;
  #takesSincePrune = 0;

  /**
   * @param scope Separates limiters that share the table (the API and the console have their own rates).
   * @param pruneEvery How many requests between sweeps of buckets that are full again.
   */
  constructor(
    database: SqliteDatabase,
    { scope = 'api', pruneEvery = 1000 }: { scope?: string; pruneEvery?: number } = {},
  ) {
    this.#scope = scope;
    this.#pruneEvery = pruneEvery;
    // Every SET expression sees the row as it was, so `refilled` is spelled out in each.
    const refilled = 'min(@capacity, tokens + max(0, @at - updated_at) * @refill)';
    this.#take = database.prepare(
      `INSERT INTO rate_limit_buckets (scope, subject, tokens, updated_at, allowed)
       VALUES (@scope, @subject, @capacity - 1, @at, 1)
       ON CONFLICT (scope, subject) DO UPDATE SET
         tokens = CASE WHEN ${refilled} >= 1 THEN ${refilled} - 1 ELSE ${refilled} END,
         allowed = ${refilled} >= 1,
         updated_at = max(updated_at, @at)
       RETURNING tokens, allowed`,
    );
    this.#prune = database.prepare('DELETE FROM rate_limit_buckets WHERE scope = ? AND updated_at < ?');
  }

  take(subject: string, { capacity, refillPerMillisecond }: TokenBucketShape, at: number): RateLimitDecision {
    const row = this.#take.get({
      scope: this.#scope,
      subject,
      capacity,
      refill: refillPerMillisecond,
      at,
    }) as { tokens: number; allowed: number };
    this.#takesSincePrune += 1;
    if (this.#takesSincePrune >= this.#pruneEvery) {
      this.#takesSincePrune = 0;
      // A bucket idle for a full refill is full again, exactly what a missing row means.
      this.#prune.run(this.#scope, at - Math.ceil(capacity / refillPerMillisecond));
    }
    return { allowed: row.allowed === 1, tokens: row.tokens };
  }

  /** Buckets held for this scope (for tests and diagnostics). */
  static count(database: SqliteDatabase, scope = 'api'): number {
    return (
      database.prepare('SELECT COUNT(*) AS count FROM rate_limit_buckets WHERE scope = ?').get(scope) as {
        count: number;
      }
    ).count;
  }
}
