import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import '../context.js';
import {
  type ActionContext,
  ComplianceError,
  type ComplianceService,
  type DraftView,
} from '../../compliance/compliance-service.js';
import type { ArtifactKind } from '../../compliance/compliance-store.js';
import { ARTIFACT_ID_MAX_LENGTH, ARTIFACT_ID_PATTERN } from '../../compliance/published-files.js';
import { ApiError } from '../errors.js';
import { bearerSecurity, errorResponses, jsonBody, jsonOf } from '../schemas.js';

/** Largest draft accepted, in characters (the app's body limit applies first). */
export const DRAFT_MAX_CHARACTERS = 200_000;

export const LineIssueSchema = z
  .object({ line: z.number().int().min(1), message: z.string() })
  .openapi('LineIssue');

/** The error shape of every route, plus `details` when a text failed validation line by line. */
export const ValidationErrorResponse = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      requestId: z.string(),
      details: z.array(LineIssueSchema).optional(),
    }),
  })
  .openapi('ValidationError');

export const ArtifactIdSchema = z
  .string()
  .min(1)
  .max(ARTIFACT_ID_MAX_LENGTH)
  .regex(ARTIFACT_ID_PATTERN, 'ids are kebab-case: lowercase letters, digits and single hyphens');

const IdParams = z.object({
  id: ArtifactIdSchema.openapi({ param: { name: 'id', in: 'path' }, example: 'cards-lost-stolen' }),
});

const GuardrailWarningSchema = z
  .object({
    guardrail: z.enum(['regulated_advice', 'abuse', 'output_rules', 'scope', 'injection']),
    before: z.number().int(),
    after: z.number().int(),
    turnsOff: z.boolean(),
    message: z.string(),
  })
  .openapi('GuardrailWarning');

const DraftSchema = z
  .object({
    text: z.string(),
    contentHash: z.string(),
    revision: z.number().int(),
    status: z.enum(['pending_approval', 'approved']),
    author: z.string(),
    editors: z.array(z.string()),
    approvedBy: z.string().nullable(),
    approvedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    stale: z.boolean().openapi({ description: 'The published file changed after the draft was saved.' }),
    change: z.enum(['publish', 'retire']).openapi({
      description: '`retire`: a retirement request; approving and then publishing it retires the file.',
    }),
    reason: z.string().nullable(),
    approvedRevision: z.number().int().nullable(),
    guardrailWarnings: z
      .array(GuardrailWarningSchema)
      .openapi({ description: 'Guardrails this change weakens or turns off (policies only).' }),
  })
  .openapi('ComplianceDraft');

const PublishedSchema = z
  .object({
    text: z.string(),
    contentHash: z.string(),
    frontMatter: z.record(z.string(), z.unknown()).nullable(),
    body: z.string().nullable(),
    version: z.string().nullable(),
    status: z.enum(['draft', 'approved', 'retired']).nullable(),
    errors: z.array(LineIssueSchema),
  })
  .openapi('CompliancePublished');

const SummarySchema = z
  .object({
    id: z.string(),
    title: z.string(),
    product: z.string().nullable(),
    status: z.enum(['draft', 'approved', 'retired']).nullable(),
    version: z.string().nullable(),
    effectiveFrom: z.string().nullable(),
    effectiveUntil: z.string().nullable(),
    valid: z.boolean(),
    updatedAt: z.string(),
    hasDraft: z.boolean(),
    draftStatus: z.enum(['pending_approval', 'approved']).nullable(),
  })
  .openapi('ComplianceSummary');

const PublicationSchema = z
  .object({
    id: z.string(),
    fileName: z.string(),
    version: z.string(),
    status: z.enum(['approved', 'retired']),
    contentHash: z.string(),
    applied: z.boolean().openapi({
      description: 'True when retrieval (documents) or the guardrails (policies) already use it.',
    }),
  })
  .openapi('CompliancePublication');

const VersionSchema = z.object({
  sequence: z.number().int(),
  action: z.enum(['published', 'retired']),
  version: z.string(),
  contentHash: z.string(),
  previousContentHash: z.string().nullable(),
  draftedBy: z.string().nullable(),
  draftedAt: z.string().nullable(),
  approvedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
  actor: z.string(),
  at: z.string(),
  reason: z.string().nullable(),
});

