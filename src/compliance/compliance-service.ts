import { createTwoFilesPatch } from 'diff';
import type { AuditRecord, AuditSink } from '../store/audit-log.js';
import { type ArtifactFormat, contentHash, type LineIssue } from './artifact-format.js';
import type { ArtifactKind, ComplianceStore, DraftRecord, VersionRecord } from './compliance-store.js';
import {
  type ArtifactSummary,
  type DraftView,
  draftStatusOf,
  draftView,
  type PublicationResult,
  type PublishedView,
} from './compliance-views.js';
import { documentFormat } from './document-format.js';
import { isEditor } from './four-eyes.js';
import { type GuardrailWarning, guardrailImpact } from './guardrail-impact.js';
import { policyFormat, policySetIssues } from './policy-format.js';
import type { KnowledgeIndexer, PolicyReloader } from './ports.js';
import type { PublishedFiles } from './published-files.js';
import { nextVersion } from './versioning.js';

/** A lifecycle rule was broken or the artifact does not exist; `code` maps to the HTTP status. */
export class ComplianceError extends Error {
  override readonly name = 'ComplianceError';
  constructor(
    readonly code: 'not_found' | 'conflict' | 'bad_request',
    message: string,
    readonly details: readonly LineIssue[] = [],
  ) {
    super(message);
  }
}

/** Who is acting, for the four-eyes rule and the audit trail. */
export interface ActionContext {
  readonly actor: string;
  readonly requestId?: string;
}

/** The audit log as the workflow uses it: write events, read one subject's trail. */
export interface ComplianceAudit extends AuditSink {
  list(filter: { subject?: string; limit?: number }): AuditRecord[] | Promise<AuditRecord[]>;
}

export interface ComplianceServiceOptions {
  readonly store: ComplianceStore;
  readonly files: PublishedFiles;
  readonly audit: ComplianceAudit;
  /** Absent: published documents reach retrieval at the next ingest or start-up. */
  readonly indexer?: KnowledgeIndexer;
  /** Absent: published policies take effect at the next start-up. */
  readonly policyReloader?: PolicyReloader;
  readonly now?: () => Date;
}

export type { ArtifactSummary, DraftView, PublicationResult, PublishedView };

const FORMATS: Record<ArtifactKind, ArtifactFormat> = { document: documentFormat, policy: policyFormat };

/**
 * The draft → approve → publish / retire lifecycle for knowledge documents and policy files.
 * Drafts and history live in the database (SQLite, or PostgreSQL shared by every instance); the
 * published state is the file in the knowledge folder.
 * Every mutation is audited under the subject `<kind>:<id>` without document bodies.
 */
export class ComplianceService {
  readonly #store: ComplianceStore;
  readonly #files: PublishedFiles;
  readonly #audit: ComplianceAudit;
  readonly #indexer: KnowledgeIndexer | undefined;
  readonly #policyReloader: PolicyReloader | undefined;
  readonly #now: () => Date;
  /** One publication or retirement per artifact at a time (they read, write and re-index). */
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(options: ComplianceServiceOptions) {
    this.#store = options.store;
    this.#files = options.files;
    this.#audit = options.audit;
    this.#indexer = options.indexer;
    this.#policyReloader = options.policyReloader;
    this.#now = options.now ?? (() => new Date());
  }

  /** Validates a text as a draft of `kind` (for live validation in an editor). */
  validate(kind: ArtifactKind, text: string, expectedId?: string) {
    return FORMATS[kind].validate(text, { mode: 'draft', expectedId });
  }

