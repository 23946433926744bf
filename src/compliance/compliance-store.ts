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

interface DraftRow {
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

interface VersionRow {
  sequence: number;
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
 * `migrateCompliance`). Plain persistence: the lifecycle rules live in `ComplianceService`.
 */
export class SqliteComplianceStore {
  readonly #database: SqliteDatabase;
  /** Prepared once per SQL text, like the other stores. */
  readonly #statements: Pick<SqliteDatabase, 'prepare'>;

  constructor(database: SqliteDatabase) {
    this.#database = database;
    this.#statements = withStatementCache(database);
  }

  /**
   * Runs `work` in one SQLite transaction (rolled back when it throws). IMMEDIATE, because the
   * lifecycle reads (revision, base hash) and then writes: under a deferred transaction another
   * worker's commit in between would make the write fail with SQLITE_BUSY at once.
   */
  transaction<T>(work: () => T): T {
    return this.#database.transaction(work).immediate();
  }

  draft(kind: ArtifactKind, id: string): DraftRecord | undefined {
    const row = this.#statements
      .prepare('SELECT * FROM compliance_drafts WHERE kind = ? AND artifact_id = ?')
      .get(kind, id) as DraftRow | undefined;
    return row && toDraft(row);
  }

  drafts(kind: ArtifactKind): DraftRecord[] {
    return (
      this.#statements
        .prepare('SELECT * FROM compliance_drafts WHERE kind = ? ORDER BY artifact_id')
        .all(kind) as DraftRow[]
    ).map(toDraft);
  }

  /**
   * Inserts a new draft (revision 1) or replaces the content of an existing one, clearing
   * approval. `change` and `reason` are set when the draft is created (default: publish).
   */
  writeDraft(input: {
    kind: ArtifactKind;
    id: string;
    content: string;
    contentHash: string;
    baseContentHash: string | null;
    editor: string;
    at: string;
    change?: DraftChange;
    reason?: string;
  }): DraftRecord {
    const existing = this.draft(input.kind, input.id);
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
      const known = existing.editors.some(
        (editor) => normalizePerson(editor) === normalizePerson(input.editor),
      );
      const editors = known ? existing.editors : [...existing.editors, input.editor];
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
          JSON.stringify(editors),
          input.at,
          input.kind,
          input.id,
        );
    }
    return this.draft(input.kind, input.id)!;
  }

  /** Records the approval of exactly `revision`; a no-op when the draft moved on meanwhile. */
  markApproved(kind: ArtifactKind, id: string, approver: string, at: string, revision: number): DraftRecord {
    this.#statements
      .prepare(
        `UPDATE compliance_drafts SET approved_by = ?, approved_at = ?, approved_revision = ?
         WHERE kind = ? AND artifact_id = ? AND revision = ?`,
      )
      .run(approver, at, revision, kind, id, revision);
    return this.draft(kind, id)!;
  }

  deleteDraft(kind: ArtifactKind, id: string): void {
    this.#statements
      .prepare('DELETE FROM compliance_drafts WHERE kind = ? AND artifact_id = ?')
      .run(kind, id);
  }

  appendVersion(entry: Omit<VersionRecord, 'sequence'>): VersionRecord {
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

  /** Oldest first. */
  versions(kind: ArtifactKind, id: string): VersionRecord[] {
    return (
      this.#statements
        .prepare('SELECT * FROM compliance_versions WHERE kind = ? AND artifact_id = ? ORDER BY sequence')
        .all(kind, id) as VersionRow[]
    ).map((row) => ({
      sequence: row.sequence,
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
    }));
  }
}

function toDraft(row: DraftRow): DraftRecord {
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
