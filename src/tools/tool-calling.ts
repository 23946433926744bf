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
  /**
   * Tool calls executed in the whole loop: a model that keeps calling tools is stopped well before
   * rounds × calls per round.
   */
  readonly maxToolCalls?: number;
  /**
   * Whether the customer's own message asks for this state-changing tool. A model proposing a
   * freeze, unfreeze, report or dispute the customer did not ask for is refused in code.
   * Without it, every proposal goes on to the confirmation question.
   */
  readonly isRequestedByCustomer?: (tool: string) => boolean;
  readonly signal?: AbortSignal;
}

export interface ToolCallingResult {
  /** The model's final text (empty when the loop was stopped: the caller must fall back). */
  readonly content: string;
  /** Every tool outcome, in order: the only facts an answer may state about accounts. */
  readonly outcomes: readonly ToolOutcome[];
  readonly rounds: number;
  /**
   * `answered`: the model replied without more tool calls. `max_rounds`: stopped after the limit.
   * `max_tool_calls`: stopped at the budget of calls. `repeated_call`: the model asked again for
   * a call it had already made, which only loops. `confirmation_required`: a state-changing tool
   * is waiting for the customer's "yes", so the turn ends with the confirmation question rather
   * than letting the model continue.
   */
  readonly stoppedBecause:
    | 'answered'
    | 'max_rounds'
    | 'max_tool_calls'
    | 'repeated_call'
    | 'confirmation_required';
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
  const {
    model,
    registry,
    context,
    maxRounds = 4,
    maxCallsPerRound = 4,
    maxToolCalls = 6,
    isRequestedByCustomer,
    signal,
  } = options;
  const messages: ChatMessage[] = [...options.messages];
  const outcomes: ToolOutcome[] = [];
  const tools = registry.specs();
  const callsMade = new Set<string>();
  let callCount = 0;
  const stopped = (round: number, stoppedBecause: ToolCallingResult['stoppedBecause']) => ({
    content: '',
    outcomes,
    rounds: round,
    stoppedBecause,
    messages,
  });
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
    const signatures = calls.map(callSignature);
    if (signatures.every((signature) => callsMade.has(signature))) return stopped(round, 'repeated_call');
    if (callCount >= maxToolCalls) return stopped(round, 'max_tool_calls');
    messages.push({ role: 'assistant', content: response.content, toolCalls: calls });
    let waitingForConfirmation = false;
    for (const [index, call] of calls.entries()) {
      const outcome = await runOneCall(call, index);
      callsMade.add(signatures[index]!);
      callCount += 1;
      outcomes.push(outcome);
      if (outcome.status === 'needs_confirmation') waitingForConfirmation = true;
      messages.push({ role: 'tool', content: toolMessageContent(outcome), toolCallId: call.id });
    }
    if (waitingForConfirmation) return stopped(round, 'confirmation_required');
  }
  return stopped(maxRounds, 'max_rounds');

  function runOneCall(call: ToolCall, index: number): Promise<ToolOutcome> | ToolOutcome {
    if (index >= maxCallsPerRound || callCount >= maxToolCalls) {
      return refuseToolCall(
        context,
        call.name,
        'too_many_calls',
        'Too many requests at once; please ask one thing at a time.',
      );
    }
    const tool = registry.get(call.name);
    if (tool && tool.risk !== 'read' && isRequestedByCustomer && !isRequestedByCustomer(tool.name)) {
      return refuseToolCall(
        context,
        tool.name,
        'not_requested_by_customer',
        "I haven't changed anything. Tell me if you would like me to do that.",
      );
    }
    return executeToolCall(call, context, registry);
  }
}

/** Name and raw arguments: the same call asked twice has the same signature. */
function callSignature(call: ToolCall): string {
  let argumentsText: string;
  try {
    argumentsText =
      typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {});
  } catch {
    argumentsText = 'unreadable';
  }
  return `${String(call.name)}\n${argumentsText}`;
}