const AuditEntrySchema = z.object({
  sequence: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  requestId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});

const conflict = jsonOf(ValidationErrorResponse, 'The lifecycle does not allow this now');

/** What differs between the document and policy route groups. */
export interface LifecycleRoutesOptions {
  readonly kind: ArtifactKind;
  /** `/v1/admin/documents` or `/v1/admin/policies`. */
  readonly basePath: string;
  readonly tag: string;
  /** Name of the body field that carries the text: `markdown` or `yaml`. */
  readonly contentField: 'markdown' | 'yaml';
}

/** A draft view as the response schema types it (mutable arrays). */
function draftBody(draft: DraftView) {
  return {
    ...draft,
    editors: [...draft.editors],
    guardrailWarnings: draft.guardrailWarnings.map((warning) => ({ ...warning })),
  };
}

/** Who acts, from the verified token; never from the body. */
export function actionContext(context: Context): ActionContext {
  return { actor: context.get('principal').subject, requestId: context.get('requestId') };
}

/**
 * Runs a service call; a `ComplianceError` becomes an `ApiError` (with its line-numbered
 * `details`), which the app's one error handler renders like every other error.
 */
export async function complianceCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ComplianceError) throw new ApiError(error.code, error.message, {}, error.details);
    throw error;
  }
}

/**
 * The lifecycle routes of one artifact kind: list, read, save draft, discard draft, approve,
 * publish, retire, history and diff. Role `compliance` is enforced by the app's `/v1/admin/*`
 * middleware before any of these run.
 */
