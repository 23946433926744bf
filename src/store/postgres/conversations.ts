import type { StoredMessage } from '../../turn/types.js';
import {
  type Conversation,
  type ConversationRow,
  type ConversationStatus,
  type MessageRow,
  toConversation,
  toStoredMessage,
} from '../conversation-store.js';
import { newId } from '../ids.js';
import type { ConversationRepository } from '../ports.js';
import type { PostgresDatabase } from './connection.js';

/** Conversations and their (redacted) messages in PostgreSQL, shared by every instance. */
export class PostgresConversationStore implements ConversationRepository {
  readonly #database: PostgresDatabase;
  readonly #now: () => Date;

  constructor(database: PostgresDatabase, now: () => Date = () => new Date()) {
    this.#database = database;
    this.#now = now;
  }

  async create(customerId: string): Promise<Conversation> {
    const at = this.#now().toISOString();
    const conversation: Conversation = {
      id: newId('conv'),
      customerId,
      status: 'active',
      createdAt: at,
      updatedAt: at,
    };
    await this.#database.execute(
      'INSERT INTO conversations (id, customer_id, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5)',
      [conversation.id, customerId, conversation.status, at, at],
    );
    return conversation;
  }

  async find(conversationId: string): Promise<Conversation | undefined> {
    const [row] = await this.#database.query<ConversationRow>('SELECT * FROM conversations WHERE id = $1', [
      conversationId,
    ]);
    return row && toConversation(row);
  }

  async findForCustomer(conversationId: string, customerId: string): Promise<Conversation | undefined> {
    const conversation = await this.find(conversationId);
    return conversation?.customerId === customerId ? conversation : undefined;
  }

  async listForCustomer(customerId: string, limit = 50): Promise<Conversation[]> {
    const rows = await this.#database.query<ConversationRow>(
      'SELECT * FROM conversations WHERE customer_id = $1 ORDER BY created_at DESC LIMIT $2',
      [customerId, limit],
    );
    return rows.map(toConversation);
  }

  async setStatus(conversationId: string, status: ConversationStatus): Promise<void> {
    await this.#database.execute('UPDATE conversations SET status = $1, updated_at = $2 WHERE id = $3', [
      status,
      this.#now().toISOString(),
      conversationId,
    ]);
  }

  async appendMessage(
    conversationId: string,
    author: StoredMessage['author'],
    text: string,
    metadata?: Record<string, unknown>,
  ): Promise<StoredMessage> {
    const message: StoredMessage = {
      id: newId('msg'),
      conversationId,
      author,
      text,
      createdAt: this.#now().toISOString(),
      ...(metadata && { metadata }),
    };
    await this.#database.atomically(async () => {
      // Updating the conversation first locks its row, so appenders on other hosts queue here
      // and each reads the next sequence number only after the previous one committed.
      await this.#database.execute('UPDATE conversations SET updated_at = $1 WHERE id = $2', [
        message.createdAt,
        conversationId,
      ]);
      await this.#database.execute(
        `INSERT INTO messages (id, conversation_id, sequence, author, text, metadata, created_at)
         SELECT $1, $2, COALESCE(MAX(sequence), 0) + 1, $3, $4, $5, $6 FROM messages WHERE conversation_id = $2`,
        [
          message.id,
          conversationId,
          author,
          text,
          metadata ? JSON.stringify(metadata) : null,
          message.createdAt,
        ],
      );
    });
    return message;
  }

  async messages(conversationId: string, limit = 200): Promise<StoredMessage[]> {
    const rows = await this.#database.query<MessageRow>(
      `SELECT * FROM (SELECT * FROM messages WHERE conversation_id = $1 ORDER BY sequence DESC LIMIT $2) AS recent
       ORDER BY sequence ASC`,
      [conversationId, limit],
    );
    return rows.map(toStoredMessage);
  }
}
