import type { SealedVaultStore, TokenizeRequest } from '../../privacy/vault.js';
import type { PostgresDatabase } from './connection.js';

/** What an attempt to store a value answers when another writer took its number or its value first. */
const LOST_RACE = Symbol('lost race');

/**
 * How many times a tokenize retries while holding the conversation's row lock. Under the lock
 * only writers on their first, unlocked attempt can still get in between, and each of those that
 * wins is progress, so this bound is never reached in practice; it only stops a pathological loop.
 */
const MAX_LOCKED_ATTEMPTS = 50;

/**
 * The redaction vault's sealed values in PostgreSQL (migration 11), shared by every instance, so
 * a placeholder minted on one host is revealed on another. It never sees plaintext: values arrive
 * sealed and are found by an HMAC of the value. A value already stored costs one round trip; a
 * new one two, with no transaction: the UNIQUE keys decide a race, and the loser tries again
 * holding the conversation's row lock, so a burst on one conversation settles in turn.
 */
export class PostgresVaultStore implements SealedVaultStore {
  constructor(private readonly database: PostgresDatabase) {}

  async tokenOf(conversationId: string, valueHash: string): Promise<string | undefined> {
    const [row] = await this.database.query<{ token: string }>(
      'SELECT token FROM vault_values WHERE conversation_id = $1 AND value_hash = $2',
      [conversationId, valueHash],
    );
    return row?.token;
  }

  async sealedValue(conversationId: string, token: string): Promise<string | undefined> {
    const [row] = await this.database.query<{ sealed: string }>(
      'SELECT sealed FROM vault_values WHERE conversation_id = $1 AND token = $2',
      [conversationId, token],
    );
    return row?.sealed;
  }

  async tokenize(request: TokenizeRequest): Promise<string | undefined> {
    const first = await this.#attempt(request);
    if (first !== LOST_RACE) return first;
    return this.database.atomically(async () => {
      // Takes the conversation row's lock until commit (the no-op update locks it).
      await this.database.execute(
        `INSERT INTO vault_conversations (conversation_id, last_used_at) VALUES ($1, $2)
         ON CONFLICT (conversation_id) DO UPDATE SET last_used_at = vault_conversations.last_used_at`,
        [request.conversationId, request.now],
      );
      for (let attempt = 0; attempt < MAX_LOCKED_ATTEMPTS; attempt++) {
        const result = await this.#attempt(request);
        if (result !== LOST_RACE) return result;
      }
      throw new Error(`vault: could not store a value after ${MAX_LOCKED_ATTEMPTS} attempts`);
    });
  }

  async #attempt(request: TokenizeRequest): Promise<string | undefined | typeof LOST_RACE> {
    const { conversationId, entity, valueHash } = request;
    // Stamps the conversation (at most once per resolution) and reads, in one statement, what
    // deciding needs: the value's token if it has one, how many values the conversation holds,
    // and the entity's highest number.
    const [state] = await this.database.query<{ existing: string | null; entries: number; last: number }>(
      `WITH touched AS (
         INSERT INTO vault_conversations (conversation_id, last_used_at) VALUES ($1, $2)
         ON CONFLICT (conversation_id) DO UPDATE SET last_used_at = excluded.last_used_at
         WHERE vault_conversations.last_used_at <= $2 - $3 OR vault_conversations.last_used_at > $2
       )
       SELECT (SELECT token FROM vault_values WHERE conversation_id = $1 AND value_hash = $4) AS existing,
              (SELECT count(*)::int FROM vault_values WHERE conversation_id = $1) AS entries,
              (SELECT coalesce(max(entity_index), 0) FROM vault_values
                WHERE conversation_id = $1 AND entity = $5) AS last`,
      [conversationId, request.now, request.touchResolutionMs, valueHash, entity],
    );
    if (state?.existing) return state.existing;
    if ((state?.entries ?? 0) >= request.maxEntries) return undefined;
    const index = (state?.last ?? 0) + 1;
    const { token, sealed } = request.mint(index);
    // The conversation row again, in case a purge forgot the conversation in between: a value
    // is never stored where retention cannot find it.
    const inserted = await this.database.query<{ token: string }>(
      `WITH conversation AS (
         INSERT INTO vault_conversations (conversation_id, last_used_at) VALUES ($1, $7)
         ON CONFLICT (conversation_id) DO NOTHING
       )
       INSERT INTO vault_values (conversation_id, token, entity, entity_index, value_hash, sealed)
       SELECT $1, $2, $3, $4, $5, $6
       WHERE (SELECT count(*) FROM vault_values WHERE conversation_id = $1) < $8
       ON CONFLICT DO NOTHING
       RETURNING token`,
      [conversationId, token, entity, index, valueHash, sealed, request.now, request.maxEntries],
    );
    // Nothing inserted: the number or the value was taken meanwhile, or the conversation filled up.
    return inserted.length === 1 ? token : LOST_RACE;
  }

  async forget(conversationId: string): Promise<void> {
    await this.database.execute(
      `WITH gone AS (DELETE FROM vault_values WHERE conversation_id = $1)
       DELETE FROM vault_conversations WHERE conversation_id = $1`,
      [conversationId],
    );
  }

  async idleBefore(cutoff: number): Promise<string[]> {
    // Every stored value has its conversation row (written before it), so none lacks a stamp.
    const rows = await this.database.query<{ conversation_id: string }>(
      'SELECT conversation_id FROM vault_conversations WHERE last_used_at < $1 ORDER BY last_used_at',
      [cutoff],
    );
    return rows.map((row) => row.conversation_id);
  }
}
