import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from '@langchain/core/messages';
import { initChatModel } from 'langchain';
import { z } from 'zod';
import type { ChatMessage, ChatModel, ChatRequest, ChatResponse } from './chat-model.js';

export interface LangChainChatModelOptions {
  readonly apiKey: string;
  /** Any OpenAI-compatible endpoint (vLLM, Ollama, LM Studio, Azure OpenAI proxy...). */
  readonly baseUrl?: string;
  readonly model: string;
  /** Per attempt; the turn's budget (`ModelWithFallback`) bounds all attempts together. */
  readonly timeoutMs: number;
  /** Upper bound on the tokens of one completion, so a runaway model cannot write megabytes. */
  readonly maxTokens?: number;
  readonly temperature?: number;
}

/** The minimal shape Teller relies on from a LangChain AI message. */
const aiMessageSchema = z.object({
  content: z.union([z.string(), z.array(z.unknown())]),
  tool_calls: z
    .array(z.object({ id: z.string().optional(), name: z.string(), args: z.record(z.string(), z.unknown()) }))
    .optional(),
});

type LangChainModel = Awaited<ReturnType<typeof initChatModel>>;

/**
 * `ChatModel` over LangChain (`initChatModel` with the OpenAI provider), so any OpenAI-compatible
 * server works. The model is created on first use: creating it is asynchronous.
 */
export class LangChainChatModel implements ChatModel {
  readonly name: string;
  readonly #options: LangChainChatModelOptions;
  #model: Promise<LangChainModel> | undefined;

  constructor(options: LangChainChatModelOptions) {
    this.name = options.model;
    this.#options = options;
  }

  #loadModel(): Promise<LangChainModel> {
    this.#model ??= initChatModel(this.#options.model, {
      modelProvider: 'openai',
      apiKey: this.#options.apiKey,
      temperature: this.#options.temperature ?? 0,
      timeout: this.#options.timeoutMs,
      maxRetries: 2,
      ...(this.#options.maxTokens && { maxTokens: this.#options.maxTokens }),
      ...(this.#options.baseUrl && { configuration: { baseURL: this.#options.baseUrl } }),
    });
    return this.#model;
  }

  async complete(request: ChatRequest): Promise<ChatResponse> {
    const model = await this.#loadModel();
    const runnable =
      request.tools && request.tools.length > 0
        ? model.bindTools(
            request.tools.map((tool) => ({
              name: tool.name,
              description: tool.description,
              schema: tool.parameters,
            })),
          )
        : model;
    const message = await runnable.invoke(request.messages.map(toLangChainMessage), {
      ...(request.signal && { signal: request.signal }),
    });
    const parsed = aiMessageSchema.safeParse(message);
    if (!parsed.success)
      throw new ModelBehaviorError('The chat model returned a message Teller cannot read.');
    const content =
      typeof parsed.data.content === 'string'
        ? parsed.data.content
        : parsed.data.content
            .map((part) =>
              typeof part === 'object' && part && 'text' in part
                ? String((part as { text: unknown }).text)
                : '',
            )
            .join('');
    return {
      content,
      toolCalls: (parsed.data.tool_calls ?? []).map((call, index) => ({
        id: call.id ?? `call_${index}`,
        name: call.name,
        arguments: call.args,
      })),
    };
  }
}

/** The model did something outside its contract (unreadable output, unknown tool...). */
export class ModelBehaviorError extends Error {
  override readonly name = 'ModelBehaviorError';
}

function toLangChainMessage(message: ChatMessage): BaseMessage {
  switch (message.role) {
    case 'system':
      return new SystemMessage(message.content);
    case 'user':
      return new HumanMessage(message.content);
    case 'assistant':
      return new AIMessage({
        content: message.content,
        tool_calls: (message.toolCalls ?? []).map((call) => ({
          id: call.id,
          name: call.name,
          args: (call.arguments ?? {}) as Record<string, unknown>,
          type: 'tool_call' as const,
        })),
      });
    case 'tool':
      return new ToolMessage({ content: message.content, tool_call_id: message.toolCallId ?? '' });
  }
}
