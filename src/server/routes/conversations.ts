import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import type { TurnRunner } from '../../pipeline/turn-runner.js';
import type { Conversation } from '../../store/conversation-store.js';
import type { ConversationRepository } from '../../store/ports.js';
import type { TurnResult } from '../../turn/types.js';
import '../context.js';
import { ApiError } from '../errors.js';
import {
  bearerSecurity,
  ConversationSchema,
  errorResponses,
  jsonBody,
  jsonOf,
  MessageSchema,
  TurnResponse,
} from '../schemas.js';

export interface ConversationRoutesDependencies {
  readonly conversations: ConversationRepository;
  readonly turns: TurnRunner;
  readonly restoreForCustomer: (conversationId: string, text: string) => Promise<string>;
  readonly messageCharacters: number;
}

const IdParams = z.object({
  id: z
    .string()
    .regex(/^conv_[a-f0-9]{32}$/)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'conv_9f1c0b8e2d3a4c5b6a7980f1e2d3c4b5' }),
});

/** Customer chat: create a conversation, send a message (JSON or SSE), read the transcript. */
export function registerConversationRoutes(
  app: OpenAPIHono,
  dependencies: ConversationRoutesDependencies,
): void {
  const { conversations, turns } = dependencies;
  const SendMessageBody = z
    .object({
      text: z
        .string()
        .trim()
        .min(1)
        .max(dependencies.messageCharacters)
        .openapi({ example: 'What is the fee for an international wire transfer?' }),
    })
    .strict()
    .openapi('SendMessage');

  /** Someone else's conversation is reported exactly like a missing one, so ids cannot be probed. */
  async function ownConversation(conversationId: string, customerId: string): Promise<Conversation> {
    const conversation = await conversations.findForCustomer(conversationId, customerId);
    if (!conversation) throw new ApiError('not_found', `Conversation ${conversationId} was not found.`);
    return conversation;
  }

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/conversations',
      tags: ['Conversations'],
      summary: 'Start a conversation for the authenticated customer',
      security: bearerSecurity,
      responses: {
        201: jsonOf(ConversationSchema, 'Created'),
        ...errorResponses,
      },
    }),
    async (context) => {
      const conversation = await conversations.create(context.get('principal').subject);
      return context.json(toConversationBody(conversation), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/conversations/{id}',
      tags: ['Conversations'],
      summary: 'Read a conversation and its (redacted) messages',
      security: bearerSecurity,
      request: { params: IdParams },
      responses: {
        200: jsonOf(ConversationSchema.extend({ messages: z.array(MessageSchema) }), 'The conversation'),
        ...errorResponses,
      },
    }),
    async (context) => {
      const conversation = await ownConversation(
        context.req.valid('param').id,
        context.get('principal').subject,
      );
      const messages = await Promise.all(
        (await conversations.messages(conversation.id)).map(async (message) => ({
          id: message.id,
          author: message.author,
          text: await dependencies.restoreForCustomer(conversation.id, message.text),
          createdAt: message.createdAt,
          ...(Array.isArray(message.metadata?.citations) && { citations: message.metadata.citations }),
        })),
      );
      return context.json({ ...toConversationBody(conversation), messages }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/conversations/{id}/messages',
      tags: ['Conversations'],
      summary: 'Send a customer message and get the answer',
      description:
        'With `Accept: text/event-stream` the answer is streamed as SSE events `delta` (text chunks) and `done` (the full result). ' +
        'Streaming starts only after output rails have checked the whole answer, so no unchecked text ever reaches the customer.',
      security: bearerSecurity,
      request: {
        params: IdParams,
        body: jsonBody(SendMessageBody),
      },
      responses: {
        200: {
          description: 'The turn result',
          content: {
            'application/json': { schema: TurnResponse },
            'text/event-stream': { schema: z.string() },
          },
        },
        ...errorResponses,
      },
    }),
    async (context) => {
      const principal = context.get('principal');
      const conversation = await ownConversation(context.req.valid('param').id, principal.subject);
      if (conversation.status === 'closed')
        throw new ApiError('conflict', 'This conversation is closed; start a new one.');
      const { text } = context.req.valid('json');
      const requestId = context.get('requestId');
      if (!(context.req.header('accept') ?? '').includes('text/event-stream')) {
        const result = await turns.run({ principal, conversation, text, requestId });
        return context.json(toTurnBody(result), 200);
      }
      const result = await turns.run({ principal, conversation, text, requestId });
      return streamSSE(context, async (stream) => {
        for (const chunk of result.text.match(/\S+\s*/g) ?? []) {
          await stream.writeSSE({ event: 'delta', data: JSON.stringify({ text: chunk }) });
        }
        await stream.writeSSE({ event: 'done', data: JSON.stringify(toTurnBody(result)) });
      }) as never;
    },
  );
}

function toConversationBody(conversation: Conversation) {
  return {
    id: conversation.id,
    status: conversation.status,
    createdAt: conversation.createdAt,
    updatedAt: conversation.updatedAt,
  };
}

/** The public shape of a turn: internal verdict details stay in the audit log. */
export function toTurnBody(result: TurnResult): z.infer<typeof TurnResponse> {
  return {
    conversationId: result.conversationId,
    messageId: result.messageId,
    text: result.text,
    outcome: result.outcome,
    citations: [...result.citations],
    ...(result.handoff && { handoff: result.handoff }),
    tools: result.toolOutcomes.map((outcome) => ({ tool: outcome.tool, status: outcome.status })),
    rules: result.verdicts
      .filter((verdict) => verdict.tripped)
      .map((verdict) => `${verdict.guardrail}:${verdict.rule ?? ''}`),
    timings: { ...result.timings },
  };
}
