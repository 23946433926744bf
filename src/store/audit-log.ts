import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
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
/**
 * Record format 1 hashed at, actor, action, subject and details; format 2 (every record written
 * now) also the sequence and the request id, so nothing a record says is outside its hash.
 */
const CURRENT_FORMAT = 2;

/** What `verify()` found: the whole chain and the signed head. */
export interface AuditVerification {
  readonly ok: boolean;
  readonly records: number;
  /** The first sequence whose hash or link to its predecessor is wrong. */
  readonly brokenAt?: number;
  /** `signed`: the head matches the last record; `unsigned`: no key configured, so truncation of the tail cannot be detected. */
  readonly head: 'signed' | 'unsigned' | 'missing' | 'forged' | 'mismatch';
  readonly problem?: string;
}

/** The columns a listed audit record is read from, the same in SQLite and PostgreSQL. */
export interface ListedAuditRow {
  /** PostgreSQL returns a BIGINT as text. */
  sequence: number | string;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  request_id: string | null;
  details: string;
  hash: string;
}

/** A stored audit row as the record callers see. */
export function toAuditRecord(row: ListedAuditRow): AuditRecord {
  return {
    sequence: Number(row.sequence),
    at: row.at,
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    requestId: row.request_id,
    details: JSON.parse(row.details) as Record<string, unknown>,
    hash: row.hash,
  };
}

/** A stored audit row with everything its hash covers, as both backends read it back. */
export interface StoredAuditRow {
  sequence: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  request_id: string | null;
  details: string;
  previous_hash: string;
  hash: string;
  format: number;
}

/**
 * Adds what later versions need to an existing audit table: the record format column and the
 * signed head. Idempotent; several worker processes may run it at once.
 */
function migrateAuditLog(database: SqliteDatabase): void {
  database.exec(`
    CREATE TABLE IF NOT EXISTS audit_head (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      sequence INTEGER NOT NULL,
      hash TEXT NOT NULL,
      signature TEXT NOT NULL
    );
  `);
  const columns = database.prepare('PRAGMA table_info(audit_log)').all() as Array<{ name: string }>;
  if (columns.some((column) => column.name === 'format')) return;
  try {
    database.exec('ALTER TABLE audit_log ADD COLUMN format INTEGER NOT NULL DEFAULT 1');
  } catch (error) {
    if (!/duplicate column/i.test((error as Error).message)) throw error;
  }
}

/**
 * Append-only, hash-chained audit log in the embedded database. Each record's hash covers every
 * field it stores and its predecessor's hash; with a `headKey`, the newest sequence and hash are
 * also kept HMAC-signed in `audit_head`, so cutting records off the end shows as well (a chain
 * alone cannot tell a truncated log from a short one).
 */
export class SqliteAuditLog implements AuditSink {
  readonly #database: SqliteDatabase;
  readonly #now: () => Date;
  readonly #headKey: Buffer | undefined;
  /** Prepared once per SQL text: preparing is a large share of a small query's cost. */
  readonly #statements: Pick<SqliteDatabase, 'prepare'>;

  /** `headKey`: the HMAC key (hex) that signs the head; without it truncation is not detectable. */
  constructor(
    database: SqliteDatabase,
    now: () => Date = () => new Date(),
    options: { headKey?: string } = {},
  ) {
    this.#database = database;
    this.#now = now;
    this.#headKey = options.headKey === undefined ? undefined : Buffer.from(options.headKey, 'hex');
    migrateAuditLog(database);
    this.#statements = withStatementCache(database);
  }

  record(event: AuditEvent): void {
    const at = this.#now().toISOString();
    const details = JSON.stringify(event.details ?? {});
    const requestId = event.requestId ?? null;
    // IMMEDIATE: the previous hash must be read under the write lock. A deferred transaction would
    // read it under a shared lock, and when another process appended in between, the upgrade to
    // a write fails at once with SQLITE_BUSY (WAL snapshots cannot be upgraded; busy_timeout does
    // not help). The hash is never cached in memory for the same reason.
    this.#database
      .transaction(() => {
        const last = this.#statements
          .prepare('SELECT sequence, hash FROM audit_log ORDER BY sequence DESC LIMIT 1')
          .get() as { sequence: number; hash: string } | undefined;
        const previousHash = last?.hash ?? GENESIS_HASH;
        const row = {
          sequence: (last?.sequence ?? 0) + 1,
          at,
          actor: event.actor,
          action: event.action,
          subject: event.subject ?? null,
          request_id: requestId,
          details,
          previous_hash: previousHash,
          format: CURRENT_FORMAT,
        };
        const hash = recordHash(row);
        this.#statements
          .prepare(
            `INSERT INTO audit_log (sequence, at, actor, action, subject, request_id, details, previous_hash, hash, format)
             VALUES (@sequence, @at, @actor, @action, @subject, @request_id, @details, @previous_hash, @hash, @format)`,
          )
          .run({ ...row, hash });
        if (this.#headKey) {
          this.#statements
            .prepare(
              `INSERT INTO audit_head (id, sequence, hash, signature) VALUES (1, @sequence, @hash, @signature)
               ON CONFLICT (id) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash, signature = excluded.signature`,
            )
            .run({
              sequence: row.sequence,
              hash,
              signature: signHead(this.#headKey, row.sequence, hash),
            });
        }
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
      }) as ListedAuditRow[];
    return rows.map(toAuditRecord);
  }

