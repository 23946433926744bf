import { type SqliteDatabase, withStatementCache } from './database.js';
import { type PendingAction, type PendingActionStore, pendingActionSchema } from './pending-action-store.js';

/**
 * Pending confirmations in the embedded database, so a "yes" after a restart still finds (or
 * correctly refuses as expired) the action it confirms. One pending action per conversation, as in
 * the in-memory store; expired rows older than an hour are swept on each save.
 */
export class SqlitePendingActionStore implements PendingActionStore {
  readonly #database: SqliteDatabase;
  readonly #statements: Pick<SqliteDatabase, 'prepare'>;

  constructor(database: SqliteDatabase) {
    this.#database = database;
    this.#statements = withStatementCache(database);
  }

  async save(action: PendingAction): Promise<void> {
    const graceCutoff = new Date(Date.parse(action.createdAt) - 60 * 60 * 1000).toISOString();
    // IMMEDIATE: take the write lock up front, so another worker's write waits (busy_timeout)
    // instead of failing this one half-way.
    this.#database
      .transaction(() => {
        this.#statements
          .prepare('DELETE FROM pending_actions WHERE conversation_id = ? OR expires_at < ?')
          .run(action.conversationId, graceCutoff);
        this.#statements
          .prepare(
            'INSERT INTO pending_actions (id, conversation_id, created_at, expires_at, action) VALUES (?, ?, ?, ?, ?)',
          )
          .run(action.id, action.conversationId, action.createdAt, action.expiresAt, JSON.stringify(action));
      })
      .immediate();
  }

  async get(id: string): Promise<PendingAction | undefined> {
    const row = this.#statements.prepare('SELECT action FROM pending_actions WHERE id = ?').get(id) as
      | { action: string }
      | undefined;
    return row && parse(row.action);
  }

  async latestFor(conversationId: string): Promise<PendingAction | undefined> {
    const row = this.#statements
      .prepare(
        'SELECT action FROM pending_actions WHERE conversation_id = ? ORDER BY created_at DESC LIMIT 1',
      )
      .get(conversationId) as { action: string } | undefined;
    return row && parse(row.action);
  }

  async delete(id: string): Promise<void> {
    this.#statements.prepare('DELETE FROM pending_actions WHERE id = ?').run(id);
  }
}

/** Rows are read back through the schema: a damaged row is treated as no pending action. */
function parse(text: string): PendingAction | undefined {
  try {
    const parsed = pendingActionSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
