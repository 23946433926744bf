import { type SqliteDatabase, withStatementCache } from './database.js';
import { newId } from './ids.js';

/**
 * Candidate training examples for the intent router: customer messages (already redacted) that
 * an agent labelled when resolving a handoff. They reach training only after a compliance officer
 * other than the proposing agent approved them (four eyes), like documents.
 */
export type TrainingExampleStatus = 'candidate' | 'approved' | 'rejected';

export interface TrainingExample {
  readonly id: string;
  readonly handoffId: string;
  readonly conversationId: string;
  /** The customer message the text comes from. */
  readonly messageId: string;
  /** Redacted customer text (typed tokens such as `<IBAN_CODE_1>`, never raw PII). */
  readonly text: string;
  /** The router label the agent chose (one of Teller's trained intents), or null for a topic only. */
  readonly intent: string | null;
  readonly topic: string | null;
  /** The agent's view: Teller should have answered this without a person. */
  readonly shouldHaveHandled: boolean;
  readonly proposedBy: string;
  readonly status: TrainingExampleStatus;
  readonly reviewedBy: string | null;
  readonly reviewedAt: string | null;
  readonly createdAt: string;
}

export type NewTrainingExample = Pick<
  TrainingExample,
  | 'handoffId'
  | 'conversationId'
  | 'messageId'
  | 'text'
  | 'intent'
  | 'topic'
  | 'shouldHaveHandled'
  | 'proposedBy'
>;

/** Why a review was refused; routes map the code to an HTTP status. */
export class TrainingExampleReviewError extends Error {
  override readonly name = 'TrainingExampleReviewError';
  constructor(
    readonly code: 'not_found' | 'conflict',
    message: string,
  ) {
    super(message);
  }
}

/** A training example as both backends store it. */
export interface TrainingExampleRow {
  id: string;
  handoff_id: string;
  conversation_id: string;
  message_id: string;
  text: string;
  intent: string | null;
  topic: string | null;
  should_have_handled: number | boolean;
  proposed_by: string;
  status: TrainingExampleStatus;
  reviewed_by: string | null;
  reviewed_at: string | null;
  created_at: string;
}

/** The record callers see, from a row of either backend. */
export function toTrainingExample(row: TrainingExampleRow): TrainingExample {
  return {
    id: row.id,
    handoffId: row.handoff_id,
    conversationId: row.conversation_id,
    messageId: row.message_id,
    text: row.text,
    intent: row.intent,
    topic: row.topic,
    shouldHaveHandled: row.should_have_handled === true || row.should_have_handled === 1,
    proposedBy: row.proposed_by,
    status: row.status,
    reviewedBy: row.reviewed_by,
    reviewedAt: row.reviewed_at,
    createdAt: row.created_at,
  };
}

/** A new example's id. */
export function newTrainingExampleId(): string {
  return newId('tex');
}

/** The embedded store of training examples. */
export class SqliteTrainingExampleStore {
  readonly #now: () => Date;
  readonly #statements: Pick<SqliteDatabase, 'prepare'>;

  constructor(database: SqliteDatabase, now: () => Date = () => new Date()) {
    this.#now = now;
    this.#statements = withStatementCache(database);
  }

  /** Stores candidates; a message already proposed from the same handoff is not proposed twice. */
  propose(examples: readonly NewTrainingExample[]): TrainingExample[] {
    const insert = this.#statements.prepare(
      `INSERT INTO training_examples (id, handoff_id, conversation_id, message_id, text, intent, topic, should_have_handled, proposed_by, status, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'candidate', ?)
       ON CONFLICT (handoff_id, message_id) DO NOTHING`,
    );
    const stored: TrainingExample[] = [];
    for (const example of examples) {
      const at = this.#now().toISOString();
      const id = newTrainingExampleId();
      const { changes } = insert.run(
        id,
        example.handoffId,
        example.conversationId,
        example.messageId,
        example.text,
        example.intent,
        example.topic,
        example.shouldHaveHandled ? 1 : 0,
        example.proposedBy,
        at,
      );
      if (changes > 0) stored.push(this.get(id)!);
    }
    return stored;
  }

  get(id: string): TrainingExample | undefined {
    const row = this.#statements.prepare('SELECT * FROM training_examples WHERE id = ?').get(id) as
      | TrainingExampleRow
      | undefined;
    return row && toTrainingExample(row);
  }

  /** Oldest first, optionally of one status. */
  list(query: { status?: TrainingExampleStatus; limit?: number } = {}): TrainingExample[] {
    const rows = this.#statements
      .prepare(
        'SELECT * FROM training_examples WHERE (? IS NULL OR status = ?) ORDER BY created_at, id LIMIT ?',
      )
      .all(query.status ?? null, query.status ?? null, query.limit ?? 1000) as TrainingExampleRow[];
    return rows.map(toTrainingExample);
  }

  /** Candidate → approved or rejected; fails with `conflict` when it was already reviewed. */
  review(id: string, decision: 'approved' | 'rejected', reviewer: string): TrainingExample {
    const { changes } = this.#statements
      .prepare(
        "UPDATE training_examples SET status = ?, reviewed_by = ?, reviewed_at = ? WHERE id = ? AND status = 'candidate'",
      )
      .run(decision, reviewer, this.#now().toISOString(), id);
    const example = this.get(id);
    if (!example) throw new TrainingExampleReviewError('not_found', `Training example ${id} was not found.`);
    if (changes === 0)
      throw new TrainingExampleReviewError(
        'conflict',
        `Training example ${id} is already ${example.status}.`,
      );
    return example;
  }
}
