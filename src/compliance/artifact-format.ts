import { createHash } from 'node:crypto';
import type { ArtifactKind } from './compliance-store.js';

/** A problem in a draft, at a 1-based line of the text the editor sent. */
export interface LineIssue {
  readonly line: number;
  readonly message: string;
}

/** The fields the workflow reads from a valid document or policy, whatever its format. */
export interface ParsedArtifact {
  readonly id: string;
  readonly title: string;
  /** Documents only. */
  readonly product: string | null;
  readonly status: 'draft' | 'approved' | 'retired';
  readonly version: string;
  readonly effectiveFrom: string;
  readonly effectiveUntil: string | null;
  readonly owner: string;
  readonly approvedBy: string | null;
  /** Front matter (documents) or the header keys (policies), as validated. */
  readonly frontMatter: Record<string, unknown>;
  /** Markdown body (documents) or the rules YAML below the header lines (policies). */
  readonly body: string;
}

export type ValidationResult =
  | { readonly ok: true; readonly errors: readonly []; readonly parsed: ParsedArtifact }
  | { readonly ok: false; readonly errors: readonly LineIssue[] };

/** Header fields the workflow sets; everything else in the file is kept as written. */
export interface StampFields {
  readonly status: 'approved' | 'retired';
  readonly version: string;
  readonly approvedBy?: string;
  readonly effectiveUntil?: string;
}

/**
 * How one kind of artifact is validated and rewritten. `draft` mode adds the workflow's own rules
 * (the id matches the URL, status is `draft`, no approver is claimed); `published` mode checks a
 * file as the loaders would.
 */
export interface ArtifactFormat {
  readonly kind: ArtifactKind;
  /** File name inside the kind's folder. */
  fileName(id: string): string;
  validate(text: string, options: { mode: 'draft' | 'published'; expectedId?: string }): ValidationResult;
  /** Returns the text with the header fields set (comments and key order kept). */
  stamp(text: string, fields: StampFields): string;
}

/** sha256 of the exact text, hex: what history and audit entries commit to. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The workflow rules for a draft's header, shared by both formats. `lineOf` finds the line of a
 * header key (falling back to the header's first line).
 */
export function draftHeaderIssues(
  header: { id: string; status: string; approved_by?: string | null },
  expectedId: string | undefined,
  lineOf: (key: string) => number,
): LineIssue[] {
  const issues: LineIssue[] = [];
  if (expectedId !== undefined && header.id !== expectedId) {
    issues.push({
      line: lineOf('id'),
      message: `id: must be "${expectedId}" to match the address it is saved under`,
    });
  }
  if (header.status !== 'draft') {
    issues.push({
      line: lineOf('status'),
      message: 'status: a draft must say `status: draft`; publishing sets approved and retiring sets retired',
    });
  }
  if (header.approved_by) {
    issues.push({
      line: lineOf('approved_by'),
      message: 'approved_by: leave it out; the approval step records who approved',
    });
  }
  return issues;
}

/** Sorted by line so an editor can walk them top to bottom. */
export function sortIssues(issues: readonly LineIssue[]): LineIssue[] {
  return [...issues].sort((left, right) => left.line - right.line);
}
