import type { HandoffPriority, HandoffReason } from '../turn/types.js';
import { type SqliteDatabase, withStatementCache } from './database.js';
import { newId } from './ids.js';

export type HandoffStatus = 'open' | 'claimed' | 'resolved';

export interface HandoffRecord {
  readonly id: string;
  readonly conversationId: string;
  readonly customerId: string;
  readonly reason: HandoffReason;
  readonly priority: HandoffPriority;
  readonly explanation: string;
  /** Redacted summary for the agent. */
  readonly summary: string;
  readonly intent: string | null;
  readonly emotions: readonly string[];
  readonly status: HandoffStatus;
  readonly agentId: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type NewHandoff = Pick<
  HandoffRecord,
  'conversationId' | 'customerId' | 'reason' | 'priority' | 'explanation' | 'summary' | 'intent' | 'emotions'
>;

/** Why a queue transition was refused; routes map these to HTTP status codes. */
export class HandoffTransitionError extends Error {
  override readonly name = 'HandoffTransitionError';
  constructor(
    readonly code: 'not_found' | 'conflict',
    message: string,
  ) {
    super(message);
  }
}

/** A handoff as both backends store it (snake_case columns, emotions as JSON text). */
export interface HandoffRow {
  id: string;
  conversation_id: string;
  customer_id: string;
  reason: HandoffReason;
  priority: HandoffPriority;
  explanation: string;
  summary: string;
  intent: string | null;
  emotions: string;
  status: HandoffStatus;
  agent_id: string | null;
  created_at: string;
  updated_at: string;
}

/** Queue order's first key in SQL, the same in SQLite and PostgreSQL: most urgent first. */
export const PRIORITY_ORDER =
  "CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END";

/** Where a page of the queue ended: the last record's priority rank, creation time and id. */
export interface HandoffCursor {
  readonly rank: number;
  readonly createdAt: string;
  readonly id: string;
}

/** One page of the queue and where the next one starts (null on the last page). */
export interface HandoffPage {
  readonly handoffs: HandoffRecord[];
  readonly nextCursor: HandoffCursor | null;
}

/** The human handoff queue: open → claimed (by one agent) → resolved. */
export class HandoffQueue {
  readonly #now: () => Date;
  /** Prepared once per SQL text: preparing is a large share of a small query's cost. */
  readonly #statements: Pick<SqliteDatabase, 'prepare'>;

  constructor(database: SqliteDatabase, now: () => Date = () => new Date()) {
    this.#now = now;
    this.#statements = withStatementCache(database);
  }

  open(handoff: NewHandoff): HandoffRecord {
    const at = this.#now().toISOString();
    const id = newId('hnd');
    this.#statements
      .prepare(
        `INSERT INTO handoffs (id, conversation_id, customer_id, reason, priority, explanation, summary, intent, emotions, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)`,
      )
      .run(
        id,
        handoff.conversationId,
        handoff.customerId,
        handoff.reason,
        handoff.priority,
        handoff.explanation,
        handoff.summary,
        handoff.intent,
        JSON.stringify(handoff.emotions),
        at,
        at,
      );
    return this.get(id)!;
  }

  get(id: string): HandoffRecord | undefined {
    const row = this.#statements.prepare('SELECT * FROM handoffs WHERE id = ?').get(id) as
      | HandoffRow
      | undefined;
    return row && toRecord(row);
  }

  /** The unresolved handoff of a conversation, if any. */
  activeForConversation(conversationId: string): HandoffRecord | undefined {
    const row = this.#statements
      .prepare(
        "SELECT * FROM handoffs WHERE conversation_id = ? AND status != 'resolved' ORDER BY created_at DESC LIMIT 1",
      )
      .get(conversationId) as HandoffRow | undefined;
    return row && toRecord(row);
  }

