import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AuditSink } from '../../store/audit-log.js';
import { type HandoffCursor, type HandoffRecord, HandoffTransitionError } from '../../store/handoff-queue.js';
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

const CursorSchema = z
  .object({ rank: z.number().int().min(0).max(3), createdAt: z.string().max(40), id: z.string().max(64) })
  .strict();

function encodeCursor(cursor: HandoffCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(text: string): HandoffCursor {
  try {
    return CursorSchema.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    throw new ApiError('bad_request', 'cursor: not a cursor this endpoint returned.');
  }
}

const QueueQuery = z.object({
  status: z.enum(['open', 'claimed', 'resolved']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(100).openapi({ description: 'Page size (1–100)' }),
  cursor: z
    .string()
    .max(256)
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional()
    .openapi({ description: '`nextCursor` of the previous page' }),
});

/**
 * Refuses a staff token that also holds the customer role from working a handoff of its own
 * conversations: nobody reviews, answers or closes their own case.
 */
function assertNotOwnCase(record: HandoffRecord, subject: string): void {
  if (record.customerId === subject) {
    throw new ApiError('forbidden', 'You cannot work a handoff of your own conversation.');
  }
}

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
      summary: 'The handoff queue, most urgent first, a page at a time',
      description:
        'Pass `nextCursor` from one page as `cursor` to get the next; `nextCursor` is null on the last page.',
      security: bearerSecurity,
      request: { query: QueueQuery },
      responses: {
        200: jsonOf(
          z.object({ handoffs: z.array(HandoffSchema), nextCursor: z.string().nullable() }),
          'Queue',
        ),
        ...errorResponses,
      },
    }),
    async (context) => {
      const { status, limit, cursor } = context.req.valid('query');
      const page = await handoffQueue.page({
        ...(status && { status }),
        limit,
        ...(cursor && { cursor: decodeCursor(cursor) }),
      });
      return context.json(
        {
          handoffs: page.handoffs.map((record) => ({ ...record, emotions: [...record.emotions] })),
          nextCursor: page.nextCursor && encodeCursor(page.nextCursor),
        },
        200,
      );
    },
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
      assertNotOwnCase(await existing(context.req.valid('param').id), agentId);
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
      assertNotOwnCase(record, agentId);
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
      assertNotOwnCase(await existing(context.req.valid('param').id), agentId);
      const record = await transition(() => handoffQueue.resolve(context.req.valid('param').id, agentId));
      await conversations.setStatus(record.conversationId, 'active');
      await audit.record({ actor: agentId, action: 'handoff.resolved', subject: record.id });
      return context.json({ ...record, emotions: [...record.emotions] }, 200);
    },
  );
}