export function registerLifecycleRoutes(
  app: OpenAPIHono,
  service: ComplianceService,
  { kind, basePath, tag, contentField }: LifecycleRoutesOptions,
): void {
  const itemPath = `${basePath}/{id}`;

  app.openapi(
    createRoute({
      method: 'get',
      path: basePath,
      tags: [tag],
      summary: `Every ${kind}: published state and whether a draft is pending`,
      security: bearerSecurity,
      responses: { 200: jsonOf(z.object({ items: z.array(SummarySchema) }), 'List'), ...errorResponses },
    }),
    async (context) => context.json({ items: await service.list(kind) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: itemPath,
      tags: [tag],
      summary: `The published ${kind} and its working draft`,
      security: bearerSecurity,
      request: { params: IdParams },
      responses: {
        200: jsonOf(
          z.object({ id: z.string(), published: PublishedSchema.nullable(), draft: DraftSchema.nullable() }),
          'Published and draft',
        ),
        ...errorResponses,
      },
    }),
    async (context) => {
      const { id } = context.req.valid('param');
      const found = await complianceCall(() => service.get(kind, id));
      return context.json(
        {
          id,
          published: found.published && { ...found.published, errors: [...found.published.errors] },
          draft: found.draft && draftBody(found.draft),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: `${itemPath}/draft`,
      tags: [tag],
      summary: `Save the working draft of a ${kind} (clears any approval)`,
      description:
        '`expectedRevision` is the draft revision the edit started from (0 when there is no draft yet); a stale revision is refused with 409 so no edit is lost.',
      security: bearerSecurity,
      request: {
        params: IdParams,
        body: jsonBody(
          z
            .object({
              [contentField]: z.string().min(1).max(DRAFT_MAX_CHARACTERS),
              expectedRevision: z.number().int().min(0),
            })
            .strict(),
        ),
      },
      responses: {
        200: jsonOf(DraftSchema, 'Saved draft'),
        ...errorResponses,
        400: jsonOf(ValidationErrorResponse, 'Invalid body, or the text failed validation (see details)'),
        409: conflict,
      },
    }),
    async (context) => {
      const { id } = context.req.valid('param');
      const body = context.req.valid('json') as Record<string, unknown>;
      const text = body[contentField] as string;
      const expectedRevision = body.expectedRevision as number;
      const result = await complianceCall(() =>
        service.saveDraft(kind, id, text, expectedRevision, actionContext(context)),
      );
      if (!result.ok) {
        throw new ApiError(
          'bad_request',
          `The ${kind} has ${result.errors.length} problem(s); see details.`,
          {},
          result.errors,
        );
      }
      return context.json(draftBody(result.draft), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: `${itemPath}/draft`,
      tags: [tag],
      summary: 'Discard the working draft',
      security: bearerSecurity,
      request: { params: IdParams },
      responses: { 204: { description: 'Discarded' }, ...errorResponses },
    }),
    async (context) => {
      const { id } = context.req.valid('param');
      await complianceCall(() => service.discardDraft(kind, id, actionContext(context)));
      return context.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: `${itemPath}/approve`,
      tags: [tag],
      summary: 'Approve the draft (not by anyone who wrote it)',
      description:
        '`expectedRevision` is the revision you reviewed: the approval covers exactly that revision (409 when the draft changed since). A change that turns a guardrail off (see `guardrailWarnings`) is approved only with `acknowledgeGuardrailsOff: true`.',
      security: bearerSecurity,
      request: {
        params: IdParams,
        body: jsonBody(
          z
            .object({
              expectedRevision: z.number().int().min(1),
              acknowledgeGuardrailsOff: z.boolean().optional(),
            })
            .strict(),
        ),
      },
      responses: { 200: jsonOf(DraftSchema, 'Approved draft'), ...errorResponses, 409: conflict },
    }),
    async (context) => {
      const { id } = context.req.valid('param');
      const { expectedRevision, acknowledgeGuardrailsOff } = context.req.valid('json');
      const result = await complianceCall(() =>
        service.approve(kind, id, actionContext(context), expectedRevision, {
          acknowledgeGuardrailsOff: acknowledgeGuardrailsOff === true,
        }),
      );
      return context.json(draftBody(result), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: `${itemPath}/publish`,
      tags: [tag],
      summary: 'Apply the approved change: publish the draft (or retire the file) and apply it at once',
      security: bearerSecurity,
      request: { params: IdParams },
      responses: { 200: jsonOf(PublicationSchema, 'Published'), ...errorResponses, 409: conflict },
    }),
    async (context) => {
      const { id } = context.req.valid('param');
      const result = await complianceCall(() => service.publish(kind, id, actionContext(context)));
      return context.json(result, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: `${itemPath}/retire`,
      tags: [tag],
      summary: `Ask to retire the published ${kind} from today (four eyes, like publishing)`,
      description:
        'Creates a retirement request (a draft with `change: retire`). Another compliance officer approves it with `/approve`, then `/publish` retires the file. For a policy, `guardrailWarnings` says which guardrails the retirement turns off.',
      security: bearerSecurity,
      request: {
        params: IdParams,
        body: jsonBody(z.object({ reason: z.string().trim().min(3).max(500) }).strict()),
      },
      responses: {
        202: jsonOf(DraftSchema, 'Retirement requested; awaiting approval'),
        ...errorResponses,
        409: conflict,
      },
    }),
    async (context) => {
      const { id } = context.req.valid('param');
      const { reason } = context.req.valid('json');
      const result = await complianceCall(() =>
        service.requestRetirement(kind, id, reason, actionContext(context)),
      );
      return context.json(draftBody(result), 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${itemPath}/history`,
      tags: [tag],
      summary: 'Published and retired versions, and the audit trail, oldest first',
      security: bearerSecurity,
      request: { params: IdParams },
      responses: {
        200: jsonOf(
          z.object({ id: z.string(), versions: z.array(VersionSchema), audit: z.array(AuditEntrySchema) }),
          'History',
        ),
        ...errorResponses,
      },
    }),
    async (context) => {
      const { id } = context.req.valid('param');
      const { versions, audit } = await service.history(kind, id);
      return context.json(
        {
          id,
          versions: versions.map(({ kind: _kind, id: _id, ...version }) => version),
          audit: audit.map((entry) => ({
            sequence: entry.sequence,
            at: entry.at,
            actor: entry.actor,
            action: entry.action,
            requestId: entry.requestId,
            details: entry.details,
            hash: entry.hash,
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: `${itemPath}/diff`,
      tags: [tag],
      summary: 'Unified diff from the published file to the draft',
      security: bearerSecurity,
      request: { params: IdParams },
      responses: {
        200: jsonOf(
          z.object({ id: z.string(), diff: z.string(), fromHash: z.string().nullable(), toHash: z.string() }),
          'Diff',
        ),
        ...errorResponses,
      },
    }),
    async (context) => {
      const { id } = context.req.valid('param');
      const result = await complianceCall(() => service.diff(kind, id));
      return context.json({ id, ...result }, 200);
    },
  );
}
