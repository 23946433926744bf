import { AsyncLocalStorage } from 'node:async_hooks';
import { type SqliteDatabase, withStatementCache } from '../store/database.js';
import { normalizePerson } from './four-eyes.js';

/** What the compliance workflow edits: a knowledge document or a policy rules file. */
export type ArtifactKind = 'document' | 'policy';

/** What an approved draft does when it is applied: publish its text, or retire the published file. */
export type DraftChange = 'publish' | 'retire';

/** The single working draft of one artifact (or a pending retirement of it). */
export interface DraftRecord {
  readonly kind: ArtifactKind;
  readonly id: string;
  readonly content: string;
  readonly contentHash: string;
  /** Starts at 1 and grows by one on every save; callers send it back to detect lost updates. */
  readonly revision: number;
  /** Hash of the published file the draft was last saved against; null when there was none. */
  readonly baseContentHash: string | null;
  /** Who created the draft. */
  readonly author: string;
  /** Everyone who saved a revision since the draft was created (the author included). */
  readonly editors: readonly string[];
  readonly approvedBy: string | null;
  readonly approvedAt: string | null;
  /** The revision the approver reviewed; an approval covers that revision and no other. */
  readonly approvedRevision: number | null;
  /** `retire`: a retirement request; its content is the published text it would retire. */
  readonly change: DraftChange;
  /** Why retirement was requested; null for a publish draft. */
  readonly reason: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One entry of the append-only publication history. */
export interface VersionRecord {
  readonly sequence: number;
  readonly kind: ArtifactKind;
  readonly id: string;
  readonly action: 'published' | 'retired';
  readonly version: string;
  readonly contentHash: string;
  readonly previousContentHash: string | null;
  readonly draftedBy: string | null;
  readonly draftedAt: string | null;
  readonly approvedBy: string | null;
  readonly approvedAt: string | null;
  /** Who published or retired it. */
  readonly actor: string;
  readonly at: string;
  readonly reason: string | null;
}

/** What `writeDraft` stores: a new draft (revision 1) or a new revision of the existing one. */
export interface DraftInput {
  readonly kind: ArtifactKind;
  readonly id: string;
  readonly content: string;
  readonly contentHash: string;
  readonly baseContentHash: string | null;
  readonly editor: string;
  readonly at: string;
  readonly change?: DraftChange;
  readonly reason?: string;
}

/**
 * Drafts and publication history, on the embedded SQLite file or on PostgreSQL shared by every
 * instance. Plain persistence: the lifecycle rules live in `ComplianceService`.
 */
export interface ComplianceStore {
  /**
   * Runs `work` in one transaction (rolled back when it throws), serialised with every other
   * compliance transaction on any process or host: the lifecycle reads a revision, then writes.
   */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  draft(kind: ArtifactKind, id: string): Promise<DraftRecord | undefined>;
  drafts(kind: ArtifactKind): Promise<DraftRecord[]>;
  /**
   * Inserts a new draft (revision 1) or replaces the content of an existing one, clearing
   * approval. `change` and `reason` are set when the draft is created (default: publish).
   */
  writeDraft(input: DraftInput): Promise<DraftRecord>;
  /** Records the approval of exactly `revision`; a no-op when the draft moved on meanwhile. */
  markApproved(
    kind: ArtifactKind,
    id: string,
    approver: string,
    at: string,
    revision: number,
  ): Promise<DraftRecord>;
  deleteDraft(kind: ArtifactKind, id: string): Promise<void>;
  appendVersion(entry: Omit<VersionRecord, 'sequence'>): Promise<VersionRecord>;
  /** Oldest first. */
  versions(kind: ArtifactKind, id: string): Promise<VersionRecord[]>;
}

/** A stored draft row, the same columns in SQLite and PostgreSQL. */
export interface DraftRow {
  kind: ArtifactKind;
  artifact_id: string;
  content: string;
  content_hash: string;
  revision: number;
  base_content_hash: string | null;
  author: string;
  editors: string;
  approved_by: string | null;
  approved_at: string | null;
  approved_revision: number | null;
  change: DraftChange;
  reason: string | null;
  created_at: string;
  updated_at: string;
}

/** A stored history row, the same columns in SQLite and PostgreSQL. */
export interface VersionRow {
  /** PostgreSQL returns a BIGINT as text. */
  sequence: number | string;
  kind: ArtifactKind;
  artifact_id: string;
  action: 'published' | 'retired';
  version: string;
  content_hash: string;
  previous_content_hash: string | null;
  drafted_by: string | null;
  drafted_at: string | null;
  approved_by: string | null;
  approved_at: string | null;
  actor: string;
  at: string;
  reason: string | null;
}

/**
 * Drafts and publication history in the embedded SQLite database (tables from
 * `migrateCompliance`). Each method runs its synchronous statement and resolves.
 */
export class SqliteComplianceStore implements ComplianceStore {
  readonly #database: SqliteDatabase;
  /** Prepared once per SQL text, like the other stores. */
  readonly #statements: Pick<SqliteDatabase, 'prepare'>;
  readonly #atomically: <T>(work: () => Promise<T>) => Promise<T>;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #inside = new AsyncLocalStorage<true>();

