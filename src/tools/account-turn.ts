import type { IntentRouter, RouteResult } from '../routing/intent-router.js';
import type { ToolOutcome } from '../turn/types.js';
import type { ToolContext } from './define-tool.js';
import {
  executeToolCall,
  type PendingResolution,
  resolvePendingAction,
  type ToolRegistry,
} from './registry.js';
import { routeToToolCall } from './to-tool-call.js';

/** What the account side of Teller made of one customer message (model-free path). */
export type AccountTurn =
  /** The message answered a pending confirmation (executed, declined or refused). */
  | {
      readonly kind: 'confirmation';
      readonly resolution: Exclude<PendingResolution, { kind: 'none' }>;
      readonly outcome: ToolOutcome;
    }
  /** A tool ran (or asked for confirmation, or refused). */
  | { readonly kind: 'tool'; readonly route: RouteResult; readonly outcome: ToolOutcome }
  /** A tool intent, but a required detail is missing: ask `question`. */
  | {
      readonly kind: 'needs_information';
      readonly route: RouteResult;
      readonly tool: string;
      readonly question: string;
    }
  /** Not for the account tools: knowledge, handoff, small talk or unknown. Use `route.kind`. */
  | { readonly kind: 'not_a_tool'; readonly route: RouteResult };

/**
 * The model-free account path of a turn, in the order the pipeline needs it:
 * 1. a pending confirmation of this conversation is resolved first ("yes" executes it);
 * 2. otherwise the (redacted) message is routed and, for a tool intent, the tool is executed.
 * With a chat model, call `resolvePendingAction` first the same way and then `runToolCallingLoop`.
 */
export async function handleAccountTurn(input: {
  /** The customer's message, already redacted. */
  readonly text: string;
  /** Set when the client confirmed with a button carrying the pending action id. */
  readonly actionId?: string;
  readonly context: ToolContext;
  readonly registry: ToolRegistry;
  readonly router: IntentRouter;
}): Promise<AccountTurn> {
  const resolution = await resolvePendingAction(
    { text: input.text, ...(input.actionId ? { actionId: input.actionId } : {}) },
    input.context,
    input.registry,
  );
  if (resolution.kind !== 'none') return { kind: 'confirmation', resolution, outcome: resolution.outcome };
  const route = input.router.route(input.text);
  const routed = routeToToolCall(route, input.registry);
  if (routed.kind === 'not_a_tool') return { kind: 'not_a_tool', route };
  if (routed.kind === 'needs_information') {
    return { kind: 'needs_information', route, tool: routed.tool, question: routed.question };
  }
  return { kind: 'tool', route, outcome: await executeToolCall(routed.call, input.context, input.registry) };
}
