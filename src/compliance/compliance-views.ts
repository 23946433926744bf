import { contentHash, type LineIssue, type ParsedArtifact } from './artifact-format.js';
import type { DraftChange, DraftRecord } from './compliance-store.js';
import type { GuardrailWarning } from './guardrail-impact.js';

/** What the API shows of a published file. */
export interface PublishedView {
  readonly text: string;
  readonly contentHash: string;
  /** Null when the file in the folder is invalid (see `errors`). */
  readonly frontMatter: Record<string, unknown> | null;
  readonly body: string | null;
  readonly version: string | null;
  readonly status: ParsedArtifact['status'] | null;
  readonly errors: readonly LineIssue[];
}

export interface DraftView {
  readonly text: string;
  readonly contentHash: string;
  readonly revision: number;
  readonly status: 'pending_approval' | 'approved';
  readonly author: string;
  readonly editors: readonly string[];
  readonly approvedBy: string | null;
  readonly approvedAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** True when the published file changed after the draft was last saved (e.g. a merged PR). */
  readonly stale: boolean;
  /** `retire`: approving and applying this retires the published file. */
  readonly change: DraftChange;
  readonly reason: string | null;
  /** The revision the approval covers, when approved. */
  readonly approvedRevision: number | null;
  /** Guardrails this change weakens or turns off (policies only; empty for documents). */
  readonly guardrailWarnings: readonly GuardrailWarning[];
}

export interface ArtifactSummary {
  readonly id: string;
  readonly title: string;
  readonly product: string | null;
  /** Status of the published file; null when only a draft exists or the file is invalid. */
  readonly status: ParsedArtifact['status'] | null;
  readonly version: string | null;
  readonly effectiveFrom: string | null;
  readonly effectiveUntil: string | null;
  readonly valid: boolean;
  readonly updatedAt: string;
  readonly hasDraft: boolean;
  readonly draftStatus: DraftView['status'] | null;
}

export interface PublicationResult {
  readonly id: string;
  readonly fileName: string;
  readonly version: string;
  readonly status: 'approved' | 'retired';
  readonly contentHash: string;
  /** True when the index (documents) or the guardrails (policies) already use the new file. */
  readonly applied: boolean;
}

/** `approved` once a second officer approved the current revision. */
export function draftStatusOf(draft: DraftRecord): DraftView['status'] {
  return draft.approvedBy ? 'approved' : 'pending_approval';
}

/**
 * A draft as the API shows it; `published` is the current file text, for the stale check, and
 * `warnings` what the change does to the guardrails.
 */
export function draftView(
  draft: DraftRecord,
  published: string | undefined,
  warnings: readonly GuardrailWarning[] = [],
): DraftView {
  return {
    text: draft.content,
    contentHash: draft.contentHash,
    revision: draft.revision,
    status: draftStatusOf(draft),
    author: draft.author,
    editors: draft.editors,
    approvedBy: draft.approvedBy,
    approvedAt: draft.approvedAt,
    createdAt: draft.createdAt,
    updatedAt: draft.updatedAt,
    stale: (published === undefined ? null : contentHash(published)) !== draft.baseContentHash,
    change: draft.change,
    reason: draft.reason,
    approvedRevision: draft.approvedRevision,
    guardrailWarnings: warnings,
  };
}
