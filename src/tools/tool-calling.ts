import type { ChatMessage, ChatModel, ToolCall } from '../generation/chat-model.js';
import type { ToolOutcome } from '../turn/types.js';
import type { ToolContext } from './define-tool.js';
import { executeToolCall, refuseToolCall, type ToolRegistry } from './registry.js';

export interface ToolCallingOptions {
  readonly model: ChatModel;
  readonly registry: ToolRegistry;
  readonly context: ToolContext;
  /** The conversation so far (system prompt, history, the customer's message). Not mutated. */
  readonly messages: readonly ChatMessage[];
  /** Model rounds allowed before giving up; a model that keeps asking for tools is stopped. */
  readonly maxRounds?: number;
  /** Tool calls executed per round; extra calls in one response are refused. */
  readonly maxCallsPerRound?: number;
  readonly signal?: AbortSignal;
}

export interface ToolCallingResult {
  /** The model's final text (empty when the loop was stopped). */
  readonly content: string;
  /** Every tool outcome, in order: the only facts an answer may state about accounts. */
  readonly outcomes: readonly ToolOutcome[];
  readonly rounds: number;
  /**
   * `answered`: the model replied without more tool calls. `max_rounds`: stopped after the limit.
   * `confirmation_required`: a state-changing tool is waiting for the customer's "yes", so the
   * turn ends with the confirmation question rather than letting the model continue.
   */
  readonly stoppedBecause: 'answered' | 'max_rounds' | 'confirmation_required';
  /** The full exchange including tool messages, e.g. for tracing. */
  readonly messages: readonly ChatMessage[];
}

/** What the model reads back from a tool: status, facts and message. Never `data` or ids. */
function toolMessageContent(outcome: ToolOutcome): string {
  return JSON.stringify({ status: outcome.status, facts: outcome.facts, message: outcome.message ?? null });
}

/**
 * Lets a model use tools, bounded: each round sends the tools as specs, executes the calls the
 * model asks for through `executeToolCall` (strict validation, ownership, confirmation) and
 * returns the results as tool messages. Customer identity never enters a message; the tools read
 * it from `context`.
 */
export async function runToolCallingLoop(options: ToolCallingOptions): Promise<ToolCallingResult> {
  const { model, registry, context, maxRounds = 4, maxCallsPerRound = 4, signal } = options;
  const messages: ChatMessage[] = [...options.messages];
  const outcomes: ToolOutcome[] = [];
  const tools = registry.specs();
  for (let round = 1; round <= maxRounds; round += 1) {
    signal?.throwIfAborted();
    const response = await model.complete({ messages, tools, ...(signal ? { signal } : {}) });
    if (response.toolCalls.length === 0) {
      return { content: response.content, outcomes, rounds: round, stoppedBecause: 'answered', messages };
    }
    const calls: ToolCall[] = response.toolCalls.map((call, index) => ({
      ...call,
      id: typeof call.id === 'string' && call.id.length <= 64 ? call.id : `call_${round}_${index}`,
    }));
    messages.push({ role: 'assistant', content: response.content, toolCalls: calls });
    let waitingForConfirmation = false;
    for (const [index, call] of calls.entries()) {
      const outcome =
        index < maxCallsPerRound
          ? await executeToolCall(call, context, registry)
          : refuseToolCall(
              context,
              call.name,
              'too_many_calls',
              'Too many requests at once; please ask one thing at a time.',
            );
      outcomes.push(outcome);
      if (outcome.status === 'needs_confirmation') waitingForConfirmation = true;
      messages.push({ role: 'tool', content: toolMessageContent(outcome), toolCallId: call.id });
    }
    if (waitingForConfirmation) {
      return { content: '', outcomes, rounds: round, stoppedBecause: 'confirmation_required', messages };
    }
  }
  return { content: '', outcomes, rounds: maxRounds, stoppedBecause: 'max_rounds', messages };
}
