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
import type { ConversationRepository, NewMessage } from '../ports.js';
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
    const [message] = await this.appendMessages(conversationId, [
      { author, text, ...(metadata && { metadata }) },
    ]);
    return message!;
  }

  async appendMessages(conversationId: string, messages: readonly NewMessage[]): Promise<StoredMessage[]> {
    const createdAt = this.#now().toISOString();
    const stored: StoredMessage[] = messages.map(({ author, text, metadata }) => ({
      id: newId('msg'),
      conversationId,
      author,
      text,
      createdAt,
      ...(metadata && { metadata }),
    }));
    const rows = stored.map((message) => ({
      id: message.id,
      author: message.author,
      text: message.text,
      metadata: message.metadata ? JSON.stringify(message.metadata) : null,
    }));
    await this.#database.atomically(async () => {
      // Updating the conversation first locks its row, so appenders on other hosts queue here
      // and each reads the next sequence number only after the previous one committed.
      await this.#database.execute('UPDATE conversations SET updated_at = $1 WHERE id = $2', [
        createdAt,
        conversationId,
      ]);
      // Every message in one statement, numbered in the order given after the current last one.
      await this.#database.execute(
        `INSERT INTO messages (id, conversation_id, sequence, author, text, metadata, created_at)
         SELECT item->>'id', $1, last.sequence + position, item->>'author', item->>'text', item->>'metadata', $2
         FROM (SELECT COALESCE(MAX(sequence), 0) AS sequence FROM messages WHERE conversation_id = $1) AS last,
              json_array_elements($3::json) WITH ORDINALITY AS given (item, position)`,
        [conversationId, createdAt, JSON.stringify(rows)],
      );
    });
    return stored;
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
