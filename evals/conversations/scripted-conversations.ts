/**
 * Scripted multi-turn conversations with an expected pipeline outcome per turn: Teller's own set
 * (`conversations.yaml`) and the rail-level handoff set (`evals/handoff/conversations.yaml`)
 * mapped onto what the whole pipeline returns. Each conversation runs against a harness and is
 * judged turn by turn.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { TurnResponse } from '../framework/http-target.js';
import { DEMO_CUSTOMERS, redactForReport, type TellerHarness } from '../framework/teller-harness.js';
import type { SuiteFailure } from '../framework/types.js';
import { loadConversations as loadRailConversations } from '../handoff/conversations.js';

const outcomeSchema = z.enum(['answer', 'refusal', 'handoff', 'agent_pending', 'confirmation_required']);
export type PipelineOutcome = z.infer<typeof outcomeSchema>;
const oneOrMany = <T extends z.ZodTypeAny>(schema: T) =>
  z.union([schema, z.array(schema).min(1)]).transform((value) => (Array.isArray(value) ? value : [value]));

const expectationSchema = z
  .object({
    outcome: oneOrMany(outcomeSchema),
    reason: oneOrMany(z.string()).optional(),
    priority: z.enum(['low', 'normal', 'high', 'urgent']).optional(),
    tool: z
      .string()
      .regex(/^[a-z_]+:[a-z_]+$/)
      .optional(),
    contains: z.array(z.string()).default([]),
    cite: z.string().optional(),
    rule: z.string().optional(),
  })
  .strict();
export type TurnExpectation = z.infer<typeof expectationSchema>;

const conversationSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    category: z.string(),
    customer: z.enum(DEMO_CUSTOMERS),
    stepUp: z.boolean().default(false),
    turns: z.array(z.object({ say: z.string().min(1), expect: expectationSchema }).strict()).min(1),
    cards_after: z.record(z.string(), z.record(z.string(), z.string())).default({}),
    known_issue: z.string().optional(),
  })
  .strict();
export type ScriptedConversation = z.infer<typeof conversationSchema> & { readonly source: 'own' | 'replay' };

/** Reads Teller's own conversation set. */
export function loadScriptedConversations(
  path = new URL('./conversations.yaml', import.meta.url),
): ScriptedConversation[] {
  const parsed = z
    .object({ conversations: z.array(conversationSchema).min(1) })
    .strict()
    .safeParse(parseYaml(readFileSync(path, 'utf8')));
  if (!parsed.success)
    throw new Error(`evals/conversations/conversations.yaml is invalid: ${z.prettifyError(parsed.error)}`);
  const ids = parsed.data.conversations.map((conversation) => conversation.id);
  const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
  if (duplicate) throw new Error(`evals/conversations/conversations.yaml: duplicate id ${duplicate}`);
  return parsed.data.conversations.map((conversation) => ({ ...conversation, source: 'own' as const }));
}

/**
 * The rail-level handoff set as pipeline conversations: answer → answer, refuse → refusal (with
 * the rule when given), handoff → handoff (reason, priority). Once a turn is expected to hand
 * off, the pipeline answers every later turn with agent_pending, so those turns expect that.
 * Recorded replies and injected confidence signals cannot be replayed: the pipeline's own
 * replies and measurements stand in for them.
 */
export function railConversationsAsPipeline(): ScriptedConversation[] {
  const knownIssues = z
    .record(z.string(), z.string())
    .parse(parseYaml(readFileSync(new URL('./replay-known-issues.yaml', import.meta.url), 'utf8')) ?? {});
  return loadRailConversations().map((conversation) => {
    let handedOff = false;
    const turns = conversation.turns.map((turn) => {
      if (handedOff) return { say: turn.customer, expect: { outcome: ['agent_pending'], contains: [] } };
      const expected = turn.expect;
      if (expected.outcome === 'handoff') handedOff = true;
      const outcome: PipelineOutcome = expected.outcome === 'refuse' ? 'refusal' : expected.outcome;
      return {
        say: turn.customer,
        expect: {
          outcome: [outcome],
          contains: [],
          ...(expected.reason && { reason: [expected.reason] }),
          ...(expected.priority && { priority: expected.priority }),
          ...(expected.rule && { rule: expected.rule }),
        },
      };
    });
    return {
      id: `handoff-${conversation.id}`,
      category: `replay.${conversation.id.split('-')[0]}`,
      customer: 'c_123' as const,
      stepUp: false,
      turns: turns as ScriptedConversation['turns'],
      cards_after: {},
      ...(knownIssues[`handoff-${conversation.id}`] && {
        known_issue: knownIssues[`handoff-${conversation.id}`],
      }),
      source: 'replay' as const,
    };
  });
}

