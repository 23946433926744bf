import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AuditSink } from '../../store/audit-log.js';
import type { ConversationStore } from '../../store/conversation-store.js';
import { type HandoffQueue, type HandoffRecord, HandoffTransitionError } from '../../store/handoff-queue.js';
import '../context.js';
import { ApiError } from '../errors.js';
import { bearerSecurity, errorResponses, jsonBody, jsonOf, MessageSchema } from '../schemas.js';

export interface AgentRoutesDependencies {
  readonly handoffQueue: HandoffQueue;
  readonly conversations: ConversationStore;
  readonly audit: AuditSink;
  /** Agents' replies are redacted with the conversation's vault before they are stored. */
  readonly redactMessage: (conversationId: string, text: string) => { redactedText: string };
  readonly messageCharacters: number;
}

const HandoffSchema = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    customerId: z.string(),
    reason: z.string(),
    priority: z.enum(['low', 'normal', 'high', 'urgent']),
    explanation: z.string(),
    summary: z.string().openapi({ description: 'Redacted summary written for the agent.' }),
    intent: z.string().nullable(),
    emotions: z.array(z.string()),
    status: z.enum(['open', 'claimed', 'resolved']),
    agentId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Handoff');
const IdParams = z.object({
  id: z
    .string()
    .regex(/^hnd_[a-f0-9]{32}$/)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

/** The agent inbox (role `agent`): list, read, claim, reply into the conversation, resolve. */
export function registerAgentRoutes(app: OpenAPIHono, dependencies: AgentRoutesDependencies): void {
  const { handoffQueue, conversations, audit } = dependencies;

  const transition = (work: () => HandoffRecord): HandoffRecord => {
    try {
      return work();
    } catch (error) {
      if (error instanceof HandoffTransitionError) throw new ApiError(error.code, error.message);
      throw error;
    }
  };
  const existing = (id: string): HandoffRecord => {
    const record = handoffQueue.get(id);
    if (!record) throw new ApiError('not_found', `Handoff ${id} was not found.`);
    return record;
  };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/agent/handoffs',
      tags: ['Agent inbox'],
      summary: 'The handoff queue, most urgent first',
      security: bearerSecurity,
      request: { query: z.object({ status: z.enum(['open', 'claimed', 'resolved']).optional() }) },
      responses: { 200: jsonOf(z.object({ handoffs: z.array(HandoffSchema) }), 'Queue'), ...errorResponses },
    }),
    (context) =>
      context.json(
        {
          handoffs: handoffQueue
            .list(context.req.valid('query').status)
            .map((record) => ({ ...record, emotions: [...record.emotions] })),
        },
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/agent/handoffs/{id}',
      tags: ['Agent inbox'],
      summary: 'A handoff with its redacted transcript',
      security: bearerSecurity,
      request: { params: IdParams },
      responses: {
        200: jsonOf(HandoffSchema.extend({ transcript: z.array(MessageSchema) }), 'Handoff'),
        ...errorResponses,
      },
    }),
    (context) => {
      const record = existing(context.req.valid('param').id);
      const transcript = conversations.messages(record.conversationId).map((message) => ({
        id: message.id,
        author: message.author,
        text: message.text,
        createdAt: message.createdAt,
      }));
      audit.record({ actor: context.get('principal').subject, action: 'handoff.viewed', subject: record.id });
      return context.json({ ...record, emotions: [...record.emotions], transcript }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/agent/handoffs/{id}/claim',
      tags: ['Agent inbox'],
      security: bearerSecurity,
      request: { params: IdParams },
      responses: { 200: jsonOf(HandoffSchema, 'Claimed'), 409: errorResponses[400], ...errorResponses },
    }),
    (context) => {
      const agentId = context.get('principal').subject;
      const record = transition(() => handoffQueue.claim(context.req.valid('param').id, agentId));
      audit.record({ actor: agentId, action: 'handoff.claimed', subject: record.id });
      return context.json({ ...record, emotions: [...record.emotions] }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/agent/handoffs/{id}/messages',
      tags: ['Agent inbox'],
      summary: 'Reply to the customer in the conversation (only the agent who claimed it)',
      security: bearerSecurity,
      request: {
        params: IdParams,
        body: jsonBody(
          z.object({ text: z.string().trim().min(1).max(dependencies.messageCharacters) }).strict(),
        ),
      },
      responses: { 201: jsonOf(MessageSchema, 'Stored reply'), 409: errorResponses[400], ...errorResponses },
    }),
    (context) => {
      const agentId = context.get('principal').subject;
      const record = existing(context.req.valid('param').id);
      if (record.status !== 'claimed' || record.agentId !== agentId) {
        throw new ApiError(
          'conflict',
          'Claim this handoff before replying; only the claiming agent may reply.',
        );
      }
      const { redactedText } = dependencies.redactMessage(
        record.conversationId,
        context.req.valid('json').text,
      );
      const message = conversations.appendMessage(record.conversationId, 'agent', redactedText, { agentId });
      audit.record({
        actor: agentId,
        action: 'handoff.replied',
        subject: record.id,
        details: { messageId: message.id },
      });
      return context.json(
        { id: message.id, author: message.author, text: message.text, createdAt: message.createdAt },
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/agent/handoffs/{id}/resolve',
      tags: ['Agent inbox'],
      summary: 'Resolve the handoff; the assistant resumes in the conversation',
      security: bearerSecurity,
      request: { params: IdParams },
      responses: { 200: jsonOf(HandoffSchema, 'Resolved'), 409: errorResponses[400], ...errorResponses },
    }),
    (context) => {
      const agentId = context.get('principal').subject;
      const record = transition(() => handoffQueue.resolve(context.req.valid('param').id, agentId));
      conversations.setStatus(record.conversationId, 'active');
      audit.record({ actor: agentId, action: 'handoff.resolved', subject: record.id });
      return context.json({ ...record, emotions: [...record.emotions] }, 200);
    },
  );
}
