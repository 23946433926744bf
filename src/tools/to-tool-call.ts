import type { ExtractedArguments } from '../routing/argument-extraction.js';
import type { RouteResult } from '../routing/intent-router.js';
import { kindOfIntent } from '../routing/intents.js';
import type { ToolRegistry } from './registry.js';

/** What to do with a routed message when no model chooses tools. */
export type RoutedToolCall =
  /** Call this tool with these arguments (through `executeToolCall`). */
  | {
      readonly kind: 'call';
      readonly call: { readonly name: string; readonly arguments: Record<string, unknown> };
    }
  /** The tool needs something the message did not say; ask the customer `question`. */
  | {
      readonly kind: 'needs_information';
      readonly tool: string;
      readonly missing: readonly string[];
      readonly question: string;
    }
  /** Not a tool intent (knowledge, handoff, small talk, unknown). */
  | { readonly kind: 'not_a_tool' };

const questions: Record<string, string> = {
  transactionRef:
    'Which transaction do you mean? Tell me its reference (the last four digits shown in your transaction list), or ask me to show your recent transactions first.',
};

/**
 * Maps a router result to a tool call, keeping only the extracted arguments the tool's schema
 * declares (anything else the message mentioned is dropped, never passed through). Required
 * arguments that are missing turn into a question instead of a failing call.
 */
export function routeToToolCall(route: RouteResult, registry: ToolRegistry): RoutedToolCall {
  if (kindOfIntent(route.intent) !== 'tool') return { kind: 'not_a_tool' };
  const tool = registry.get(route.intent);
  if (!tool) return { kind: 'not_a_tool' };
  const shape = tool.parameters.shape as Record<string, { safeParse(value: unknown): { success: boolean } }>;
  const argumentsForTool: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(route.arguments) as Array<[keyof ExtractedArguments, unknown]>) {
    if (key in shape && value !== undefined) argumentsForTool[key] = value;
  }
  // A customer asking for their salary or rent wants the latest few, not a long list.
  if (
    tool.name === 'recent_transactions' &&
    argumentsForTool.limit === undefined &&
    route.arguments.merchant
  ) {
    const merchant = route.arguments.merchant;
    if (merchant === 'salary' || merchant === 'rent') argumentsForTool.limit = 3;
  }
  const missing = Object.entries(shape)
    .filter(([key, schema]) => argumentsForTool[key] === undefined && !schema.safeParse(undefined).success)
    .map(([key]) => key);
  if (missing.includes('reason') && !missing.includes('transactionRef')) {
    argumentsForTool.reason = 'other';
    missing.splice(missing.indexOf('reason'), 1);
  }
  if (missing.length > 0) {
    const question =
      missing.map((key) => questions[key]).find(Boolean) ?? 'Could you give me a little more detail?';
    return { kind: 'needs_information', tool: tool.name, missing, question };
  }
  return { kind: 'call', call: { name: tool.name, arguments: argumentsForTool } };
}