/** One judged turn. */
export interface JudgedTurn {
  readonly conversationId: string;
  readonly source: 'own' | 'replay';
  readonly expected: TurnExpectation;
  readonly outcome: PipelineOutcome;
  readonly handoffReason?: string;
  readonly passed: boolean;
}

export interface ConversationRun {
  readonly turns: readonly JudgedTurn[];
  readonly passed: boolean;
  readonly failures: readonly SuiteFailure[];
  readonly citedVersions: readonly string[];
}

function handoffOf(turn: TurnResponse): { reason?: string; priority?: string } {
  const handoff = (turn as { handoff?: { reason?: unknown; priority?: unknown } }).handoff;
  return {
    ...(typeof handoff?.reason === 'string' && { reason: handoff.reason }),
    ...(typeof handoff?.priority === 'string' && { priority: handoff.priority }),
  };
}

/** What is wrong with a reply, given what was expected (empty when it is right). */
export function turnProblems(expected: TurnExpectation, reply: TurnResponse): string[] {
  const handoff = handoffOf(reply);
  const problems: string[] = [];
  if (!expected.outcome.includes(reply.outcome)) problems.push('outcome');
  if (expected.reason && reply.outcome === 'handoff' && !expected.reason.includes(handoff.reason ?? ''))
    problems.push('handoff reason');
  if (expected.priority && reply.outcome === 'handoff' && expected.priority !== handoff.priority)
    problems.push('handoff priority');
  if (expected.tool && !reply.tools.some((tool) => `${tool.tool}:${tool.status}` === expected.tool))
    problems.push('tool');
  const text = reply.text.toLowerCase();
  for (const fragment of expected.contains)
    if (!text.includes(fragment.toLowerCase())) problems.push(`missing "${fragment}"`);
  if (expected.cite && !reply.citations.some((citation) => citation.documentId === expected.cite))
    problems.push('citation');
  if (expected.rule && !reply.rules.some((rule) => rule.endsWith(`:${expected.rule}`))) problems.push('rule');
  return problems;
}

/** Runs one conversation, judges every turn and puts the demo bank's cards back afterwards. */
export async function runScriptedConversation(
  conversation: ScriptedConversation,
  harness: TellerHarness,
): Promise<ConversationRun> {
  const cardsBefore = DEMO_CUSTOMERS.map((subject) => [subject, harness.cardStates(subject)] as const);
  const session = harness.customer(conversation.customer, { stepUp: conversation.stepUp });
  const conversationId = await session.startConversation();
  const turns: JudgedTurn[] = [];
  const failures: SuiteFailure[] = [];
  const cited = new Set<string>();
  const transcript: string[] = [];
  const note = (what: string) =>
    [what, conversation.known_issue && `known issue: ${conversation.known_issue}`].filter(Boolean).join('; ');

  for (const [index, turn] of conversation.turns.entries()) {
    const reply = await session.send(conversationId, turn.say);
    for (const citation of reply.citations)
      cited.add(
        `${citation.documentId}@${String(citation.version ?? harness.documents.get(citation.documentId)?.version ?? '?')}`,
      );
    transcript.push(
      `customer: ${redactForReport(turn.say)}`,
      `teller [${reply.outcome}]: ${redactForReport(reply.text).slice(0, 160)}`,
    );
    const problems = turnProblems(turn.expect, reply);
    const handoff = handoffOf(reply);
    turns.push({
      conversationId: conversation.id,
      source: conversation.source,
      expected: turn.expect,
      outcome: reply.outcome,
      ...(handoff.reason && { handoffReason: handoff.reason }),
      passed: problems.length === 0,
    });
    if (problems.length > 0) {
      failures.push({
        id: `${conversation.id}#${index + 1}`,
        input: redactForReport(turn.say),
        expected: turn.expect,
        actual: {
          outcome: reply.outcome,
          ...handoff,
          tools: reply.tools.map((tool) => `${tool.tool}:${tool.status}`),
          rules: reply.rules,
          citations: reply.citations.map((citation) => citation.documentId),
          transcript: [...transcript],
        },
        note: note(problems.join(', ')),
      });
    }
  }

  let cardsRight = true;
  for (const [subject, expected] of Object.entries(conversation.cards_after)) {
    const actual = harness.cardStates(subject);
    if (!actual) continue;
    const wrong = Object.entries(expected).filter(([last4, state]) => actual[last4] !== state);
    if (wrong.length > 0) {
      cardsRight = false;
      failures.push({
        id: conversation.id,
        input: conversation.turns.map((turn) => redactForReport(turn.say)).join(' / '),
        expected: { [subject]: expected },
        actual: { [subject]: actual },
        note: note('card states after the conversation'),
      });
    }
  }
  for (const [subject, states] of cardsBefore) harness.restoreCardStates(subject, states);
  return {
    turns,
    passed: cardsRight && turns.every((turn) => turn.passed),
    failures,
    citedVersions: [...cited],
  };
}