  async list(kind: ArtifactKind): Promise<ArtifactSummary[]> {
    const format = FORMATS[kind];
    const drafts = new Map((await this.#store.drafts(kind)).map((draft) => [draft.id, draft]));
    const summaries = new Map<string, ArtifactSummary>();
    for (const file of await this.#files.list(kind)) {
      const result = format.validate(file.text, { mode: 'published', expectedId: file.id });
      const parsed = result.ok ? result.parsed : undefined;
      const draft = drafts.get(file.id);
      summaries.set(file.id, {
        id: file.id,
        title: parsed?.title ?? file.id,
        product: parsed?.product ?? null,
        status: parsed?.status ?? null,
        version: parsed?.version ?? null,
        effectiveFrom: parsed?.effectiveFrom ?? null,
        effectiveUntil: parsed?.effectiveUntil ?? null,
        valid: result.ok,
        updatedAt: draft && draft.updatedAt > file.modifiedAt ? draft.updatedAt : file.modifiedAt,
        hasDraft: draft !== undefined,
        draftStatus: draft ? draftStatusOf(draft) : null,
      });
    }
    for (const draft of drafts.values()) {
      if (summaries.has(draft.id)) continue;
      const result = format.validate(draft.content, { mode: 'draft', expectedId: draft.id });
      summaries.set(draft.id, {
        id: draft.id,
        title: result.ok ? result.parsed.title : draft.id,
        product: result.ok ? result.parsed.product : null,
        status: null,
        version: null,
        effectiveFrom: result.ok ? result.parsed.effectiveFrom : null,
        effectiveUntil: result.ok ? result.parsed.effectiveUntil : null,
        valid: result.ok,
        updatedAt: draft.updatedAt,
        hasDraft: true,
        draftStatus: draftStatusOf(draft),
      });
    }
    return [...summaries.values()].sort((left, right) => left.id.localeCompare(right.id));
  }

  async get(
    kind: ArtifactKind,
    id: string,
  ): Promise<{ published: PublishedView | null; draft: DraftView | null }> {
    const text = await this.#files.read(kind, id);
    const draft = await this.#store.draft(kind, id);
    if (text === undefined && !draft) throw notFound(kind, id);
    return {
      published: text === undefined ? null : this.#publishedView(kind, id, text),
      draft: draft ? this.#view(kind, draft, text) : null,
    };
  }

  /**
   * Saves a draft. `expectedRevision` is the revision the editor started from (0 for a new
   * draft): when someone saved in between, nothing is written and a conflict is raised, so no
   * edit is silently lost. Saving clears any approval.
   */
  async saveDraft(
    kind: ArtifactKind,
    id: string,
    text: string,
    expectedRevision: number,
    context: ActionContext,
  ): Promise<{ ok: true; draft: DraftView } | { ok: false; errors: readonly LineIssue[] }> {
    const validation = FORMATS[kind].validate(text, { mode: 'draft', expectedId: id });
    if (!validation.ok) return { ok: false, errors: validation.errors };
    const published = await this.#files.read(kind, id);
    const baseContentHash = published === undefined ? null : contentHash(published);
    const hash = contentHash(text);
    const subject = subjectOf(kind, id);
    const outcome = await this.#store.transaction(async () => {
      const existing = await this.#store.draft(kind, id);
      if (existing?.change === 'retire') {
        throw new ComplianceError(
          'conflict',
          `A retirement of this ${kind} is pending approval; discard it before drafting a new text.`,
        );
      }
      const currentRevision = existing?.revision ?? 0;
      if (currentRevision !== expectedRevision) return { conflict: currentRevision } as const;
      const saved = await this.#store.writeDraft({
        kind,
        id,
        content: text,
        contentHash: hash,
        baseContentHash,
        editor: context.actor,
        at: this.#now().toISOString(),
      });
      return { saved, approvalReset: existing?.approvedBy != null } as const;
    });
    if ('conflict' in outcome) {
      await this.#audit.record({
        actor: context.actor,
        action: `${kind}.draft_rejected`,
        subject,
        requestId: context.requestId,
        details: { reason: 'stale_revision', expectedRevision, currentRevision: outcome.conflict },
      });
      throw new ComplianceError(
        'conflict',
        `The draft is at revision ${outcome.conflict}, not ${expectedRevision}: someone saved it meanwhile. Reload it, merge your changes and save again.`,
      );
    }
    const view = this.#view(kind, outcome.saved, published);
    await this.#audit.record({
      actor: context.actor,
      action: `${kind}.draft_saved`,
      subject,
      requestId: context.requestId,
      details: {
        revision: outcome.saved.revision,
        contentHash: hash,
        baseContentHash,
        approvalReset: outcome.approvalReset,
        ...guardrailAuditDetails(view.guardrailWarnings),
      },
    });
    return { ok: true, draft: view };
  }

  async discardDraft(kind: ArtifactKind, id: string, context: ActionContext): Promise<void> {
    const draft = await this.#requireDraft(kind, id);
    await this.#store.deleteDraft(kind, id);
    await this.#audit.record({
      actor: context.actor,
      action: `${kind}.draft_discarded`,
      subject: subjectOf(kind, id),
      requestId: context.requestId,
      details: { revision: draft.revision, contentHash: draft.contentHash },
    });
  }

  /**
   * Approves the current draft. The approver must not have written any revision of it (four
   * eyes), and `expectedRevision` must be the revision the approver reviewed: an approval covers
   * that revision only. A change that turns a guardrail off needs `acknowledgeGuardrailsOff`, so
   * nobody approves it without having been told in words.
   */
  async approve(
    kind: ArtifactKind,
    id: string,
    context: ActionContext,
    expectedRevision: number,
    { acknowledgeGuardrailsOff = false }: { acknowledgeGuardrailsOff?: boolean } = {},
  ): Promise<DraftView> {
    const published = await this.#files.read(kind, id);
    const subject = subjectOf(kind, id);
    type Outcome =
      | { readonly refusedRevision: number }
      | { readonly unacknowledged: readonly GuardrailWarning[]; readonly revision: number }
      | { readonly approved: DraftRecord; readonly warnings: readonly GuardrailWarning[] };
    const outcome = await this.#store.transaction(async (): Promise<Outcome> => {
      const draft = await this.#requireDraft(kind, id);
      // Refusals are returned, not thrown, so their audit entry is written outside the transaction.
      if (isEditor(context.actor, draft.editors)) return { refusedRevision: draft.revision };
      if (expectedRevision !== draft.revision) {
        throw new ComplianceError(
          'conflict',
          `The draft is now at revision ${draft.revision}, not the revision ${expectedRevision} you reviewed. Review it again.`,
        );
      }
      if (draft.approvedBy) {
        throw new ComplianceError('conflict', `This revision is already approved by ${draft.approvedBy}.`);
      }
      assertBaseUnchanged(draft, published);
      const warnings = this.#view(kind, draft, published).guardrailWarnings;
      const turnedOff = warnings.filter((warning) => warning.turnsOff);
      if (turnedOff.length > 0 && !acknowledgeGuardrailsOff) {
        return { unacknowledged: turnedOff, revision: draft.revision };
      }
      return {
        approved: await this.#store.markApproved(
          kind,
          id,
          context.actor,
          this.#now().toISOString(),
          draft.revision,
        ),
        warnings,
      };
    });
    if ('refusedRevision' in outcome) {
      await this.#audit.record({
        actor: context.actor,
        action: `${kind}.approval_refused`,
        subject,
        requestId: context.requestId,
        details: { reason: 'four_eyes', revision: outcome.refusedRevision },
      });
      throw new ComplianceError(
        'conflict',
        'You wrote part of this draft; another compliance officer must approve it (four-eyes rule).',
      );
    }
    if ('unacknowledged' in outcome) {
      await this.#audit.record({
        actor: context.actor,
        action: `${kind}.approval_refused`,
        subject,
        requestId: context.requestId,
        details: {
          reason: 'guardrails_off_not_acknowledged',
          revision: outcome.revision,
          ...guardrailAuditDetails(outcome.unacknowledged),
        },
      });
      throw new ComplianceError(
        'conflict',
        `${outcome.unacknowledged.map((warning) => warning.message).join(' ')} Approve again with acknowledgeGuardrailsOff: true if that is intended.`,
      );
    }
    const { approved, warnings } = outcome;
    await this.#audit.record({
      actor: context.actor,
      action: `${kind}.approved`,
      subject,
      requestId: context.requestId,
      details: {
        revision: approved.revision,
        contentHash: approved.contentHash,
        author: approved.author,
        change: approved.change,
        ...guardrailAuditDetails(warnings),
      },
    });
    return this.#view(kind, approved, published);
  }

  /**
   * Asks for the published file to be retired from today. Like a publication, it takes effect only
   * after another compliance officer approved it (`approve`) and it was applied (`publish`): one
   * officer alone must not be able to switch a guardrail policy or a document off.
   */
  async requestRetirement(
    kind: ArtifactKind,
    id: string,
    reason: string,
    context: ActionContext,
  ): Promise<DraftView> {
    const current = await this.#files.read(kind, id);
    if (current === undefined) throw notFound(kind, id);
    // Checked now as well as when applied, so nobody is asked to approve what cannot happen.
    const { text } = this.#retiredText(kind, id, current);
    if (kind === 'policy') await this.#assertPolicySet(id, text);
    const hash = contentHash(current);
    const requested = await this.#store.transaction(async () => {
      const existing = await this.#store.draft(kind, id);
      if (existing) {
        throw new ComplianceError(
          'conflict',
          existing.change === 'retire'
            ? `A retirement of this ${kind} is already pending approval.`
            : `This ${kind} has a working draft; publish or discard it before asking to retire the ${kind}.`,
        );
      }
      return await this.#store.writeDraft({
        kind,
        id,
        content: current,
        contentHash: hash,
        baseContentHash: hash,
        editor: context.actor,
        at: this.#now().toISOString(),
        change: 'retire',
        reason,
      });
    });
    const view = this.#view(kind, requested, current);
    await this.#audit.record({
      actor: context.actor,
      action: `${kind}.retirement_requested`,
      subject: subjectOf(kind, id),
      requestId: context.requestId,
      details: {
        revision: requested.revision,
        contentHash: hash,
        reason,
        ...guardrailAuditDetails(view.guardrailWarnings),
      },
    });
    return view;
  }

  /** Writes the approved draft as the published file (status approved, new version) and applies it. */
  publish(kind: ArtifactKind, id: string, context: ActionContext): Promise<PublicationResult> {
    return this.#exclusive(kind, id, async () => {
      const format = FORMATS[kind];
      const draft = await this.#store.draft(kind, id);
      if (!draft) throw new ComplianceError('conflict', `There is no draft of ${kind} ${id} to publish.`);
      if (!draft.approvedBy) {
        throw new ComplianceError(
          'conflict',
          'The draft is not approved; another compliance officer must approve it first.',
        );
      }
      // The approval step enforces this; re-checked so no other path can publish a self-approval.
      if (isEditor(draft.approvedBy, draft.editors)) {
        throw new ComplianceError('conflict', 'The draft was approved by one of its editors.');
      }
      // An approval covers the revision the reviewer read; a later save must not ride on it.
      if (draft.approvedRevision !== draft.revision) {
        throw new ComplianceError(
          'conflict',
          `The approval covers revision ${draft.approvedRevision ?? 'none'}, but the draft is at revision ${draft.revision}; it needs a new approval.`,
        );
      }
      const current = await this.#files.read(kind, id);
      assertBaseUnchanged(draft, current);
      if (draft.change === 'retire') return this.#retire(kind, id, draft, current, context);
      const validation = format.validate(draft.content, { mode: 'draft', expectedId: id });
      if (!validation.ok) {
        throw new ComplianceError(
          'conflict',
          'The draft no longer passes validation; save it again.',
          validation.errors,
        );
      }
      const previous = current === undefined ? undefined : format.validate(current, { mode: 'published' });
      const previousVersion = previous?.ok ? previous.parsed.version : undefined;
      const version = nextVersion(previousVersion, validation.parsed.version);
      const text = format.stamp(draft.content, { status: 'approved', version, approvedBy: draft.approvedBy });
      const check = format.validate(text, { mode: 'published', expectedId: id });
      if (!check.ok) throw new Error(`stamped ${kind} ${id} failed validation: ${check.errors[0]?.message}`);
      if (kind === 'policy') await this.#assertPolicySet(id, text);
      const path = await this.#files.write(kind, id, text);
      const hash = contentHash(text);
      const at = this.#now().toISOString();
      await this.#store.transaction(async () => {
        await this.#store.appendVersion({
          kind,
          id,
          action: 'published',
          version,
          contentHash: hash,
          previousContentHash: current === undefined ? null : contentHash(current),
          draftedBy: draft.editors.join(', '),
          draftedAt: draft.updatedAt,
          approvedBy: draft.approvedBy,
          approvedAt: draft.approvedAt,
          actor: context.actor,
          at,
          reason: null,
        });
        await this.#store.deleteDraft(kind, id);
      });
      await this.#audit.record({
        actor: context.actor,
        action: `${kind}.published`,
        subject: subjectOf(kind, id),
        requestId: context.requestId,
        details: {
          version,
          previousVersion: previousVersion ?? null,
          contentHash: hash,
          approvedBy: draft.approvedBy,
          editors: draft.editors,
          revision: draft.revision,
          ...guardrailAuditDetails(this.#view(kind, draft, current).guardrailWarnings),
        },
      });
      const applied = await this.#apply(kind, id, path, context);
      return {
        id,
        fileName: this.#files.fileName(kind, id),
        version,
        status: 'approved',
        contentHash: hash,
        applied,
      };
    });
  }

  /**
   * Applies an approved retirement (inside `publish`'s exclusive section): marks the published file
   * retired from today and takes it out of retrieval (or the guardrails).
   */
  async #retire(
    kind: ArtifactKind,
    id: string,
    draft: DraftRecord,
    current: string | undefined,
    context: ActionContext,
  ): Promise<PublicationResult> {
    const reason = draft.reason ?? '';
    if (current === undefined) throw notFound(kind, id);
    const { text, version, effectiveUntil } = this.#retiredText(kind, id, current);
    if (kind === 'policy') await this.#assertPolicySet(id, text);
    const warnings = this.#view(kind, draft, current).guardrailWarnings;
    const path = await this.#files.write(kind, id, text);
    const hash = contentHash(text);
    await this.#store.transaction(async () => {
      await this.#store.appendVersion({
        kind,
        id,
        action: 'retired',
        version,
        contentHash: hash,
        previousContentHash: contentHash(current),
        draftedBy: draft.editors.join(', '),
        draftedAt: draft.updatedAt,
        approvedBy: draft.approvedBy,
        approvedAt: draft.approvedAt,
        actor: context.actor,
        at: this.#now().toISOString(),
        reason,
      });
      await this.#store.deleteDraft(kind, id);
    });
    await this.#audit.record({
      actor: context.actor,
      action: `${kind}.retired`,
      subject: subjectOf(kind, id),
      requestId: context.requestId,
      details: {
        version,
        contentHash: hash,
        effectiveUntil,
        reason,
        requestedBy: draft.author,
        approvedBy: draft.approvedBy,
        revision: draft.revision,
        ...guardrailAuditDetails(warnings),
      },
    });
    const applied = await this.#apply(kind, id, path, context);
    return {
      id,
      fileName: this.#files.fileName(kind, id),
      version,
      status: 'retired',
      contentHash: hash,
      applied,
    };
  }

  /** Publication history from the database and the audit trail of the artifact, oldest first. */
  async history(
    kind: ArtifactKind,
    id: string,
  ): Promise<{ versions: VersionRecord[]; audit: AuditRecord[] }> {
    return {
      versions: await this.#store.versions(kind, id),
      audit: (await this.#audit.list({ subject: subjectOf(kind, id), limit: 500 })).reverse(),
    };
  }

  /** A unified diff from the published file (empty when new) to the draft. */
  async diff(
    kind: ArtifactKind,
    id: string,
  ): Promise<{ diff: string; fromHash: string | null; toHash: string }> {
    const draft = await this.#requireDraft(kind, id);
    const published = await this.#files.read(kind, id);
    const fileName = this.#files.fileName(kind, id);
    const diff = createTwoFilesPatch(
      `a/${fileName}`,
      `b/${fileName}`,
      published ?? '',
      draft.content,
      published === undefined ? 'not published' : 'published',
      `draft revision ${draft.revision}`,
      { context: 3 },
    );
    return {
      diff,
      fromHash: published === undefined ? null : contentHash(published),
      toHash: draft.contentHash,
    };
  }

  #publishedView(kind: ArtifactKind, id: string, text: string): PublishedView {
    const result = FORMATS[kind].validate(text, { mode: 'published', expectedId: id });
    return {
      text,
      contentHash: contentHash(text),
      frontMatter: result.ok ? result.parsed.frontMatter : null,
      body: result.ok ? result.parsed.body : null,
      version: result.ok ? result.parsed.version : null,
      status: result.ok ? result.parsed.status : null,
      errors: result.errors,
    };
  }

  /** The published text stamped retired from today; refuses an invalid or already retired file. */
  #retiredText(
    kind: ArtifactKind,
    id: string,
    current: string,
  ): { text: string; version: string; effectiveUntil: string } {
    const format = FORMATS[kind];
    const parsed = format.validate(current, { mode: 'published', expectedId: id });
    if (!parsed.ok) {
      throw new ComplianceError(
        'conflict',
        `The published ${kind} is invalid; fix it in git first.`,
        parsed.errors,
      );
    }
    if (parsed.parsed.status === 'retired') {
      throw new ComplianceError('conflict', `The ${kind} is already retired.`);
    }
    const today = this.#now().toISOString().slice(0, 10);
    // The schema refuses an end before the start; a not-yet-effective file ends the day it starts.
    // biome-ignore lint/complexity/useMathMinMax: these are YYYY-MM-DD strings, not numbers
    const effectiveUntil = today < parsed.parsed.effectiveFrom ? parsed.parsed.effectiveFrom : today;
    const { version } = parsed.parsed;
    return {
      text: format.stamp(current, { status: 'retired', version, effectiveUntil }),
      version,
      effectiveUntil,
    };
  }

  /** The API view of a draft, with what it would do to the guardrails when it is a policy. */
  #view(kind: ArtifactKind, draft: DraftRecord, published: string | undefined): DraftView {
    const warnings =
      kind === 'policy'
        ? guardrailImpact(published, draft.change === 'retire' ? undefined : draft.content)
        : [];
    return draftView(draft, published, warnings);
  }

  async #requireDraft(kind: ArtifactKind, id: string): Promise<DraftRecord> {
    const draft = await this.#store.draft(kind, id);
    if (!draft) throw new ComplianceError('not_found', `There is no draft of ${kind} ${id}.`);
    return draft;
  }

  async #assertPolicySet(id: string, text: string): Promise<void> {
    const files = (await this.#files.list('policy')).filter((file) => file.id !== id);
    const issues = policySetIssues([...files, { id, text }], this.#now().toISOString().slice(0, 10));
    if (issues.length > 0) {
      throw new ComplianceError(
        'conflict',
        `With this change the policy folder would not load, and Teller would refuse to start: ${issues.slice(0, 5).join('; ')}`,
      );
    }
  }

  /** Re-indexes a document or reloads policies; a failure is audited, not thrown (the file is already published). */
  async #apply(kind: ArtifactKind, id: string, path: string, context: ActionContext): Promise<boolean> {
    try {
      if (kind === 'document') {
        if (!this.#indexer) return false;
        await this.#indexer.reindexDocument(path);
      } else {
        if (!this.#policyReloader) return false;
        await this.#policyReloader.reloadPolicies();
      }
      return true;
    } catch (error) {
      await this.#audit.record({
        actor: context.actor,
        action: `${kind}.apply_failed`,
        subject: subjectOf(kind, id),
        requestId: context.requestId,
        details: { error: (error as Error).name, message: (error as Error).message.slice(0, 200) },
      });
      return false;
    }
  }

  async #exclusive<T>(kind: ArtifactKind, id: string, work: () => Promise<T>): Promise<T> {
    const key = subjectOf(kind, id);
    const previous = this.#queues.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.#queues.set(key, next);
    try {
      return await next;
    } finally {
      if (this.#queues.get(key) === next) this.#queues.delete(key);
    }
  }
}

/** Audit details for guardrail warnings: empty when there are none, so ordinary records stay small. */
function guardrailAuditDetails(warnings: readonly GuardrailWarning[]): Record<string, unknown> {
  if (warnings.length === 0) return {};
  return {
    guardrailsTurnedOff: warnings.filter((warning) => warning.turnsOff).map((warning) => warning.guardrail),
    guardrailsWeakened: warnings.filter((warning) => !warning.turnsOff).map((warning) => warning.guardrail),
  };
}

/** The audit subject of an artifact: `document:<id>` or `policy:<id>`. */
export function subjectOf(kind: ArtifactKind, id: string): string {
  return `${kind}:${id}`;
}

function assertBaseUnchanged(draft: DraftRecord, published: string | undefined): void {
  const currentHash = published === undefined ? null : contentHash(published);
  if (currentHash !== draft.baseContentHash) {
    throw new ComplianceError(
      'conflict',
      'The published file changed after this draft was saved (for example a merged pull request). Reload, merge and save the draft again.',
    );
  }
}

function notFound(kind: ArtifactKind, id: string): ComplianceError {
  return new ComplianceError('not_found', `No ${kind} ${id} was found.`);
}
