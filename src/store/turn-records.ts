import type { TurnKind, TurnResult } from '../turn/types.js';
import { type SqliteDatabase, withStatementCache } from './database.js';

/** What a customer said about one answer. */
export type TurnRating = 'helpful' | 'not_helpful';

/**
 * One completed turn, written with the answer in the same transaction: what happened and why, in
 * redacted text only. Analytics, feedback and knowledge gaps read these instead of re-parsing
 * messages and the audit log.
 */
export interface TurnRecord {
  /** The assistant message id of the turn. */
  readonly id: string;
  readonly conversationId: string;
  readonly customerId: string;
  readonly createdAt: string;
  readonly outcome: TurnResult['outcome'];
  readonly kind: TurnKind;
  readonly intent: string | null;
  readonly topic: string | null;
  readonly handoffReason: string | null;
  readonly handoffPriority: string | null;
  /** Tripped rules as `guardrail:rule`. */
  readonly rules: readonly string[];
  /** Cited documents as `documentId@version`. */
  readonly citations: readonly string[];
  /** The customer's redacted message of this turn. */
  readonly question: string;
  /** The models version whose router routed the turn, when a router ran. */
  readonly routerVersion: string | null;
  readonly rating: TurnRating | null;
  readonly ratingReason: string | null;
  readonly ratedAt: string | null;
}

/** What a turn writes; the rating starts empty. */
export type NewTurnRecord = Omit<TurnRecord, 'rating' | 'ratingReason' | 'ratedAt'>;

/** A window of records in creation order, optionally of some kinds only. */
export interface TurnRecordQuery {
  /** Inclusive ISO time. */
  readonly since?: string;
  /** Exclusive ISO time. */
  readonly until?: string;
  readonly kinds?: readonly TurnKind[];
  readonly limit?: number;
  /** The previous page's `nextCursor`. */
  readonly cursor?: string;
}

export interface TurnRecordPage {
  readonly records: TurnRecord[];
  /** Where the next page starts; null on the last page. */
  readonly nextCursor: string | null;
}

/** A turn record as both backends store it (lists as JSON text). */
export interface TurnRecordRow {
  id: string;
  conversation_id: string;
  customer_id: string;
  created_at: string;
  outcome: TurnResult['outcome'];
  kind: TurnKind;
  intent: string | null;
  topic: string | null;
  handoff_reason: string | null;
  handoff_priority: string | null;
  rules: string;
  citations: string;
  question: string;
  router_version: string | null;
  rating: TurnRating | null;
  rating_reason: string | null;
  rated_at: string | null;
}

export const DEFAULT_TURN_RECORD_PAGE = 100;
export const MAX_TURN_RECORD_PAGE = 1000;

/** The columns in insert order, and the record's values in the same order. */
export const TURN_RECORD_COLUMNS =
  'id, conversation_id, customer_id, created_at, outcome, kind, intent, topic, handoff_reason, handoff_priority, rules, citations, question, router_version';

export function turnRecordValues(record: NewTurnRecord): Array<string | null> {
  return [
    record.id,
    record.conversationId,
    record.customerId,
    record.createdAt,
    record.outcome,
    record.kind,
    record.intent,
    record.topic,
    record.handoffReason,
    record.handoffPriority,
    JSON.stringify(record.rules),
    JSON.stringify(record.citations),
    record.question,
    record.routerVersion,
  ];
}

/** A stored row as the record callers see. */
export function toTurnRecord(row: TurnRecordRow): TurnRecord {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    customerId: row.customer_id,
    createdAt: row.created_at,
    outcome: row.outcome,
    kind: row.kind,
    intent: row.intent,
    topic: row.topic,
    handoffReason: row.handoff_reason,
    handoffPriority: row.handoff_priority,
    rules: JSON.parse(row.rules) as string[],
    citations: JSON.parse(row.citations) as string[],
    question: row.question,
    routerVersion: row.router_version,
    rating: row.rating,
    ratingReason: row.rating_reason,
    ratedAt: row.rated_at,
  };
}

