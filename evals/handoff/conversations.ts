/**
 * Loads `conversations.yaml` (zod-validated) and replays each conversation through the input rails
 * and the handoff decision, the way the pipeline would, turn by turn with growing history.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import type { Guardrails } from '../../src/guardrails/create-guardrails.js';
import { runInputRails } from '../../src/guardrails/runner.js';
import { decideHandoff } from '../../src/handoff/decide-handoff.js';
import type { PolicySet } from '../../src/policy/load-policies.js';
import { CustomerMessage } from '../../src/turn/turn-context.js';
import type { HandoffDecision, StoredMessage } from '../../src/turn/types.js';

const handoffReason = z.enum([
  'explicit_request',
  'low_confidence',
  'emotional_distress',
  'vulnerability',
  'repeated_failure',
  'sensitive_topic',
  'guardrail',
  'tool_requested',
]);

const turnSchema = z
  .object({
    customer: z.string().min(1),
    signals: z
      .object({
        retrievalConfidence: z.number().min(0).max(1).optional(),
        intentConfidence: z.number().min(0).max(1).optional(),
        groundedness: z.number().min(0).max(1).optional(),
      })
      .strict()
      .optional(),
    expect: z
      .object({
        outcome: z.enum(['answer', 'refuse', 'handoff']),
        reason: handoffReason.optional(),
        rule: z.string().optional(),
        priority: z.enum(['low', 'normal', 'high', 'urgent']).optional(),
      })
      .strict(),
    assistant: z
      .object({ text: z.string(), outcome: z.enum(['answer', 'refusal', 'handoff']) })
      .strict()
      .optional(),
  })
  .strict();

export const conversationsSchema = z
  .object({
    conversations: z.array(z.object({ id: z.string(), turns: z.array(turnSchema).min(1) }).strict()).min(1),
  })
  .strict();
export type Conversation = z.infer<typeof conversationsSchema>['conversations'][number];

/** Reads and validates the conversation suite data. */
export function loadConversations(): Conversation[] {
  const parsed = conversationsSchema.safeParse(
    parse(readFileSync(new URL('./conversations.yaml', import.meta.url), 'utf8')),
  );
  if (!parsed.success)
    throw new Error(`evals/handoff/conversations.yaml is invalid: ${z.prettifyError(parsed.error)}`);
  return parsed.data.conversations;
}

export interface TurnOutcome {
  readonly conversationId: string;
  readonly turn: number;
  readonly customer: string;
  readonly expected: Conversation['turns'][number]['expect'];
  readonly outcome: 'answer' | 'refuse' | 'handoff';
  readonly rule?: string;
  readonly handoff?: HandoffDecision;
  readonly passed: boolean;
}

/** Replays one conversation; each turn sees the previous customer turns and recorded replies as history. */
export async function replayConversation(
  conversation: Conversation,
  guardrails: Guardrails,
  policies: PolicySet,
): Promise<TurnOutcome[]> {
  const history: StoredMessage[] = [];
  const outcomes: TurnOutcome[] = [];
  for (const [index, turn] of conversation.turns.entries()) {
    const message = new CustomerMessage(turn.customer);
    const rails = await runInputRails(guardrails.input, {
      message,
      history,
      conversationId: conversation.id,
    });
    let outcome: TurnOutcome['outcome'] = 'answer';
    let handoff: HandoffDecision | undefined;
    if (rails.blocked?.action === 'refuse') outcome = 'refuse';
    else {
      handoff = decideHandoff({ message, history, verdicts: rails.verdicts, ...turn.signals }, { policies });
      if (handoff) outcome = 'handoff';
    }
    const expected = turn.expect;
    const passed =
      outcome === expected.outcome &&
      (!expected.reason || handoff?.reason === expected.reason) &&
      (!expected.priority || handoff?.priority === expected.priority) &&
      (!expected.rule || rails.blocked?.rule === expected.rule);
    outcomes.push({
      conversationId: conversation.id,
      turn: index,
      customer: turn.customer,
      expected,
      outcome,
      rule: rails.blocked?.rule,
      handoff,
      passed,
    });
    const createdAt = new Date(Date.UTC(2026, 0, 1, 0, index)).toISOString();
    history.push({
      id: `${conversation.id}-${index}-c`,
      conversationId: conversation.id,
      author: 'customer',
      text: turn.customer,
      createdAt,
    });
    if (turn.assistant) {
      history.push({
        id: `${conversation.id}-${index}-a`,
        conversationId: conversation.id,
        author: 'assistant',
        text: turn.assistant.text,
        createdAt,
        metadata: { outcome: turn.assistant.outcome },
      });
    }
  }
  return outcomes;
}
