import type { z } from 'zod';

/**
 * The seam between Teller and any chat model. The real implementation wraps LangChain's ChatOpenAI
 * (any OpenAI-compatible endpoint); tests use `ScriptedChatModel` from `src/testing/`.
 * Customer identity is never part of a request: tools read it from the turn context.
 */
export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant' | 'tool';
  readonly content: string;
  /** On assistant messages: the tool calls the model asked for. */
  readonly toolCalls?: readonly ToolCall[];
  /** On tool messages: which call this answers. */
  readonly toolCallId?: string;
}

export interface ToolCall {
  readonly id: string;
  readonly name: string;
  /** Raw arguments as the model produced them: always validated with zod before use. */
  readonly arguments: unknown;
}

export interface ToolSpec {
  readonly name: string;
  readonly description: string;
  readonly parameters: z.ZodObject;
}

export interface ChatRequest {
  readonly messages: readonly ChatMessage[];
  readonly tools?: readonly ToolSpec[];
  readonly signal?: AbortSignal;
}

export interface ChatResponse {
  readonly content: string;
  readonly toolCalls: readonly ToolCall[];
}

export interface ChatModel {
  /** Model name for audit and eval provenance. */
  readonly name: string;
  complete(request: ChatRequest): Promise<ChatResponse>;
}
