import {
  type AuditEvent,
  type AuditRecord,
  type AuditVerification,
  chainBreak,
  checkSignedHead,
  recordHash,
  type SignedHead,
  signHead,
  toAuditRecord,
} from '../audit-log.js';
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
 * The hash-chained audit log in PostgreSQL. Appenders on any number of hosts take one lock for
 * the length of their transaction, read the head, and append after it; the lock is released at
 * commit, so the next appender reads the committed head. With a `headKey` the newest sequence and
 * hash are also kept HMAC-signed in `audit_head`, written by the append's own statement, so
 * records cut off the end show too; that row is then the lock (`SELECT … FOR UPDATE` returns its
 * committed head in one round trip), and the advisory lock only guards appends before it exists
 * or without a key. `UNIQUE (previous_hash)` is the backstop: were the lock ever bypassed (a
 * writer without the key appending beside keyed ones), a second row after the same head could not
 * commit. Inside `atomically` the append commits (or rolls back) with the rest of the turn. Every
 * instance must sign with one key (AUDIT_KEY): a head signed with another instance's key does not
 * verify.
 */
/** The shared audit head verifies only with another key than this instance's AUDIT_KEY. */
export class AuditKeyMismatchError extends Error {
  constructor() {
    super(
      'the audit head in PostgreSQL was signed with a different key: every instance sharing DATABASE_URL must set the same AUDIT_KEY',
    );
    this.name = 'AuditKeyMismatchError';
  }
}

export class PostgresAuditLog implements AuditRepository {
  readonly #database: PostgresDatabase;
  readonly #now: () => Date;
  readonly #headKey: Buffer | undefined;

  /** `headKey`: the HMAC key (hex) that signs the head; without it truncation is not detectable. */
  constructor(
    database: PostgresDatabase,
    now: () => Date = () => new Date(),
    options: { headKey?: string } = {},
  ) {
    this.#database = database;
    this.#now = now;
    this.#headKey = options.headKey === undefined ? undefined : Buffer.from(options.headKey, 'hex');
  }

  async record(event: AuditEvent): Promise<void> {
    const details = JSON.stringify(event.details ?? {});
    await this.#database.atomically(async () => {
      const last = await this.#lockHead();
      // The time is taken under the lock, so the chain's timestamps never go backwards.
      const at = this.#now().toISOString();
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
      const values = [
        sequence,
        at,
        event.actor,
        event.action,
        event.subject ?? null,
        event.requestId ?? null,
        details,
        previousHash,
        hash,
      ];
      const append = `INSERT INTO audit_log (sequence, at, actor, action, subject, request_id, details, previous_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;
      if (!this.#headKey) {
        await this.#database.execute(append, values);
        return;
      }
      // The record and the signed head in one statement: one round trip fewer on every append.
      await this.#database.execute(
        `WITH appended AS (${append})
         INSERT INTO audit_head (id, sequence, hash, signature) VALUES (1, $1, $9, $10)
         ON CONFLICT (id) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash, signature = excluded.signature`,
        [...values, signHead(this.#headKey, sequence, hash)],
      );
    });
  }

  /**
   * Takes the append lock and reads the head it guards. With a signed head that is one statement:
   * locking the `audit_head` row (written by every keyed append, in the append's own statement)
   * returns its newest committed version once the previous appender commits. Without one (no key,
   * or the log's first keyed append), the advisory lock, then the newest record; the head row is
   * locked then as well, in case a keyed appender created it meanwhile.
   */
  async #lockHead(): Promise<{ sequence: string; hash: string } | undefined> {
    const lockedHead = () =>
      this.#database.query<{ sequence: string; hash: string }>(
        'SELECT sequence, hash FROM audit_head WHERE id = 1 FOR UPDATE',
      );
    if (this.#headKey) {
      const [head] = await lockedHead();
      if (head) return head;
    }
    await this.#database.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_APPEND_LOCK]);
    if (this.#headKey) {
      const [head] = await lockedHead();
      if (head) return head;
    }
    const [last] = await this.#database.query<{ sequence: string; hash: string }>(
      'SELECT sequence, hash FROM audit_log ORDER BY sequence DESC LIMIT 1',
    );
    return last;
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

  /**
   * Fails with `AuditKeyMismatchError` when the head was signed with another key: every instance
   * sharing the database must sign with one AUDIT_KEY, and an instance signing with its own
   * generated key would make the whole log read as forged to everyone else. Checked at start-up,
   * so a misconfigured host stops before it appends anything.
   */
  async checkHeadKey(): Promise<void> {
    if (!this.#headKey) return;
    const [head] = await this.#database.query<SignedHead>(
      'SELECT sequence, hash, signature FROM audit_head WHERE id = 1',
    );
    if (!head) return;
    const verdict = checkSignedHead(this.#headKey, head, head, 0);
    if (verdict.head === 'forged') throw new AuditKeyMismatchError();
  }

  async verifyChain(): Promise<number | undefined> {
    return (await this.verify()).brokenAt;
  }

  /**
   * Recomputes every record's hash and link, then compares the newest record with the signed
   * head, as `SqliteAuditLog.verify` does. Reads one snapshot (REPEATABLE READ), so records
   * appended by running instances meanwhile neither break the walk nor move the head under it.
   */
  async verify(): Promise<AuditVerification> {
    return this.#database.withClient(async (client) => {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        let previousHash = GENESIS_HASH;
        let last: AuditRow | undefined;
        let records = 0;
        // In pages, so a long log is never held in memory at once.
        for (;;) {
          const { rows } = await client.query<AuditRow>(
            'SELECT * FROM audit_log WHERE sequence > $1 ORDER BY sequence ASC LIMIT 1000',
            [last?.sequence ?? 0],
          );
          if (rows.length === 0) break;
          for (const row of rows) {
            records += 1;
            const sequence = Number(row.sequence);
            const broken = chainBreak({ ...row, sequence, format: 2 }, previousHash);
            if (broken) return { ok: false, records, brokenAt: sequence, head: 'mismatch', problem: broken };
            previousHash = row.hash;
            last = row;
          }
        }
        if (!this.#headKey) return { ok: true, records, head: 'unsigned' };
        const { rows: heads } = await client.query<SignedHead>(
          'SELECT sequence, hash, signature FROM audit_head WHERE id = 1',
        );
        return checkSignedHead(this.#headKey, heads[0], last, records);
      } finally {
        await client.query('ROLLBACK');
      }
    });
  }
}
