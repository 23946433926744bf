import type { TrainingExampleRepository } from '../ports.js';
import {
  type NewTrainingExample,
  newTrainingExampleId,
  type TrainingExample,
  TrainingExampleReviewError,
  type TrainingExampleRow,
  type TrainingExampleStatus,
  toTrainingExample,
} from '../training-examples.js';
import type { PostgresDatabase } from './connection.js';

/** Training examples on PostgreSQL: one review queue for every instance. */
export class PostgresTrainingExampleStore implements TrainingExampleRepository {
  readonly #database: PostgresDatabase;
  readonly #now: () => Date;

  constructor(database: PostgresDatabase, now: () => Date = () => new Date()) {
    this.#database = database;
    this.#now = now;
  }

  async propose(examples: readonly NewTrainingExample[]): Promise<TrainingExample[]> {
    const stored: TrainingExample[] = [];
    for (const example of examples) {
      const at = this.#now().toISOString();
      const [row] = await this.#database.query<TrainingExampleRow>(
        `INSERT INTO training_examples (id, handoff_id, conversation_id, message_id, text, intent, topic, should_have_handled, proposed_by, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'candidate', $10)
         ON CONFLICT (handoff_id, message_id) DO NOTHING RETURNING *`,
        [
          newTrainingExampleId(),
          example.handoffId,
          example.conversationId,
          example.messageId,
          example.text,
          example.intent,
          example.topic,
          example.shouldHaveHandled,
          example.proposedBy,
          at,
        ],
      );
      if (row) stored.push(toTrainingExample(row));
    }
    return stored;
  }

  async get(id: string): Promise<TrainingExample | undefined> {
    const [row] = await this.#database.query<TrainingExampleRow>(
      'SELECT * FROM training_examples WHERE id = $1',
      [id],
    );
    return row && toTrainingExample(row);
  }

  async list(query: { status?: TrainingExampleStatus; limit?: number } = {}): Promise<TrainingExample[]> {
    const rows = await this.#database.query<TrainingExampleRow>(
      'SELECT * FROM training_examples WHERE ($1::text IS NULL OR status = $1) ORDER BY created_at, id LIMIT $2',
      [query.status ?? null, query.limit ?? 1000],
    );
    return rows.map(toTrainingExample);
  }

  async review(id: string, decision: 'approved' | 'rejected', reviewer: string): Promise<TrainingExample> {
    const [row] = await this.#database.query<TrainingExampleRow>(
      "UPDATE training_examples SET status = $1, reviewed_by = $2, reviewed_at = $3 WHERE id = $4 AND status = 'candidate' RETURNING *",
      [decision, reviewer, this.#now().toISOString(), id],
    );
    if (row) return toTrainingExample(row);
    const existing = await this.get(id);
    if (!existing) throw new TrainingExampleReviewError('not_found', `Training example ${id} was not found.`);
    throw new TrainingExampleReviewError('conflict', `Training example ${id} is already ${existing.status}.`);
  }
}
