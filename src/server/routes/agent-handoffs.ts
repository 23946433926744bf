import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { TRAINED_INTENTS } from '../../routing/intents.js';
import type { AuditSink } from '../../store/audit-log.js';
import { type HandoffCursor, type HandoffRecord, HandoffTransitionError } from '../../store/handoff-queue.js';
import type {
  ConversationRepository,
  HandoffRepository,
  TrainingExampleRepository,
} from '../../store/ports.js';
import type { StoredMessage } from '../../turn/types.js';
import '../context.js';
import { ApiError } from '../errors.js';
import { bearerSecurity, errorResponses, jsonBody, jsonOf, MessageSchema } from '../schemas.js';

export interface AgentRoutesDependencies {
  readonly handoffQueue: HandoffRepository;
  readonly conversations: ConversationRepository;
  readonly audit: AuditSink;
  /**
   * The state backend's transaction. Resolving a handoff, reopening its conversation and storing
   * the labelled candidates commit together: a failure cannot leave a resolved case whose label
   * was lost, nor candidates of a case that is still open.
   */
  readonly atomically: <Result>(work: () => Promise<Result>) => Promise<Result>;
  /** Agents' replies are redacted with the conversation's vault before they are stored. */
  readonly redactMessage: (conversationId: string, text: string) => Promise<{ redactedText: string }>;
  readonly messageCharacters: number;
  /** Where an agent's labelled messages wait for review; absent, a resolve with an intent is 503. */
  readonly trainingExamples?: TrainingExampleRepository;
}

/** How many customer messages before the handoff become candidates when the agent names none. */
const DEFAULT_LABELLED_MESSAGES = 3;

/**
 * What the agent may record when resolving: the intent Teller should have routed to (one of the
 * router's labels) or a topic, and whether Teller should have handled it alone. The topic is a
 * lower-case slug without digits, so no customer detail can be typed into it.
 */
const ResolveBody = z
  .object({
    intent: z.enum(TRAINED_INTENTS).optional(),
    topic: z
      .string()
      .regex(/^[a-z][a-z_.-]{0,59}$/, 'a lower-case slug without digits, e.g. mortgage_overpayments')
      .optional(),
    shouldHaveHandled: z.boolean().optional(),
    messageIds: z
      .array(z.string().regex(/^msg_[a-f0-9]{32}$/))
      .min(1)
      .max(20)
      .optional()
      .openapi({ description: 'Customer messages to label; default the last three before the handoff.' }),
  })
  .strict()
  .refine((body) => body.shouldHaveHandled === undefined || body.intent || body.topic, {
    message: 'shouldHaveHandled needs an intent or a topic',
  })
  .refine((body) => !body.messageIds || body.intent, { message: 'messageIds need an intent' });
type ResolveLabel = z.infer<typeof ResolveBody>;

/** The resolve body: empty means no label; anything else must be a valid label. */
function resolveLabel(text: string): ResolveLabel {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError('bad_request', 'body: not JSON.');
  }
  const parsed = ResolveBody.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError('bad_request', `${issue?.path.join('.') || 'body'}: ${issue?.message}`);
  }
  return parsed.data;
}

/** The customer messages an agent's label applies to, checked against the conversation. */
function labelledMessages(
  record: HandoffRecord,
  messages: readonly StoredMessage[],
  messageIds: readonly string[] | undefined,
): StoredMessage[] {
  const fromCustomer = messages.filter((message) => message.author === 'customer');
  if (!messageIds) {
    return fromCustomer
      .filter((message) => message.createdAt <= record.createdAt)
      .slice(-DEFAULT_LABELLED_MESSAGES);
  }
  const byId = new Map(fromCustomer.map((message) => [message.id, message]));
  return [...new Set(messageIds)].map((id) => {
    const message = byId.get(id);
    if (!message)
      throw new ApiError('bad_request', `messageIds: ${id} is not a customer message of this conversation.`);
    return message;
  });
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
      const { redactedText } = await dependencies.redactMessage(
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
      description:
        'Optionally label the case: `intent` (a router label) or `topic`, and `shouldHaveHandled`. With an ' +
        'intent, the redacted customer messages become candidate training examples for compliance to review.',
      security: bearerSecurity,
      // The body is optional (an empty body, even with a JSON content type, resolves without a
      // label), so it is parsed in the handler rather than by the route's validator.
      request: { params: IdParams },
      responses: {
        200: jsonOf(HandoffSchema.extend({ trainingExamples: z.array(z.string()) }), 'Resolved'),
        409: errorResponses[400],
        ...errorResponses,
      },
    }),
    async (context) => {
      const agentId = context.get('principal').subject;
      const label = resolveLabel(await context.req.text());
      const before = await existing(context.req.valid('param').id);
      assertNotOwnCase(before, agentId);
      if (label.intent && !dependencies.trainingExamples) {
        throw new ApiError('unavailable', 'Training examples are not stored by this instance.');
      }
      const candidates = label.intent
        ? labelledMessages(before, await conversations.messages(before.conversationId), label.messageIds)
        : [];
      const { record, proposed } = await dependencies.atomically(async () => {
        const resolved = await transition(() => handoffQueue.resolve(context.req.valid('param').id, agentId));
        await conversations.setStatus(resolved.conversationId, 'active');
        const stored =
          candidates.length > 0 && dependencies.trainingExamples
            ? await dependencies.trainingExamples.propose(
                candidates.map((message) => ({
                  handoffId: resolved.id,
                  conversationId: resolved.conversationId,
                  messageId: message.id,
                  text: message.text,
                  intent: label.intent ?? null,
                  topic: label.topic ?? null,
                  shouldHaveHandled: label.shouldHaveHandled ?? false,
                  proposedBy: agentId,
                })),
              )
            : [];
        return { record: resolved, proposed: stored };
      });
      await audit.record({
        actor: agentId,
        action: 'handoff.resolved',
        subject: record.id,
        ...((label.intent || label.topic) && {
          details: {
            intent: label.intent ?? null,
            topic: label.topic ?? null,
            shouldHaveHandled: label.shouldHaveHandled ?? false,
            trainingExamples: proposed.map((example) => example.id),
          },
        }),
      });
      return context.json(
        {
          ...record,
          emotions: [...record.emotions],
          trainingExamples: proposed.map((example) => example.id),
        },
        200,
      );
    },
  );
}
