import type { PostgresDatabase } from '../store/postgres/connection.js';
import {
  type ArtifactKind,
  type ComplianceStore,
  type DraftInput,
  type DraftRecord,
  type DraftRow,
  editorsAfter,
  toDraft,
  toVersion,
  type VersionRecord,
  type VersionRow,
} from './compliance-store.js';

/** Transaction-scoped advisory lock serialising compliance transactions on every host. */
const COMPLIANCE_LOCK = 7_316_004;

/**
 * Drafts and publication history in PostgreSQL (migrations 4 and 7), shared by every instance:
 * a draft saved through one host is the draft every host approves and publishes. Transactions take
 * one advisory lock, so a revision read and the write that depends on it never interleave with
 * another host's, as BEGIN IMMEDIATE guarantees on SQLite (compliance writes are rare; one lock is
 * plenty). The history table refuses updates and deletes by trigger.
 */
export class PostgresComplianceStore implements ComplianceStore {
  readonly #database: PostgresDatabase;

  constructor(database: PostgresDatabase) {
    this.#database = database;
  }

  transaction<T>(work: () => Promise<T>): Promise<T> {
    return this.#database.atomically(async () => {
      await this.#database.query('SELECT pg_advisory_xact_lock($1)', [COMPLIANCE_LOCK]);
      return work();
    });
  }

  async draft(kind: ArtifactKind, id: string): Promise<DraftRecord | undefined> {
    const [row] = await this.#database.query<DraftRow>(
      'SELECT * FROM compliance_drafts WHERE kind = $1 AND artifact_id = $2',
      [kind, id],
    );
    return row && toDraft(row);
  }

  async drafts(kind: ArtifactKind): Promise<DraftRecord[]> {
    const rows = await this.#database.query<DraftRow>(
      'SELECT * FROM compliance_drafts WHERE kind = $1 ORDER BY artifact_id COLLATE "C"',
      [kind],
    );
    return rows.map(toDraft);
  }

  writeDraft(input: DraftInput): Promise<DraftRecord> {
    // Read and write in one transaction (joining the caller's when there is one).
    return this.#database.atomically(async () => {
      const existing = await this.draft(input.kind, input.id);
      const [row] = existing
        ? await this.#database.query<DraftRow>(
            `UPDATE compliance_drafts SET content = $1, content_hash = $2, revision = revision + 1,
               base_content_hash = $3, editors = $4, approved_by = NULL, approved_at = NULL,
               approved_revision = NULL, updated_at = $5
             WHERE kind = $6 AND artifact_id = $7 RETURNING *`,
            [
              input.content,
              input.contentHash,
              input.baseContentHash,
              JSON.stringify(editorsAfter(existing, input.editor)),
              input.at,
              input.kind,
              input.id,
            ],
          )
        : await this.#database.query<DraftRow>(
            `INSERT INTO compliance_drafts (kind, artifact_id, content, content_hash, revision, base_content_hash,
               author, editors, approved_by, approved_at, approved_revision, change, reason, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 1, $5, $6, $7, NULL, NULL, NULL, $8, $9, $10, $10) RETURNING *`,
            [
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
            ],
          );
      return toDraft(row!);
    });
  }

  async markApproved(
    kind: ArtifactKind,
    id: string,
    approver: string,
    at: string,
    revision: number,
  ): Promise<DraftRecord> {
    await this.#database.execute(
      `UPDATE compliance_drafts SET approved_by = $1, approved_at = $2, approved_revision = $3
       WHERE kind = $4 AND artifact_id = $5 AND revision = $3`,
      [approver, at, revision, kind, id],
    );
    return (await this.draft(kind, id))!;
  }

  async deleteDraft(kind: ArtifactKind, id: string): Promise<void> {
    await this.#database.execute('DELETE FROM compliance_drafts WHERE kind = $1 AND artifact_id = $2', [
      kind,
      id,
    ]);
  }

  async appendVersion(entry: Omit<VersionRecord, 'sequence'>): Promise<VersionRecord> {
    const [row] = await this.#database.query<VersionRow>(
      `INSERT INTO compliance_versions (kind, artifact_id, action, version, content_hash, previous_content_hash,
         drafted_by, drafted_at, approved_by, approved_at, actor, at, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING *`,
      [
        entry.kind,
        entry.id,
        entry.action,
        entry.version,
        entry.contentHash,
        entry.previousContentHash,
        entry.draftedBy,
        entry.draftedAt,
        entry.approvedBy,
        entry.approvedAt,
        entry.actor,
        entry.at,
        entry.reason,
      ],
    );
    return toVersion(row!);
  }

  async versions(kind: ArtifactKind, id: string): Promise<VersionRecord[]> {
    const rows = await this.#database.query<VersionRow>(
      'SELECT * FROM compliance_versions WHERE kind = $1 AND artifact_id = $2 ORDER BY sequence',
      [kind, id],
    );
    return rows.map(toVersion);
  }
}