  /**
   * `atomically`: the state backend's transaction on the same file (`StateBackend.atomically`),
   * so a compliance transaction and a turn's never open on the one connection at once; without
   * it (a database of its own, as in tests) transactions open BEGIN IMMEDIATE here.
   */
  constructor(
    database: SqliteDatabase,
    { atomically }: { atomically?: <T>(work: () => Promise<T>) => Promise<T> } = {},
  ) {
    this.#database = database;
    this.#statements = withStatementCache(database);
    this.#atomically = atomically ?? ((work) => this.#immediate(work));
  }

  transaction<T>(work: () => Promise<T>): Promise<T> {
    return this.#atomically(work);
  }

  /**
   * IMMEDIATE, because the lifecycle reads (revision, base hash) and then writes: under a deferred
   * transaction another worker's commit in between would make the write fail with SQLITE_BUSY.
   * One connection serves every caller in this process, so transactions queue behind each other
   * (a second BEGIN on it would fail); work inside one joins it.
   */
  #immediate<T>(work: () => Promise<T>): Promise<T> {
    if (this.#inside.getStore()) return work();
    const run = this.#queue.then(async () => {
      this.#database.exec('BEGIN IMMEDIATE');
      try {
        const result = await this.#inside.run(true, work);
        this.#database.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.#database.inTransaction) this.#database.exec('ROLLBACK');
        throw error;
      }
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async draft(kind: ArtifactKind, id: string): Promise<DraftRecord | undefined> {
    return this.#draft(kind, id);
  }

  #draft(kind: ArtifactKind, id: string): DraftRecord | undefined {
    const row = this.#statements
      .prepare('SELECT * FROM compliance_drafts WHERE kind = ? AND artifact_id = ?')
      .get(kind, id) as DraftRow | undefined;
    return row && toDraft(row);
  }

  async drafts(kind: ArtifactKind): Promise<DraftRecord[]> {
    return (
      this.#statements
        .prepare('SELECT * FROM compliance_drafts WHERE kind = ? ORDER BY artifact_id')
        .all(kind) as DraftRow[]
    ).map(toDraft);
  }

