import { z } from '@hono/zod-openapi';

/** Routes behind the bearer token: the OpenAPI security requirement they declare. */
export const bearerSecurity = [{ bearerAuth: [] }];

/** An OpenAPI response whose body is `schema` as JSON. */
export const jsonOf = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** A required JSON request body validated by `schema`. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true as const,
  content: { 'application/json': { schema } },
});

/** API schemas shared by routes; registered as OpenAPI components. */
export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'bad_request' }),
      message: z.string().openapi({ example: 'text: Too small: expected string to have >=1 characters' }),
      requestId: z.string().openapi({ example: 'req_4f2c9a' }),
    }),
  })
  .openapi('Error');

export const CitationSchema = z
  .object({ documentId: z.string(), title: z.string(), version: z.string(), section: z.string() })
  .openapi('Citation');

export const MessageSchema = z
  .object({
    id: z.string(),
    author: z.enum(['customer', 'assistant', 'agent', 'system']),
    text: z
      .string()
      .openapi({ description: 'Redacted text: PII appears as typed tokens such as <EMAIL_ADDRESS_1>.' }),
    createdAt: z.string(),
    citations: z.array(CitationSchema).optional(),
  })
  .openapi('Message');

export const ConversationSchema = z
  .object({
    id: z.string().openapi({ example: 'conv_1b9d6bcd' }),
    status: z.enum(['active', 'handed_off', 'closed']),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Conversation');

export const TurnResponse = z
  .object({
    conversationId: z.string(),
    messageId: z.string(),
    text: z.string(),
    outcome: z.enum(['answer', 'refusal', 'handoff', 'agent_pending', 'confirmation_required']),
    citations: z.array(CitationSchema),
    handoff: z
      .object({ handoffId: z.string(), reason: z.string(), priority: z.string(), explanation: z.string() })
      .optional(),
    tools: z.array(z.object({ tool: z.string(), status: z.string() })),
    rules: z.array(z.string()).openapi({ description: 'Guardrail rules that fired on this turn.' }),
    timings: z.record(z.string(), z.number()),
  })
  .openapi('TurnResult');

export const errorResponses = {
  400: jsonOf(ErrorResponse, 'Invalid request'),
  401: jsonOf(ErrorResponse, 'Missing or invalid bearer token'),
  403: jsonOf(ErrorResponse, 'Authenticated but not allowed'),
  404: jsonOf(ErrorResponse, 'Not found (or not yours)'),
  413: jsonOf(ErrorResponse, 'Body too large'),
  429: jsonOf(ErrorResponse, 'Rate limited'),
} as const;
