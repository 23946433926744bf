import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AuditSink } from '../../store/audit-log.js';
import type { ConversationRepository, TurnRecordRepository } from '../../store/ports.js';
import { RATING_REASONS } from '../../store/turn-records.js';
import '../context.js';
import { ApiError } from '../errors.js';
import { bearerSecurity, errorResponses, jsonBody, jsonOf } from '../schemas.js';

export interface FeedbackRoutesDependencies {
  readonly conversations: ConversationRepository;
  readonly turnRecords: TurnRecordRepository;
  readonly audit: AuditSink;
}

const FeedbackParams = z.object({
  id: z
    .string()
    .regex(/^conv_[a-f0-9]{32}$/)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'conv_9f1c0b8e2d3a4c5b6a7980f1e2d3c4b5' }),
  turnId: z
    .string()
    .regex(/^msg_[a-f0-9]{32}$/)
    .openapi({
      param: { name: 'turnId', in: 'path' },
      description: 'The `messageId` of the assistant answer being rated.',
      example: 'msg_0a1b2c3d4e5f60718293a4b5c6d7e8f9',
    }),
});

const FeedbackBody = z
  .object({
    rating: z.enum(['helpful', 'not_helpful']),
    reason: z
      .enum(RATING_REASONS)
      .optional()
      .openapi({ description: 'Optional; one of a short list, never free text (nothing to redact).' }),
  })
  .strict()
  .openapi('TurnFeedback');

const FeedbackResponse = z
  .object({
    turnId: z.string(),
    rating: z.enum(['helpful', 'not_helpful']),
    reason: z.enum(RATING_REASONS).nullable(),
    ratedAt: z.string(),
  })
  .openapi('TurnFeedbackStored');

/**
 * Customers rate an answer of their own conversation. Rating again replaces the rating (the
 * request is idempotent); every rating is audited.
 */
export function registerFeedbackRoutes(app: OpenAPIHono, dependencies: FeedbackRoutesDependencies): void {
  const { conversations, turnRecords, audit } = dependencies;
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/conversations/{id}/turns/{turnId}/feedback',
      tags: ['Conversations'],
      summary: 'Rate an answer: helpful or not, with an optional reason',
      description:
        'Idempotent: sending a rating again replaces the earlier one. Turns of conversations that are not the caller’s answer 404, like missing ones.',
      security: bearerSecurity,
      request: { params: FeedbackParams, body: jsonBody(FeedbackBody) },
      responses: {
        200: jsonOf(FeedbackResponse, 'The rating as stored'),
        ...errorResponses,
      },
    }),
    async (context) => {
      const { id, turnId } = context.req.valid('param');
      const { rating, reason } = context.req.valid('json');
      const customerId = context.get('principal').subject;
      const notFound = () => new ApiError('not_found', `Turn ${turnId} was not found in conversation ${id}.`);
      if (!(await conversations.findForCustomer(id, customerId))) throw notFound();
      // The turn must be of this conversation, not just of this customer.
      if ((await turnRecords.get(turnId))?.conversationId !== id) throw notFound();
      const rated = await turnRecords.rate(turnId, customerId, rating, reason ?? null);
      if (!rated?.ratedAt) throw notFound();
      await audit.record({
        actor: customerId,
        action: 'turn.rated',
        subject: id,
        requestId: context.get('requestId'),
        details: { turnId, rating, reason: reason ?? null },
      });
      return context.json({ turnId, rating, reason: reason ?? null, ratedAt: rated.ratedAt }, 200);
    },
  );
}
