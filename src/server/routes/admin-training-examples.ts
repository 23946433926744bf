import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { samePerson } from '../../compliance/four-eyes.js';
import type { AuditSink } from '../../store/audit-log.js';
import type { TrainingExampleRepository } from '../../store/ports.js';
import { type TrainingExample, TrainingExampleReviewError } from '../../store/training-examples.js';
import '../context.js';
import { ApiError } from '../errors.js';
import { bearerSecurity, errorResponses, jsonOf } from '../schemas.js';

export interface TrainingExampleRoutesDependencies {
  readonly trainingExamples: TrainingExampleRepository;
  readonly audit: AuditSink;
}

const TrainingExampleSchema = z
  .object({
    id: z.string(),
    handoffId: z.string(),
    conversationId: z.string(),
    messageId: z.string(),
    text: z.string().openapi({ description: 'Redacted customer text.' }),
    intent: z.string().nullable(),
    topic: z.string().nullable(),
    shouldHaveHandled: z.boolean(),
    proposedBy: z.string(),
    status: z.enum(['candidate', 'approved', 'rejected']),
    reviewedBy: z.string().nullable(),
    reviewedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('TrainingExample');

const IdParams = z.object({
  id: z
    .string()
    .regex(/^tex_[a-f0-9]{32}$/)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

const ListQuery = z.object({
  status: z.enum(['candidate', 'approved', 'rejected']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

/**
 * Agent-labelled training examples under `/v1/admin/training-examples` (role `compliance`, which
 * the app requires on `/v1/admin/*`). Approval follows the documents' four-eyes rule: the agent
 * who proposed an example may not approve it. Rejecting needs no second person: it only keeps
 * text out of training.
 */
export function registerTrainingExampleRoutes(
  app: OpenAPIHono,
  { trainingExamples, audit }: TrainingExampleRoutesDependencies,
): void {
  const review = async (id: string, decision: 'approved' | 'rejected', reviewer: string) => {
    const example = await trainingExamples.get(id);
    if (!example) throw new ApiError('not_found', `Training example ${id} was not found.`);
    if (decision === 'approved' && samePerson(example.proposedBy, reviewer)) {
      throw new ApiError('forbidden', 'Four eyes: whoever proposed an example may not approve it.');
    }
    let reviewed: TrainingExample;
    try {
      reviewed = await trainingExamples.review(id, decision, reviewer);
    } catch (error) {
      if (error instanceof TrainingExampleReviewError) throw new ApiError(error.code, error.message);
      throw error;
    }
    await audit.record({
      actor: reviewer,
      action: `training_example.${decision}`,
      subject: id,
      details: { intent: reviewed.intent, topic: reviewed.topic, proposedBy: reviewed.proposedBy },
    });
    return reviewed;
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/training-examples',
      tags: ['Learning loop'],
      summary: 'Agent-labelled training examples, oldest first',
      security: bearerSecurity,
      request: { query: ListQuery },
      responses: {
        200: jsonOf(z.object({ trainingExamples: z.array(TrainingExampleSchema) }), 'Examples'),
        ...errorResponses,
      },
    }),
    async (context) => {
      const { status, limit } = context.req.valid('query');
      const examples = await trainingExamples.list({ ...(status && { status }), limit });
      await audit.record({
        actor: context.get('principal').subject,
        action: 'training_example.listed',
        details: { status: status ?? null, count: examples.length },
      });
      return context.json({ trainingExamples: examples }, 200);
    },
  );

  for (const [verb, decision] of [
    ['approve', 'approved'],
    ['reject', 'rejected'],
  ] as const) {
    app.openapi(
      createRoute({
        method: 'post',
        path: `/v1/admin/training-examples/{id}/${verb}`,
        tags: ['Learning loop'],
        summary:
          verb === 'approve'
            ? 'Approve a candidate for training (not by the agent who proposed it)'
            : 'Reject a candidate',
        security: bearerSecurity,
        request: { params: IdParams },
        responses: {
          200: jsonOf(TrainingExampleSchema, 'Reviewed'),
          409: errorResponses[400],
          ...errorResponses,
        },
      }),
      async (context) =>
        context.json(
          await review(context.req.valid('param').id, decision, context.get('principal').subject),
          200,
        ),
    );
  }
}
