import type { SqliteDatabase, Statement } from './database.js';

/**
 * Who is answering which conversation, visible to every process on the host. A lease is held by
 * one holder until it is released or expires; an expired lease may be taken by anyone, so a
 * crashed worker blocks its conversations for at most one lease period.
 */
export interface ConversationLeases {
  /** Takes the lease when it is free or expired; true when `holder` now holds it. One attempt, no waiting. */
  tryAcquire(conversationId: string, holder: string, expiresAt: number): boolean;
  /** Extends a lease still held by `holder`; false when it was lost (expired and taken). */
  renew(conversationId: string, holder: string, expiresAt: number): boolean;
  /** Gives the lease up, only if `holder` still holds it. */
  release(conversationId: string, holder: string): void;
}

/**
 * Leases as rows of `conversation_leases` (migration 4). Acquiring is one
 * `INSERT ... ON CONFLICT DO UPDATE ... WHERE expired ... RETURNING`, atomic under SQLite's write
 * lock: of two processes trying at once, exactly one gets a row back.
 */
export class SqliteConversationLeases implements ConversationLeases {
  readonly #acquire: Statement;
  readonly #renew: Statement;
  readonly #release: Statement;
  readonly #now: () => number;

  constructor(database: SqliteDatabase, now: () => number = Date.now) {
    this.#now = now;
    this.#acquire = database.prepare(
      `INSERT INTO conversation_leases (conversation_id, holder, expires_at) VALUES (@conversationId, @holder, @expiresAt)
       ON CONFLICT (conversation_id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE conversation_leases.expires_at <= @now
       RETURNING holder`,
    );
    this.#renew = database.prepare(
      'UPDATE conversation_leases SET expires_at = ? WHERE conversation_id = ? AND holder = ?',
    );
    this.#release = database.prepare(
      'DELETE FROM conversation_leases WHERE conversation_id = ? AND holder = ?',
    );
  }

  tryAcquire(conversationId: string, holder: string, expiresAt: number): boolean {
    const row = this.#acquire.get({ conversationId, holder, expiresAt, now: this.#now() }) as
      | { holder: string }
      | undefined;
    return row?.holder === holder;
  }

  renew(conversationId: string, holder: string, expiresAt: number): boolean {
    return this.#renew.run(expiresAt, conversationId, holder).changes === 1;
  }

  release(conversationId: string, holder: string): void {
    this.#release.run(conversationId, holder);
  }
}
