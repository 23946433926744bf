/** What a bucket looks like to a store: its size and how fast it refills. */
export interface TokenBucketShape {
  /** Most tokens a bucket holds (the burst). */
  readonly capacity: number;
  readonly refillPerMillisecond: number;
}

/** The outcome of taking one token. */
export interface RateLimitDecision {
  readonly allowed: boolean;
  /** Tokens left after this request (fractional while refilling). */
  readonly tokens: number;
}

/**
 * Where token buckets live. In memory for one process; in SQLite (`SqliteRateLimitStore`) when
 * several worker processes must share one budget per subject.
 */
export interface RateLimitStore {
  /** Refills `subject`'s bucket up to `at`, then takes one token when there is one; atomically. */
  take(subject: string, bucket: TokenBucketShape, at: number): RateLimitDecision | Promise<RateLimitDecision>;
}

/** Token buckets in process memory, least recently used evicted beyond `maxTrackedSubjects`. */
export class InMemoryRateLimitStore implements RateLimitStore {
  readonly #buckets = new Map<string, { tokens: number; updatedAt: number }>();
  readonly #maxTrackedSubjects: number;

  constructor({ maxTrackedSubjects = 100_000 }: { maxTrackedSubjects?: number } = {}) {
    this.#maxTrackedSubjects = maxTrackedSubjects;
  }

  take(subject: string, { capacity, refillPerMillisecond }: TokenBucketShape, at: number): RateLimitDecision {
    const bucket = this.#buckets.get(subject) ?? { tokens: capacity, updatedAt: at };
    bucket.tokens = Math.min(
      capacity,
      bucket.tokens + Math.max(0, at - bucket.updatedAt) * refillPerMillisecond,
    );
    bucket.updatedAt = Math.max(bucket.updatedAt, at);
    // Re-insert so Map order is least-recently-used first, then evict the oldest beyond the bound.
    this.#buckets.delete(subject);
    this.#buckets.set(subject, bucket);
    if (this.#buckets.size > this.#maxTrackedSubjects)
      this.#buckets.delete(this.#buckets.keys().next().value as string);
    if (bucket.tokens < 1) return { allowed: false, tokens: bucket.tokens };
    bucket.tokens -= 1;
    return { allowed: true, tokens: bucket.tokens };
  }
}