  async writeDraft(input: DraftInput): Promise<DraftRecord> {
    const existing = this.#draft(input.kind, input.id);
    if (!existing) {
      this.#statements
        .prepare(
          `INSERT INTO compliance_drafts (kind, artifact_id, content, content_hash, revision, base_content_hash,
             author, editors, approved_by, approved_at, approved_revision, change, reason, created_at, updated_at)
           VALUES (?, ?, ?, ?, 1, ?, ?, ?, NULL, NULL, NULL, ?, ?, ?, ?)`,
        )
        .run(
          input.kind,
          input.id,
          input.content,
          input.contentHash,
          input.baseContentHash,
          input.editor,
          JSON.stringify([input.editor]),
          input.change ?? 'publish',
          input.reason ?? null,
          input.at,
          input.at,
        );
    } else {
      this.#statements
        .prepare(
          `UPDATE compliance_drafts SET content = ?, content_hash = ?, revision = revision + 1,
             base_content_hash = ?, editors = ?, approved_by = NULL, approved_at = NULL, approved_revision = NULL,
             updated_at = ?
           WHERE kind = ? AND artifact_id = ?`,
        )
        .run(
          input.content,
          input.contentHash,
          input.baseContentHash,
          JSON.stringify(editorsAfter(existing, input.editor)),
          input.at,
          input.kind,
          input.id,
        );
    }
    return this.#draft(input.kind, input.id)!;
  }

  async markApproved(
    kind: ArtifactKind,
    id: string,
    approver: string,
    at: string,
    revision: number,
  ): Promise<DraftRecord> {
    this.#statements
      .prepare(
        `UPDATE compliance_drafts SET approved_by = ?, approved_at = ?, approved_revision = ?
         WHERE kind = ? AND artifact_id = ? AND revision = ?`,
      )
      .run(approver, at, revision, kind, id, revision);
    return this.#draft(kind, id)!;
  }

  async deleteDraft(kind: ArtifactKind, id: string): Promise<void> {
    this.#statements
      .prepare('DELETE FROM compliance_drafts WHERE kind = ? AND artifact_id = ?')
      .run(kind, id);
  }

  async appendVersion(entry: Omit<VersionRecord, 'sequence'>): Promise<VersionRecord> {
    const result = this.#statements
      .prepare(
        `INSERT INTO compliance_versions (kind, artifact_id, action, version, content_hash, previous_content_hash,
           drafted_by, drafted_at, approved_by, approved_at, actor, at, reason)
         VALUES (@kind, @id, @action, @version, @contentHash, @previousContentHash,
           @draftedBy, @draftedAt, @approvedBy, @approvedAt, @actor, @at, @reason)`,
      )
      .run(entry);
    return { ...entry, sequence: Number(result.lastInsertRowid) };
  }

  async versions(kind: ArtifactKind, id: string): Promise<VersionRecord[]> {
    return (
      this.#statements
        .prepare('SELECT * FROM compliance_versions WHERE kind = ? AND artifact_id = ? ORDER BY sequence')
        .all(kind, id) as VersionRow[]
    ).map(toVersion);
  }
}

/** The editors after `editor` saved a revision: the author and everyone who saved before, once each. */
export function editorsAfter(existing: DraftRecord, editor: string): readonly string[] {
  const known = existing.editors.some((name) => normalizePerson(name) === normalizePerson(editor));
  return known ? existing.editors : [...existing.editors, editor];
}

/** A stored history row as the record callers see. */
export function toVersion(row: VersionRow): VersionRecord {
  return {
    sequence: Number(row.sequence),
    kind: row.kind,
    id: row.artifact_id,
    action: row.action,
    version: row.version,
    contentHash: row.content_hash,
    previousContentHash: row.previous_content_hash,
    draftedBy: row.drafted_by,
    draftedAt: row.drafted_at,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
    actor: row.actor,
    at: row.at,
    reason: row.reason,
  };
}

/** A stored draft row as the record callers see. */
export function toDraft(row: DraftRow): DraftRecord {
  return {
    kind: row.kind,
    id: row.artifact_id,
    content: row.content,
    contentHash: row.content_hash,
    revision: row.revision,
    baseContentHash: row.base_content_hash,
    author: row.author,
    editors: JSON.parse(row.editors) as string[],
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
    approvedRevision: row.approved_revision,
    change: row.change,
    reason: row.reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
