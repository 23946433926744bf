import { createHash } from 'node:crypto';
import { type SqliteDatabase, withStatementCache } from './database.js';

export interface AuditEvent {
  /** Who acted: a customer id, a staff id, or `system`. */
  readonly actor: string;
  /** What happened, dotted: `turn.completed`, `tool.refused`, `document.published`... */
  readonly action: string;
  /** What it happened to: a conversation, document or handoff id. */
  readonly subject?: string;
  readonly requestId?: string;
  /** Redacted details only: callers never put raw PII here. */
  readonly details?: Record<string, unknown>;
}

export interface AuditRecord extends Required<Omit<AuditEvent, 'subject' | 'requestId'>> {
  readonly sequence: number;
  readonly at: string;
  readonly subject: string | null;
  readonly requestId: string | null;
  readonly hash: string;
}

/**
 * Where audit events go. The SQLite log answers at once, the PostgreSQL log with a promise;
 * callers await either, so a failed write is the caller's failure, never a floating rejection.
 */
export interface AuditSink {
  record(event: AuditEvent): void | Promise<void>;
}

const GENESIS_HASH = '0'.repeat(64);

/** Append-only, hash-chained audit log in the embedded database. */
export class SqliteAuditLog implements AuditSink {
  readonly #database: SqliteDatabase;
  readonly #now: () => Date;
  /** Prepared once per SQL text: preparing is a large share of a small query's cost. */
  readonly #statements: Pick<SqliteDatabase, 'prepare'>;

  constructor(database: SqliteDatabase, now: () => Date = () => new Date()) {
    this.#database = database;
    this.#now = now;
    this.#statements = withStatementCache(database);
  }

  record(event: AuditEvent): void {
    const at = this.#now().toISOString();
    const details = JSON.stringify(event.details ?? {});
    // IMMEDIATE: the previous hash must be read under the write lock. A deferred transaction would
    // read it under a shared lock, and when another process appended in between, the upgrade to
    // a write fails at once with SQLITE_BUSY (WAL snapshots cannot be upgraded; busy_timeout does
    // not help). The hash is never cached in memory for the same reason.
    this.#database
      .transaction(() => {
        const last = this.#statements
          .prepare('SELECT hash FROM audit_log ORDER BY sequence DESC LIMIT 1')
          .get() as { hash: string } | undefined;
        const previousHash = last?.hash ?? GENESIS_HASH;
        const hash = chainHash(previousHash, at, event.actor, event.action, event.subject ?? null, details);
        this.#statements
          .prepare(
            'INSERT INTO audit_log (at, actor, action, subject, request_id, details, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          )
          .run(
            at,
            event.actor,
            event.action,
            event.subject ?? null,
            event.requestId ?? null,
            details,
            previousHash,
            hash,
          );
      })
      .immediate();
  }

  /** Most recent records first, optionally for one subject or action prefix. */
  list(filter: { subject?: string; actionPrefix?: string; limit?: number } = {}): AuditRecord[] {
    const rows = this.#statements
      .prepare(
        `SELECT * FROM audit_log
         WHERE (@subject IS NULL OR subject = @subject) AND (@prefix IS NULL OR action LIKE @prefix || '%')
         ORDER BY sequence DESC LIMIT @limit`,
      )
      .all({
        subject: filter.subject ?? null,
        prefix: filter.actionPrefix ?? null,
        limit: filter.limit ?? 100,
      }) as Array<{
      sequence: number;
      at: string;
      actor: string;
      action: string;
      subject: string | null;
      request_id: string | null;
      details: string;
      hash: string;
    }>;
    return rows.map((row) => ({
      sequence: row.sequence,
      at: row.at,
      actor: row.actor,
      action: row.action,
      subject: row.subject,
      requestId: row.request_id,
      details: JSON.parse(row.details) as Record<string, unknown>,
      hash: row.hash,
    }));
  }

  /** Recomputes the chain; returns the first broken sequence number, or undefined when intact. */
  verifyChain(): number | undefined {
    let previousHash = GENESIS_HASH;
    const rows = this.#statements
      .prepare('SELECT * FROM audit_log ORDER BY sequence ASC')
      .iterate() as Iterable<{
      sequence: number;
      at: string;
      actor: string;
      action: string;
      subject: string | null;
      details: string;
      previous_hash: string;
      hash: string;
    }>;
    for (const row of rows) {
      const expected = chainHash(previousHash, row.at, row.actor, row.action, row.subject, row.details);
      if (row.previous_hash !== previousHash || row.hash !== expected) return row.sequence;
      previousHash = row.hash;
    }
    return undefined;
  }
}

/** SHA-256 over the previous hash and the fields, NUL-separated; shared by both backends so their chains agree. */
export function chainHash(previousHash: string, ...fields: Array<string | null>): string {
  const hash = createHash('sha256').update(previousHash);
  for (const field of fields) hash.update('\u0000').update(field ?? '');
  return hash.digest('hex');
}
