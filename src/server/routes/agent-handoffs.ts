import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AuditSink } from '../../store/audit-log.js';
import { type HandoffRecord, HandoffTransitionError } from '../../store/handoff-queue.js';
import type { ConversationRepository, HandoffRepository } from '../../store/ports.js';
import '../context.js';
import { ApiError } from '../errors.js';
import { bearerSecurity, errorResponses, jsonBody, jsonOf, MessageSchema } from '../schemas.js';

export interface AgentRoutesDependencies {
  readonly handoffQueue: HandoffRepository;
  readonly conversations: ConversationRepository;
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

  const transition = async (work: () => Promise<HandoffRecord>): Promise<HandoffRecord> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof HandoffTransitionError) throw new ApiError(error.code, error.message);
      throw error;
    }
  };
  const existing = async (id: string): Promise<HandoffRecord> => {
    const record = await handoffQueue.get(id);
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
    async (context) =>
      context.json(
        {
          handoffs: (await handoffQueue.list(context.req.valid('query').status)).map((record) => ({
            ...record,
            emotions: [...record.emotions],
          })),
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
    async (context) => {
      const record = await existing(context.req.valid('param').id);
      const transcript = (await conversations.messages(record.conversationId)).map((message) => ({
        id: message.id,
        author: message.author,
        text: message.text,
        createdAt: message.createdAt,
      }));
      await audit.record({
        actor: context.get('principal').subject,
        action: 'handoff.viewed',
        subject: record.id,
      });
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
    async (context) => {
      const agentId = context.get('principal').subject;
      const record = await transition(() => handoffQueue.claim(context.req.valid('param').id, agentId));
      await audit.record({ actor: agentId, action: 'handoff.claimed', subject: record.id });
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
    async (context) => {
      const agentId = context.get('principal').subject;
      const record = await existing(context.req.valid('param').id);
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
      const message = await conversations.appendMessage(record.conversationId, 'agent', redactedText, {
        agentId,
      });
      await audit.record({
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
    async (context) => {
      const agentId = context.get('principal').subject;
      const record = await transition(() => handoffQueue.resolve(context.req.valid('param').id, agentId));
      await conversations.setStatus(record.conversationId, 'active');
      await audit.record({ actor: agentId, action: 'handoff.resolved', subject: record.id });
      return context.json({ ...record, emotions: [...record.emotions] }, 200);
    },
  );
}
