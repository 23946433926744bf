import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { ComplianceService } from '../../compliance/compliance-service.js';
import { gapDocumentId, gapDraftMarkdown, type KnowledgeGap } from '../../knowledge/knowledge-gaps.js';
import type { DryRunAnswer } from '../../pipeline/dry-run-answer.js';
import type { AuditSink } from '../../store/audit-log.js';
import '../context.js';
import { ApiError } from '../errors.js';
import { bearerSecurity, errorResponses, jsonOf } from '../schemas.js';
import { actionContext, complianceCall } from './lifecycle-routes.js';

export interface KnowledgeGapRoutesDependencies {
  /** The current gaps, largest first (from recent turn records). */
  readonly findGaps: () => Promise<KnowledgeGap[]>;
  readonly compliance: Pick<ComplianceService, 'saveDraft'>;
  /** Re-answers one question without writing anything (see `dryRunAnswer`). */
  readonly recheck: (question: string) => Promise<DryRunAnswer>;
  readonly audit: AuditSink;
  readonly today: () => string;
}

/** Most questions one recheck re-answers. */
const RECHECK_LIMIT = 50;

const GapSchema = z
  .object({
    id: z.string(),
    label: z.string(),
    count: z.number().int(),
    customers: z.number().int(),
    thisWeek: z.number().int(),
    lastWeek: z.number().int(),
    trend: z.enum(['new', 'rising', 'steady', 'falling']),
    kinds: z.record(z.string(), z.number().int()),
    examples: z.array(z.string()).openapi({
      description: 'Redacted example questions; empty unless at least three customers are behind the gap.',
    }),
    firstSeen: z.string(),
    lastSeen: z.string(),
  })
  .openapi('KnowledgeGap');

const IdParams = z.object({
  id: z
    .string()
    .regex(/^gap_[a-f0-9]{24}$/)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

/** What a gap shows: never its full list of questions. */
function view(gap: KnowledgeGap): z.infer<typeof GapSchema> {
  const { questions: _questions, ...shown } = gap;
  return { ...shown, kinds: { ...gap.kinds }, examples: [...gap.examples] };
}

/**
 * Knowledge gaps under `/v1/admin/knowledge-gaps` (role `compliance`): the list, a draft document
 * prefilled from a gap (then the usual four-eyes approval and publication), and a recheck that
 * re-answers the gap's questions without writing anything. Every call is audited.
 */
export function registerKnowledgeGapRoutes(
  app: OpenAPIHono,
  dependencies: KnowledgeGapRoutesDependencies,
): void {
  const { findGaps, audit } = dependencies;
  const gapById = async (id: string): Promise<KnowledgeGap> => {
    const gap = (await findGaps()).find((candidate) => candidate.id === id);
    if (!gap)
      throw new ApiError(
        'not_found',
        `Knowledge gap ${id} was not found (gaps are recomputed from recent turns).`,
      );
    return gap;
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/knowledge-gaps',
      tags: ['Learning loop'],
      summary: 'Questions Teller could not answer, grouped by meaning, largest first',
      security: bearerSecurity,
      responses: { 200: jsonOf(z.object({ gaps: z.array(GapSchema) }), 'Gaps'), ...errorResponses },
    }),
    async (context) => {
      const gaps = await findGaps();
      await audit.record({
        actor: context.get('principal').subject,
        action: 'knowledge_gap.listed',
        requestId: context.get('requestId'),
        details: { gaps: gaps.length },
      });
      return context.json({ gaps: gaps.map(view) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/knowledge-gaps/{id}/draft',
      tags: ['Learning loop'],
      summary: 'Create a draft document prefilled with the gap’s questions',
      security: bearerSecurity,
      request: { params: IdParams },
      responses: {
        201: jsonOf(
          z.object({ documentId: z.string(), revision: z.number().int(), markdown: z.string() }),
          'Draft',
        ),
        409: errorResponses[400],
        ...errorResponses,
      },
    }),
    async (context) => {
      const gap = await gapById(context.req.valid('param').id);
      const documentId = gapDocumentId(gap);
      const markdown = gapDraftMarkdown(gap, { today: dependencies.today() });
      const saved = await complianceCall(() =>
        dependencies.compliance.saveDraft('document', documentId, markdown, 0, actionContext(context)),
      );
      if (!saved.ok) {
        throw new ApiError('internal', `The prefilled draft for ${gap.id} did not validate.`);
      }
      await audit.record({
        actor: context.get('principal').subject,
        action: 'knowledge_gap.drafted',
        subject: gap.id,
        requestId: context.get('requestId'),
        details: { documentId, questions: gap.questions.length, customers: gap.customers },
      });
      return context.json({ documentId, revision: saved.draft.revision, markdown }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/knowledge-gaps/{id}/recheck',
      tags: ['Learning loop'],
      summary:
        'Re-answer the gap’s questions now (read-only) and show how many are answered, with which citations',
      security: bearerSecurity,
      request: { params: IdParams },
      responses: {
        200: jsonOf(
          z.object({
            id: z.string(),
            questions: z.number().int(),
            answered: z.number().int(),
            citations: z.array(z.object({ citation: z.string(), answers: z.number().int() })),
            results: z
              .array(
                z.object({ question: z.string(), answered: z.boolean(), citations: z.array(z.string()) }),
              )
              .openapi({
                description: 'Per question; empty unless at least three customers are behind the gap.',
              }),
          }),
          'Recheck',
        ),
        ...errorResponses,
      },
    }),
    async (context) => {
      const gap = await gapById(context.req.valid('param').id);
      const questions = gap.questions.slice(0, RECHECK_LIMIT);
      const results = [];
      for (const question of questions) results.push({ question, ...(await dependencies.recheck(question)) });
      const counts = new Map<string, number>();
      for (const result of results)
        for (const citation of result.citations) counts.set(citation, (counts.get(citation) ?? 0) + 1);
      const answered = results.filter((result) => result.answered).length;
      await audit.record({
        actor: context.get('principal').subject,
        action: 'knowledge_gap.rechecked',
        subject: gap.id,
        requestId: context.get('requestId'),
        details: { questions: questions.length, answered },
      });
      return context.json(
        {
          id: gap.id,
          questions: questions.length,
          answered,
          citations: [...counts.entries()]
            .sort((left, right) => right[1] - left[1])
            .map(([citation, answers]) => ({ citation, answers })),
          results:
            gap.examples.length > 0
              ? results.map((result) => ({ ...result, citations: [...result.citations] }))
              : [],
        },
        200,
      );
    },
  );
}
