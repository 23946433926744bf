import type { TurnRecordRepository } from '../ports.js';
import {
  decodeTurnCursor,
  type NewTurnRecord,
  pageOfTurnRows,
  TURN_RECORD_COLUMNS,
  type TurnRating,
  type TurnRecord,
  type TurnRecordPage,
  type TurnRecordQuery,
  type TurnRecordRow,
  toTurnRecord,
  turnPageLimit,
  turnRecordValues,
} from '../turn-records.js';
import type { PostgresDatabase } from './connection.js';

/** Turn records in PostgreSQL: the same table, rows and pages as the SQLite store. */
export class PostgresTurnRecordStore implements TurnRecordRepository {
  readonly #database: PostgresDatabase;
  readonly #now: () => Date;

  constructor(database: PostgresDatabase, now: () => Date = () => new Date()) {
    this.#database = database;
    this.#now = now;
  }

  async record(record: NewTurnRecord): Promise<void> {
    await this.#database.query(
      `INSERT INTO turn_records (${TURN_RECORD_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      turnRecordValues(record),
    );
  }

  async get(id: string): Promise<TurnRecord | undefined> {
    const [row] = await this.#database.query<TurnRecordRow>('SELECT * FROM turn_records WHERE id = $1', [id]);
    return row && toTurnRecord(row);
  }

  async rate(
    id: string,
    customerId: string,
    rating: TurnRating,
    reason: string | null,
  ): Promise<TurnRecord | undefined> {
    const [row] = await this.#database.query<TurnRecordRow>(
      'UPDATE turn_records SET rating = $1, rating_reason = $2, rated_at = $3 WHERE id = $4 AND customer_id = $5 RETURNING *',
      [rating, reason, this.#now().toISOString(), id, customerId],
    );
    return row && toTurnRecord(row);
  }

  async list(query: TurnRecordQuery = {}): Promise<TurnRecordPage> {
    const limit = turnPageLimit(query.limit);
    const cursor = query.cursor ? decodeTurnCursor(query.cursor) : undefined;
    const kinds = query.kinds && query.kinds.length > 0 ? JSON.stringify(query.kinds) : null;
    const rows = await this.#database.query<TurnRecordRow>(
      `SELECT * FROM turn_records
       WHERE ($1::text IS NULL OR created_at >= $1)
         AND ($2::text IS NULL OR created_at < $2)
         AND ($3::jsonb IS NULL OR kind IN (SELECT jsonb_array_elements_text($3::jsonb)))
         AND ($4::text IS NULL OR (created_at, id) > ($4::text, $5::text))
       ORDER BY created_at ASC, id ASC LIMIT $6`,
      [
        query.since ?? null,
        query.until ?? null,
        kinds,
        cursor?.createdAt ?? null,
        cursor?.id ?? null,
        limit + 1,
      ],
    );
    return pageOfTurnRows(rows, limit);
  }

  async purgeBefore(cutoff: Date): Promise<number> {
    return this.#database.execute('DELETE FROM turn_records WHERE created_at < $1', [cutoff.toISOString()]);
  }
}
