import { type PendingAction, type PendingActionStore, pendingActionSchema } from '../pending-action-store.js';
import type { GenerationRepository, LeaseRepository } from '../ports.js';
import type { RateLimitDecision, RateLimitStore, TokenBucketShape } from '../rate-limit-store.js';
import type { PostgresDatabase } from './connection.js';

/** Pending confirmations in PostgreSQL: a "yes" sent to another instance finds its action. */
export class PostgresPendingActionStore implements PendingActionStore {
  constructor(private readonly database: PostgresDatabase) {}

  async save(action: PendingAction): Promise<void> {
    const graceCutoff = new Date(Date.parse(action.createdAt) - 60 * 60 * 1000).toISOString();
    await this.database.atomically(async () => {
      await this.database.execute(
        'DELETE FROM pending_actions WHERE conversation_id = $1 OR expires_at < $2',
        [action.conversationId, graceCutoff],
      );
      await this.database.execute(
        'INSERT INTO pending_actions (id, conversation_id, created_at, expires_at, action) VALUES ($1, $2, $3, $4, $5)',
        [action.id, action.conversationId, action.createdAt, action.expiresAt, JSON.stringify(action)],
      );
    });
  }

  async get(id: string): Promise<PendingAction | undefined> {
    const [row] = await this.database.query<{ action: string }>(
      'SELECT action FROM pending_actions WHERE id = $1',
      [id],
    );
    return row && parsePendingAction(row.action);
  }

  async latestFor(conversationId: string): Promise<PendingAction | undefined> {
    const [row] = await this.database.query<{ action: string }>(
      'SELECT action FROM pending_actions WHERE conversation_id = $1 ORDER BY created_at DESC LIMIT 1',
      [conversationId],
    );
    return row && parsePendingAction(row.action);
  }

  async delete(id: string): Promise<void> {
    await this.database.execute('DELETE FROM pending_actions WHERE id = $1', [id]);
  }
}

/** Rows are read back through the schema: a damaged row is treated as no pending action. */
function parsePendingAction(text: string): PendingAction | undefined {
  try {
    const parsed = pendingActionSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Token buckets in PostgreSQL: one budget per subject across every instance. Refill, take and
 * answer are one `INSERT ... ON CONFLICT DO UPDATE ... RETURNING`, atomic under the row lock.
 */
export class PostgresRateLimitStore implements RateLimitStore {
  readonly #database: PostgresDatabase;
  readonly #scope: string;
  readonly #pruneEvery: number;
  #takesSincePrune = 0;

  constructor(
    database: PostgresDatabase,
    { scope = 'api', pruneEvery = 1000 }: { scope?: string; pruneEvery?: number } = {},
  ) {
    this.#database = database;
    this.#scope = scope;
    this.#pruneEvery = pruneEvery;
  }

  async take(
    subject: string,
    { capacity, refillPerMillisecond }: TokenBucketShape,
    at: number,
  ): Promise<RateLimitDecision> {
    // $3 capacity, $4 refill per ms, $5 now; every SET expression sees the row as it was.
    const refilled =
      'LEAST($3::double precision, rate_limit_buckets.tokens + GREATEST(0, $5::bigint - rate_limit_buckets.updated_at) * $4::double precision)';
    const [row] = await this.#database.query<{ tokens: number; allowed: boolean }>(
      `INSERT INTO rate_limit_buckets (scope, subject, tokens, updated_at, allowed)
       VALUES ($1, $2, $3::double precision - 1, $5, true)
       ON CONFLICT (scope, subject) DO UPDATE SET
         tokens = CASE WHEN ${refilled} >= 1 THEN ${refilled} - 1 ELSE ${refilled} END,
         allowed = ${refilled} >= 1,
         updated_at = GREATEST(rate_limit_buckets.updated_at, $5::bigint)
       RETURNING tokens, allowed`,
      [this.#scope, subject, capacity, refillPerMillisecond, at],
    );
    this.#takesSincePrune += 1;
    if (this.#takesSincePrune >= this.#pruneEvery) {
      this.#takesSincePrune = 0;
      // A bucket idle for a full refill is full again, exactly what a missing row means.
      await this.#database.execute('DELETE FROM rate_limit_buckets WHERE scope = $1 AND updated_at < $2', [
        this.#scope,
        at - Math.ceil(capacity / refillPerMillisecond),
      ]);
    }
    return { allowed: row!.allowed, tokens: row!.tokens };
  }
}

/** Conversation leases in PostgreSQL: turns of one conversation never overlap, on any host. */
export class PostgresConversationLeases implements LeaseRepository {
  readonly #database: PostgresDatabase;
  readonly #now: () => number;

  constructor(database: PostgresDatabase, now: () => number = Date.now) {
    this.#database = database;
    this.#now = now;
  }

  async tryAcquire(conversationId: string, holder: string, expiresAt: number): Promise<boolean> {
    const [row] = await this.#database.query<{ holder: string }>(
      `INSERT INTO conversation_leases (conversation_id, holder, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (conversation_id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE conversation_leases.expires_at <= $4
       RETURNING holder`,
      [conversationId, holder, expiresAt, this.#now()],
    );
    return row?.holder === holder;
  }

  async renew(conversationId: string, holder: string, expiresAt: number): Promise<boolean> {
    const changed = await this.#database.execute(
      'UPDATE conversation_leases SET expires_at = $1 WHERE conversation_id = $2 AND holder = $3',
      [expiresAt, conversationId, holder],
    );
    return changed === 1;
  }

  async release(conversationId: string, holder: string): Promise<void> {
    await this.#database.execute(
      'DELETE FROM conversation_leases WHERE conversation_id = $1 AND holder = $2',
      [conversationId, holder],
    );
  }
}

/** The channel on which a bump is announced; the payload is the counter's name. */
export const GENERATIONS_CHANNEL = 'teller_generations';

/**
 * Shared counters in PostgreSQL. A bump also sends `NOTIFY teller_generations` in the same
 * transaction, so listeners hear of it exactly when it is committed (see `listenForGenerations`).
 */
export class PostgresSharedGenerations implements GenerationRepository {
  constructor(private readonly database: PostgresDatabase) {}

  async read(name: string): Promise<number> {
    const [row] = await this.database.query<{ generation: string }>(
      'SELECT generation FROM shared_generations WHERE name = $1',
      [name],
    );
    return row ? Number(row.generation) : 0;
  }

  async bump(name: string): Promise<number> {
    return this.database.atomically(async () => {
      const [row] = await this.database.query<{ generation: string }>(
        `INSERT INTO shared_generations (name, generation) VALUES ($1, 1)
         ON CONFLICT (name) DO UPDATE SET generation = shared_generations.generation + 1
         RETURNING generation`,
        [name],
      );
      await this.database.query('SELECT pg_notify($1, $2)', [GENERATIONS_CHANNEL, name]);
      return Number(row!.generation);
    });
  }
}