  /** Recomputes the chain; returns the first broken sequence number, or undefined when intact. */
  verifyChain(): number | undefined {
    return this.verify().brokenAt;
  }

  /**
   * Recomputes every record's hash and link, then compares the newest record with the signed
   * head: a changed or deleted record breaks the chain, a cut-off tail leaves the head pointing
   * past the end, and a head rewritten without the key fails its signature.
   */
  verify(): AuditVerification {
    let previousHash = GENESIS_HASH;
    let last: StoredAuditRow | undefined;
    let records = 0;
    const rows = this.#statements
      .prepare('SELECT * FROM audit_log ORDER BY sequence ASC')
      .iterate() as Iterable<StoredAuditRow>;
    for (const row of rows) {
      records += 1;
      const broken = chainBreak(row, previousHash);
      if (broken) return { ok: false, records, brokenAt: row.sequence, head: 'mismatch', problem: broken };
      previousHash = row.hash;
      last = row;
    }
    if (!this.#headKey) return { ok: true, records, head: 'unsigned' };
    const head = this.#statements
      .prepare('SELECT sequence, hash, signature FROM audit_head WHERE id = 1')
      .get() as SignedHead | undefined;
    return checkSignedHead(this.#headKey, head, last, records);
  }
}

/** Why `row` breaks the chain after `previousHash`, or undefined when it links and matches. */
export function chainBreak(row: StoredAuditRow, previousHash: string): string | undefined {
  if (row.previous_hash !== previousHash) {
    return `record ${row.sequence} does not link to the record before it (one was removed or changed)`;
  }
  if (row.hash !== recordHash(row)) return `record ${row.sequence} does not match its contents`;
  return undefined;
}

/** The `audit_head` row: the newest record's sequence and hash, and their HMAC. */
export interface SignedHead {
  /** PostgreSQL returns a BIGINT as text. */
  readonly sequence: number | string;
  readonly hash: string;
  readonly signature: string;
}

/**
 * Compares the newest record of an intact chain with the signed head, the same for both
 * backends: a head rewritten without the key fails its signature, and a head pointing past the
 * last record means records were cut off the end.
 */
export function checkSignedHead(
  key: Buffer,
  head: SignedHead | undefined,
  last: { readonly sequence: number | string; readonly hash: string } | undefined,
  records: number,
): AuditVerification {
  if (!head) {
    return last
      ? { ok: false, records, head: 'missing', problem: 'the signed head is missing' }
      : { ok: true, records, head: 'signed' };
  }
  const sequence = Number(head.sequence);
  const expected = Buffer.from(signHead(key, sequence, head.hash), 'hex');
  const given = Buffer.from(head.signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return {
      ok: false,
      records,
      head: 'forged',
      problem: 'the head signature does not verify with the audit key',
    };
  }
  if (!last || sequence !== Number(last.sequence) || head.hash !== last.hash) {
    return {
      ok: false,
      records,
      head: 'mismatch',
      problem: `the signed head is record ${sequence}, but the log ends at ${last?.sequence ?? 'nothing'}: records were cut off the end`,
    };
  }
  return { ok: true, records, head: 'signed' };
}

/** The hash of one record in its own format; format 2 covers every stored field. */
export function recordHash(row: Omit<StoredAuditRow, 'hash'>): string {
  if (row.format === 1) {
    return chainHash(row.previous_hash, row.at, row.actor, row.action, row.subject, row.details);
  }
  // JSON keeps field boundaries and null apart from '' (a plain separator would not).
  return createHash('sha256')
    .update(row.previous_hash)
    .update(
      JSON.stringify([
        row.format,
        row.sequence,
        row.at,
        row.actor,
        row.action,
        row.subject,
        row.request_id,
        row.details,
      ]),
    )
    .digest('hex');
}

/** The HMAC that signs the head (the newest sequence and hash), the same for both backends. */
export function signHead(key: Buffer, sequence: number, hash: string): string {
  return createHmac('sha256', key).update(`teller-audit-head\u0000${sequence}\u0000${hash}`).digest('hex');
}

/** SHA-256 over the previous hash and the fields, NUL-separated (format 1); shared by both backends. */
export function chainHash(previousHash: string, ...fields: Array<string | null>): string {
  const hash = createHash('sha256').update(previousHash);
  for (const field of fields) hash.update('\u0000').update(field ?? '');
  return hash.digest('hex');
}