  /**
   * How many handoffs `customerId` opened at or after `since`, resolved ones included: a flood of
   * requests that agents close quickly is still a flood.
   */
  countOpenedSince(customerId: string, since: Date): number {
    const row = this.#statements
      .prepare('SELECT COUNT(*) AS opened FROM handoffs WHERE customer_id = ? AND created_at >= ?')
      .get(customerId, since.toISOString()) as { opened: number };
    return row.opened;
  }

  /** Queue order: most urgent first, then oldest first. */
  list(status?: HandoffStatus, limit = 100): HandoffRecord[] {
    return this.page({ ...(status && { status }), limit }).handoffs;
  }

  /**
   * One page of the queue in queue order (most urgent, then oldest, then id). `cursor` is the
   * `nextCursor` of the previous page; it names the last record seen, so records opened or
   * claimed between pages neither repeat nor push others off a page.
   */
  page({
    status,
    limit,
    cursor,
  }: {
    status?: HandoffStatus;
    limit: number;
    cursor?: HandoffCursor;
  }): HandoffPage {
    const rows = this.#statements
      .prepare(
        `SELECT *, ${PRIORITY_ORDER} AS rank FROM handoffs
         WHERE (@status IS NULL OR status = @status)
           AND (@rank IS NULL OR (${PRIORITY_ORDER}, created_at, id) > (@rank, @createdAt, @id))
         ORDER BY rank, created_at ASC, id ASC LIMIT @limit`,
      )
      .all({
        status: status ?? null,
        rank: cursor?.rank ?? null,
        createdAt: cursor?.createdAt ?? null,
        id: cursor?.id ?? null,
        limit: limit + 1,
      }) as Array<HandoffRow & { rank: number }>;
    return pageOfRows(rows, limit);
  }

  /** Claims an open handoff; a second claim by anyone fails with `conflict`. */
  claim(id: string, agentId: string): HandoffRecord {
    const result = this.#statements
      .prepare(
        "UPDATE handoffs SET status = 'claimed', agent_id = @agentId, updated_at = @at, claimed_at = @at WHERE id = @id AND status = 'open'",
      )
      .run({ agentId, at: this.#now().toISOString(), id });
    return this.#afterTransition(id, result.changes, 'claim', 'it is not open');
  }

  /** Resolves a handoff; only the agent who claimed it may. */
  resolve(id: string, agentId: string): HandoffRecord {
    const result = this.#statements
      .prepare(
        "UPDATE handoffs SET status = 'resolved', updated_at = @at, resolved_at = @at WHERE id = @id AND status = 'claimed' AND agent_id = @agentId",
      )
      .run({ at: this.#now().toISOString(), id, agentId });
    return this.#afterTransition(id, result.changes, 'resolve', 'it is not claimed by you');
  }

  #afterTransition(id: string, changes: number, verb: string, why: string): HandoffRecord {
    const record = this.get(id);
    if (!record) throw new HandoffTransitionError('not_found', `Handoff ${id} does not exist.`);
    if (changes === 0) throw new HandoffTransitionError('conflict', `Cannot ${verb} handoff ${id}: ${why}.`);
    return record;
  }
}

/**
 * A page from up to `limit + 1` rows in queue order: the extra row only says another page
 * follows, and the page's last row is where it starts.
 */
export function pageOfRows(rows: ReadonlyArray<HandoffRow & { rank: number }>, limit: number): HandoffPage {
  const pageRows = rows.slice(0, limit);
  const last = pageRows.at(-1);
  return {
    handoffs: pageRows.map(toRecord),
    nextCursor:
      rows.length > limit && last
        ? { rank: Number(last.rank), createdAt: last.created_at, id: last.id }
        : null,
  };
}

/** A stored row as the record the rest of Teller sees. */
export function toRecord(row: HandoffRow): HandoffRecord {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    customerId: row.customer_id,
    reason: row.reason,
    priority: row.priority,
    explanation: row.explanation,
    summary: row.summary,
    intent: row.intent,
    emotions: JSON.parse(row.emotions) as string[],
    status: row.status,
    agentId: row.agent_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
