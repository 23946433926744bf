import { type AuditEvent, type AuditRecord, recordHash, toAuditRecord } from '../audit-log.js';
import type { AuditRepository } from '../ports.js';
import type { PostgresDatabase } from './connection.js';

const GENESIS_HASH = '0'.repeat(64);
/** Transaction-scoped advisory lock serialising appenders on every host. */
const AUDIT_APPEND_LOCK = 7_316_002;

interface AuditRow {
  sequence: string;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  request_id: string | null;
  details: string;
  previous_hash: string;
  hash: string;
}

/**
 * The hash-chained audit log in PostgreSQL. Appenders on any number of hosts take one advisory
 * lock for the length of their transaction, read the head, and append after it; the lock is
 * released at commit, so the next appender reads the committed head. `UNIQUE (previous_hash)` is
 * the backstop: were the lock ever bypassed, a second row after the same head could not commit.
 * Inside `atomically` the append commits (or rolls back) with the rest of the turn.
 */
export class PostgresAuditLog implements AuditRepository {
  readonly #database: PostgresDatabase;
  readonly #now: () => Date;

  constructor(database: PostgresDatabase, now: () => Date = () => new Date()) {
    this.#database = database;
    this.#now = now;
  }

  async record(event: AuditEvent): Promise<void> {
    const details = JSON.stringify(event.details ?? {});
    await this.#database.atomically(async () => {
      await this.#database.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_APPEND_LOCK]);
      // The time is taken under the lock, so the chain's timestamps never go backwards.
      const at = this.#now().toISOString();
      const [last] = await this.#database.query<{ sequence: string; hash: string }>(
        'SELECT sequence, hash FROM audit_log ORDER BY sequence DESC LIMIT 1',
      );
      const previousHash = last?.hash ?? GENESIS_HASH;
      // The sequence is taken under the lock too, so it can be inside the hash (every field a record
      // states is, as in the SQLite log's current format): a renumbered or re-attributed record shows.
      const sequence = Number(last?.sequence ?? 0) + 1;
      const hash = recordHash({
        format: 2,
        sequence,
        at,
        actor: event.actor,
        action: event.action,
        subject: event.subject ?? null,
        request_id: event.requestId ?? null,
        details,
        previous_hash: previousHash,
      });
      await this.#database.execute(
        `INSERT INTO audit_log (sequence, at, actor, action, subject, request_id, details, previous_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          sequence,
          at,
          event.actor,
          event.action,
          event.subject ?? null,
          event.requestId ?? null,
          details,
          previousHash,
          hash,
        ],
      );
    });
  }

  async list(
    filter: { subject?: string; actionPrefix?: string; limit?: number } = {},
  ): Promise<AuditRecord[]> {
    const rows = await this.#database.query<AuditRow>(
      `SELECT * FROM audit_log
       WHERE ($1::text IS NULL OR subject = $1) AND ($2::text IS NULL OR starts_with(action, $2))
       ORDER BY sequence DESC LIMIT $3`,
      [filter.subject ?? null, filter.actionPrefix ?? null, filter.limit ?? 100],
    );
    return rows.map(toAuditRecord);
  }

  async verifyChain(): Promise<number | undefined> {
    let previousHash = GENESIS_HASH;
    let after = 0;
    // In pages, so a long log is never held in memory at once.
    for (;;) {
      const rows = await this.#database.query<AuditRow>(
        'SELECT * FROM audit_log WHERE sequence > $1 ORDER BY sequence ASC LIMIT 1000',
        [after],
      );
      if (rows.length === 0) return undefined;
      for (const row of rows) {
        const expected = recordHash({ ...row, sequence: Number(row.sequence), format: 2 });
        if (row.previous_hash !== previousHash || row.hash !== expected) return Number(row.sequence);
        previousHash = row.hash;
        after = Number(row.sequence);
      }
    }
  }
}
