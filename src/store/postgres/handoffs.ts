import {
  type HandoffCursor,
  type HandoffPage,
  type HandoffRecord,
  type HandoffRow,
  type HandoffStatus,
  HandoffTransitionError,
  type NewHandoff,
  PRIORITY_ORDER,
  pageOfRows,
  toRecord,
} from '../handoff-queue.js';
import { newId } from '../ids.js';
import type { HandoffRepository } from '../ports.js';
import type { PostgresDatabase } from './connection.js';

/** The advisory lock class for per-customer handoff admission (the key is the customer's hash). */
const HANDOFF_ADMISSION_LOCK = 7_316_003;

/**
 * The handoff queue in PostgreSQL: one queue for every instance, so a handoff raised through any
 * of them is in every agent's inbox. Transitions are single conditional UPDATEs, so of two agents
 * claiming at once on different hosts exactly one succeeds.
 */
export class PostgresHandoffQueue implements HandoffRepository {
  readonly #database: PostgresDatabase;
  readonly #now: () => Date;

  constructor(database: PostgresDatabase, now: () => Date = () => new Date()) {
    this.#database = database;
    this.#now = now;
  }

  async open(handoff: NewHandoff): Promise<HandoffRecord> {
    const at = this.#now().toISOString();
    const [row] = await this.#database.query<HandoffRow>(
      `INSERT INTO handoffs (id, conversation_id, customer_id, reason, priority, explanation, summary, intent, emotions, status, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', $10, $10) RETURNING *`,
      [
        newId('hnd'),
        handoff.conversationId,
        handoff.customerId,
        handoff.reason,
        handoff.priority,
        handoff.explanation,
        handoff.summary,
        handoff.intent,
        JSON.stringify(handoff.emotions),
        at,
      ],
    );
    return toRecord(row!);
  }

  async get(id: string): Promise<HandoffRecord | undefined> {
    const [row] = await this.#database.query<HandoffRow>('SELECT * FROM handoffs WHERE id = $1', [id]);
    return row && toRecord(row);
  }

  async activeForConversation(conversationId: string): Promise<HandoffRecord | undefined> {
    const [row] = await this.#database.query<HandoffRow>(
      "SELECT * FROM handoffs WHERE conversation_id = $1 AND status != 'resolved' ORDER BY created_at DESC LIMIT 1",
      [conversationId],
    );
    return row && toRecord(row);
  }

  async countOpenedSince(customerId: string, since: Date): Promise<number> {
    // COUNT(*) is a bigint, which the driver returns as a string.
    const [row] = await this.#database.query<{ opened: string }>(
      'SELECT COUNT(*) AS opened FROM handoffs WHERE customer_id = $1 AND created_at >= $2',
      [customerId, since.toISOString()],
    );
    return Number(row?.opened ?? 0);
  }

  async lockCustomerAdmissions(customerId: string): Promise<void> {
    // Transaction-scoped: released at commit or rollback, so a crashed host holds nothing. The
    // count runs as a later statement, so under READ COMMITTED it sees what the holder committed.
    await this.#database.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [
      HANDOFF_ADMISSION_LOCK,
      customerId,
    ]);
  }

  async list(status?: HandoffStatus, limit = 100): Promise<HandoffRecord[]> {
    const rows = await this.#database.query<HandoffRow>(
      `SELECT * FROM handoffs WHERE ($1::text IS NULL OR status = $1) ORDER BY ${PRIORITY_ORDER}, created_at ASC LIMIT $2`,
      [status ?? null, limit],
    );
    return rows.map(toRecord);
  }

  async page({
    status,
    limit,
    cursor,
  }: {
    status?: HandoffStatus;
    limit: number;
    cursor?: HandoffCursor;
  }): Promise<HandoffPage> {
    // Keyset pagination in queue order, as the SQLite queue does: records opened or claimed
    // between pages neither repeat nor push others off a page.
    const rows = await this.#database.query<HandoffRow & { rank: number }>(
      `SELECT *, ${PRIORITY_ORDER} AS rank FROM handoffs
       WHERE ($1::text IS NULL OR status = $1)
         AND ($2::int IS NULL OR (${PRIORITY_ORDER}, created_at, id) > ($2::int, $3::text, $4::text))
       ORDER BY rank, created_at ASC, id ASC LIMIT $5`,
      [status ?? null, cursor?.rank ?? null, cursor?.createdAt ?? null, cursor?.id ?? null, limit + 1],
    );
    return pageOfRows(rows, limit);
  }

  async claim(id: string, agentId: string): Promise<HandoffRecord> {
    const [row] = await this.#database.query<HandoffRow>(
      "UPDATE handoffs SET status = 'claimed', agent_id = $1, updated_at = $2, claimed_at = $2 WHERE id = $3 AND status = 'open' RETURNING *",
      [agentId, this.#now().toISOString(), id],
    );
    return this.#afterTransition(id, row, 'claim', 'it is not open');
  }

  async resolve(id: string, agentId: string): Promise<HandoffRecord> {
    const [row] = await this.#database.query<HandoffRow>(
      "UPDATE handoffs SET status = 'resolved', updated_at = $1, resolved_at = $1 WHERE id = $2 AND status = 'claimed' AND agent_id = $3 RETURNING *",
      [this.#now().toISOString(), id, agentId],
    );
    return this.#afterTransition(id, row, 'resolve', 'it is not claimed by you');
  }

  async #afterTransition(
    id: string,
    changed: HandoffRow | undefined,
    verb: string,
    why: string,
  ): Promise<HandoffRecord> {
    if (changed) return toRecord(changed);
    if (!(await this.get(id))) throw new HandoffTransitionError('not_found', `Handoff ${id} does not exist.`);
    throw new HandoffTransitionError('conflict', `Cannot ${verb} handoff ${id}: ${why}.`);
  }
}
