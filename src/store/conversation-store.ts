import type { StoredMessage } from '../turn/types.js';
import { type SqliteDatabase, withStatementCache } from './database.js';
import { newId } from './ids.js';

export type ConversationStatus = 'active' | 'handed_off' | 'closed';

export interface Conversation {
  readonly id: string;
  readonly customerId: string;
  readonly status: ConversationStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A conversation as both backends store it. */
export interface ConversationRow {
  id: string;
  customer_id: string;
  status: ConversationStatus;
  created_at: string;
  updated_at: string;
}

/** A message as both backends store it (metadata as JSON text). */
export interface MessageRow {
  id: string;
  conversation_id: string;
  author: StoredMessage['author'];
  text: string;
  metadata: string | null;
  created_at: string;
}

/**
 * Conversations and their messages. Only redacted text is ever passed in: the store has no way to
 * tell, so the pipeline's contract is that redaction happens first.
 */
export class ConversationStore {
  readonly #now: () => Date;
  /** Prepared once per SQL text: preparing is a large share of a small query's cost. */
  readonly #statements: Pick<SqliteDatabase, 'prepare'>;
  readonly #appendTransaction: (message: StoredMessage, metadataJson: string | null) => void;

  constructor(database: SqliteDatabase, now: () => Date = () => new Date()) {
    this.#now = now;
    this.#statements = withStatementCache(database);
    // Built once: better-sqlite3 prepares BEGIN/COMMIT for every `transaction()` call. IMMEDIATE
    // takes the write lock before the read of the next sequence number, so two processes sharing
    // the file cannot both read the same number (a deferred read-then-write upgrade fails busy).
    this.#appendTransaction = database.transaction((message: StoredMessage, metadataJson: string | null) => {
      const { next } = this.#statements
        .prepare('SELECT COALESCE(MAX(sequence), 0) + 1 AS next FROM messages WHERE conversation_id = ?')
        .get(message.conversationId) as { next: number };
      this.#statements
        .prepare(
          'INSERT INTO messages (id, conversation_id, sequence, author, text, metadata, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          message.id,
          message.conversationId,
          next,
          message.author,
          message.text,
          metadataJson,
          message.createdAt,
        );
      this.#statements
        .prepare('UPDATE conversations SET updated_at = ? WHERE id = ?')
        .run(message.createdAt, message.conversationId);
    }).immediate;
  }

  create(customerId: string): Conversation {
    const at = this.#now().toISOString();
    const conversation: Conversation = {
      id: newId('conv'),
      customerId,
      status: 'active',
      createdAt: at,
      updatedAt: at,
    };
    this.#statements
      .prepare(
        'INSERT INTO conversations (id, customer_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(conversation.id, customerId, conversation.status, at, at);
    return conversation;
  }

  find(conversationId: string): Conversation | undefined {
    const row = this.#statements.prepare('SELECT * FROM conversations WHERE id = ?').get(conversationId) as
      | ConversationRow
      | undefined;
    return row && toConversation(row);
  }

  /**
   * The conversation only when it belongs to `customerId`. Callers get `undefined` both for a
   * missing conversation and for someone else's, so ids cannot be probed.
   */
  findForCustomer(conversationId: string, customerId: string): Conversation | undefined {
    const conversation = this.find(conversationId);
    return conversation?.customerId === customerId ? conversation : undefined;
  }

  listForCustomer(customerId: string, limit = 50): Conversation[] {
    const rows = this.#statements
      .prepare('SELECT * FROM conversations WHERE customer_id = ? ORDER BY created_at DESC LIMIT ?')
      .all(customerId, limit) as ConversationRow[];
    return rows.map(toConversation);
  }

  setStatus(conversationId: string, status: ConversationStatus): void {
    this.#statements
      .prepare('UPDATE conversations SET status = ?, updated_at = ? WHERE id = ?')
      .run(status, this.#now().toISOString(), conversationId);
  }

  appendMessage(
    conversationId: string,
    author: StoredMessage['author'],
    text: string,
    metadata?: Record<string, unknown>,
  ): StoredMessage {
    const message: StoredMessage = {
      id: newId('msg'),
      conversationId,
      author,
      text,
      createdAt: this.#now().toISOString(),
      ...(metadata && { metadata }),
    };
    this.#appendTransaction(message, metadata ? JSON.stringify(metadata) : null);
    return message;
  }

  /** Messages in order; `limit` keeps the most recent ones. */
  messages(conversationId: string, limit = 200): StoredMessage[] {
    const rows = this.#statements
      .prepare(
        'SELECT * FROM (SELECT * FROM messages WHERE conversation_id = ? ORDER BY sequence DESC LIMIT ?) ORDER BY sequence ASC',
      )
      .all(conversationId, limit) as MessageRow[];
    return rows.map(toStoredMessage);
  }
}

/** A stored message row as the turn sees it. */
export function toStoredMessage(row: MessageRow): StoredMessage {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    author: row.author,
    text: row.text,
    createdAt: row.created_at,
    ...(row.metadata && { metadata: JSON.parse(row.metadata) as Record<string, unknown> }),
  };
}

/** A stored conversation row as the rest of Teller sees it. */
export function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    customerId: row.customer_id,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