/** The cursor names the last record of a page: its creation time and id (keyset, so nothing repeats). */
export function encodeTurnCursor(record: Pick<TurnRecord, 'createdAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([record.createdAt, record.id])).toString('base64url');
}

/** The creation time and id a cursor names, or undefined when it is not one of ours. */
export function decodeTurnCursor(cursor: string): { createdAt: string; id: string } | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((part) => typeof part === 'string')) {
      return { createdAt: parsed[0] as string, id: parsed[1] as string };
    }
  } catch {
    // Not base64url JSON: treated as no cursor below.
  }
  return undefined;
}

/** A page from up to `limit + 1` rows: the extra row only says another page follows. */
export function pageOfTurnRows(rows: readonly TurnRecordRow[], limit: number): TurnRecordPage {
  const records = rows.slice(0, limit).map(toTurnRecord);
  const last = records.at(-1);
  return { records, nextCursor: rows.length > limit && last ? encodeTurnCursor(last) : null };
}

/** The page size asked for, within bounds. */
export function turnPageLimit(limit: number | undefined): number {
  return Math.max(1, Math.min(MAX_TURN_RECORD_PAGE, Math.floor(limit ?? DEFAULT_TURN_RECORD_PAGE)));
}

/** Turn records in the embedded database. */
export class SqliteTurnRecordStore {
  readonly #now: () => Date;
  readonly #statements: Pick<SqliteDatabase, 'prepare'>;

  constructor(database: SqliteDatabase, now: () => Date = () => new Date()) {
    this.#now = now;
    this.#statements = withStatementCache(database);
  }

  record(record: NewTurnRecord): void {
    this.#statements
      .prepare(
        `INSERT INTO turn_records (${TURN_RECORD_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(...turnRecordValues(record));
  }

  get(id: string): TurnRecord | undefined {
    const row = this.#statements.prepare('SELECT * FROM turn_records WHERE id = ?').get(id) as
      | TurnRecordRow
      | undefined;
    return row && toTurnRecord(row);
  }

  /**
   * Sets (or replaces) the customer's rating of their own turn; rating again with the same values
   * changes nothing but the time. Undefined when the turn is missing or someone else's.
   */
  rate(id: string, customerId: string, rating: TurnRating, reason: string | null): TurnRecord | undefined {
    const row = this.#statements
      .prepare(
        'UPDATE turn_records SET rating = ?, rating_reason = ?, rated_at = ? WHERE id = ? AND customer_id = ? RETURNING *',
      )
      .get(rating, reason, this.#now().toISOString(), id, customerId) as TurnRecordRow | undefined;
    return row && toTurnRecord(row);
  }

  list(query: TurnRecordQuery = {}): TurnRecordPage {
    const limit = turnPageLimit(query.limit);
    const cursor = query.cursor ? decodeTurnCursor(query.cursor) : undefined;
    const kinds = query.kinds && query.kinds.length > 0 ? JSON.stringify(query.kinds) : null;
    const rows = this.#statements
      .prepare(
        `SELECT * FROM turn_records
         WHERE (@since IS NULL OR created_at >= @since)
           AND (@until IS NULL OR created_at < @until)
           AND (@kinds IS NULL OR kind IN (SELECT value FROM json_each(@kinds)))
           AND (@cursorAt IS NULL OR (created_at, id) > (@cursorAt, @cursorId))
         ORDER BY created_at ASC, id ASC LIMIT @limit`,
      )
      .all({
        since: query.since ?? null,
        until: query.until ?? null,
        kinds,
        cursorAt: cursor?.createdAt ?? null,
        cursorId: cursor?.id ?? null,
        limit: limit + 1,
      }) as TurnRecordRow[];
    return pageOfTurnRows(rows, limit);
  }

  /** Deletes records created before `cutoff` (retention); returns how many. */
  purgeBefore(cutoff: Date): number {
    return this.#statements.prepare('DELETE FROM turn_records WHERE created_at < ?').run(cutoff.toISOString())
      .changes;
  }
}
