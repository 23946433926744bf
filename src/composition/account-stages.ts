import type { ChatMessage, ChatModel } from '../generation/chat-model.js';
import type { ToolCallingLoop } from '../generation/llm-generator.js';
import { toolFactScreen } from '../guardrails/screening/tool-facts.js';
import { asksForAction } from '../routing/action-request.js';
import type { IntentRouter } from '../routing/intent-router.js';
import type { AuditSink } from '../store/audit-log.js';
import type { PendingActionStore } from '../store/pending-action-store.js';
import type { CoreBankingAdapter } from '../tools/core-banking/adapter.js';
import type { ToolContext } from '../tools/define-tool.js';
import { executeToolCall, resolvePendingAction, type ToolRegistry } from '../tools/registry.js';
import { routeToToolCall } from '../tools/to-tool-call.js';
import { runToolCallingLoop } from '../tools/tool-calling.js';
import type { GenerationInput, RouterStage, ToolStage } from '../turn/stages.js';
import type { Principal, ToolOutcome } from '../turn/types.js';

/**
 * Below this, a tool intent is not acted on: the message goes to retrieval instead, and a weak
 * answer there hands off. Acting on a guess is worse than asking a person.
 */
export const MIN_TOOL_CONFIDENCE = 0.55;

const INFORMATIONAL_QUESTION =
  /^(?:how (?:do|can|would|should) (?:i|you|we)|what (?:happens|should i do|do i do)|can i|is it possible to|what is the process)\b/i;

/** The intent router seen as the pipeline's routing stage; tool calls are prepared here. */
export function routerStage(
  router: IntentRouter,
  registry: ToolRegistry,
  options: {
    readonly minToolConfidence?: number;
    /**
     * Puts back the customer's own card and account numbers for argument extraction only: "freeze
     * the card ending 5512" must name that card (and be refused if it is not theirs), not fall back
     * to a default. The restored text never leaves this function.
     */
    readonly revealForArguments?: (conversationId: string, text: string) => Promise<string>;
  } = {},
): RouterStage {
  const minToolConfidence = options.minToolConfidence ?? MIN_TOOL_CONFIDENCE;
  return {
    async route(text, _history, conversationId) {
      const first = router.route(text);
      const hasIdentifierToken = /<(?:CREDIT_CARD|BANK_ACCOUNT)_\d+>/.test(text);
      const result =
        first.kind === 'tool' && hasIdentifierToken && conversationId && options.revealForArguments
          ? {
              ...first,
              arguments: router.argumentsOf(await options.revealForArguments(conversationId, text)),
            }
          : first;
      const base = {
        intent: result.intent,
        confidence: result.confidence,
        alternatives: result.alternatives,
      };
      if (result.kind === 'knowledge')
        return { ...base, kind: 'knowledge', topic: result.intent.replace('knowledge.', '') };
      if (result.kind === 'smalltalk') return { ...base, kind: 'conversation' };
      // An explicit request for a state change is acted on whatever the classifier's confidence:
      // it only ever leads to a confirmation question the customer must answer.
      if (result.kind !== 'tool' || (result.confidence < minToolConfidence && !result.explicitRequest))
        return { ...base, kind: 'unknown' };
      // "How do I report my card lost?" asks how, it does not ask Teller to do it: questions about
      // state-changing actions are answered from policy; the customer can then ask for the action.
      if (registry.get(result.intent)?.risk !== 'read' && INFORMATIONAL_QUESTION.test(text.trim())) {
        return { ...base, kind: 'knowledge' };
      }
      const routed = routeToToolCall(result, registry);
      if (routed.kind === 'call') return { ...base, kind: 'tool', tool: { ...routed.call } };
      if (routed.kind === 'needs_information') {
        return {
          ...base,
          kind: 'tool',
          tool: { name: routed.tool, arguments: {}, question: routed.question },
        };
      }
      return { ...base, kind: 'unknown' };
    },
  };
}

export interface AccountToolsOptions {
  readonly registry: ToolRegistry;
  readonly adapter: CoreBankingAdapter;
  readonly pendingActions: PendingActionStore;
  readonly audit: AuditSink;
  readonly now: () => Date;
  /** Told when an asynchronous (PostgreSQL) audit write of a tool event fails. */
  readonly onAuditFailure?: (error: unknown) => void;
}

/** The per-turn tool context: identity from the verified token, never from a model or a message. */
function toolContext(
  options: AccountToolsOptions,
  principal: Principal,
  conversationId: string,
  requestId: string,
  history: ToolContext['history'],
): ToolContext {
  return {
    principal,
    conversationId,
    ...(history && { history }),
    adapter: options.adapter,
    pendingActions: options.pendingActions,
    now: options.now,
    audit: (event) => {
      const written = options.audit.record({
        actor: principal.subject,
        action: event.type,
        subject: conversationId,
        requestId,
        details: { ...event },
      });
      // Tools audit without waiting; a failed asynchronous write is reported, never left unhandled.
      if (written instanceof Promise) written.catch((error: unknown) => options.onAuditFailure?.(error));
    },
  };
}

/**
 * Account tools without a model: a pending confirmation is resolved first ("yes" runs it), then
 * the tool the router chose runs. Authorization happens inside `executeToolCall`.
 */
export function toolStage(options: AccountToolsOptions): ToolStage {
  const screened = toolFactScreen();
  return {
    async run({
      principal,
      conversationId,
      requestId,
      text,
      route,
      history,
    }): Promise<readonly ToolOutcome[]> {
      const context = toolContext(options, principal, conversationId, requestId, history);
      const resolution = await resolvePendingAction({ text }, context, options.registry);
      if (resolution.kind !== 'none') return screened([resolution.outcome]);
      if (route.kind !== 'tool' || !route.tool) return [];
      if (route.tool.question) {
        return [
          { tool: route.tool.name, status: 'needs_information', facts: [], message: route.tool.question },
        ];
      }
      return screened([await executeToolCall(route.tool, context, options.registry)]);
    },
  };
}

/** LLM tool calling over the same registry and the same authorization, bounded in rounds. */
export function toolCallingLoop(options: AccountToolsOptions): ToolCallingLoop {
  return async ({
    model,
    messages,
    generation,
    signal,
  }: {
    model: ChatModel;
    messages: readonly ChatMessage[];
    generation: GenerationInput;
    signal?: AbortSignal;
  }) => {
    const context = toolContext(
      options,
      generation.principal,
      generation.conversationId,
      generation.requestId,
      generation.history,
    );
    const result = await runToolCallingLoop({
      model,
      registry: options.registry,
      context,
      messages,
      maxRounds: 4,
      ...(signal && { signal }),
      // The model may only propose a state change the customer's own message asks for.
      isRequestedByCustomer: (tool) => asksForAction(generation.text, tool),
    });
    return { content: result.content, toolOutcomes: result.outcomes };
  };
}
