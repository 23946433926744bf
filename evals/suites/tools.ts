/**
 * Tools suite: scripted conversations (`evals/tools/conversations.yaml`) run through the intent
 * router and the account tools on a fresh seeded demo bank each, with no model. Each customer
 * message goes the way the pipeline sends it: a pending confirmation is resolved first, otherwise
 * the message is routed and mapped to a tool call. `call` turns play a model's (malicious) call.
 *
 * Metrics:
 * - `tool_accuracy`: turns whose tool choice (or "no tool" / intent) is as expected.
 * - `argument_accuracy`: expected argument values found exactly in the call (per argument).
 * - `fact_accuracy`: expected fact substrings present in the outcome (per fact).
 * - `status_accuracy`: turns whose outcome status / resolution / refusal reason is as expected.
 * - `attacks_refused`: attack conversations where every expectation held, no forbidden string
 *   (another customer's data) appeared anywhere and no other customer's card changed. Must be 1.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { RouteResult } from '../../src/routing/intent-router.js';
import { createShippedIntentRouter } from '../../src/routing/shipped-router.js';
import { createToolHarness } from '../../src/testing/tool-harness.js';
import { handoffRequestOf } from '../../src/tools/define-tool.js';
import { executeToolCall, resolvePendingAction } from '../../src/tools/registry.js';
import { routeToToolCall } from '../../src/tools/to-tool-call.js';
import type { ToolOutcome } from '../../src/turn/types.js';
import { projectRoot } from '../framework/datasets.js';
import type { EvalSuite, SuiteFailure } from '../framework/types.js';

const SEED_DATE = '2026-05-20';

const expectationSchema = z
  .object({
    intent: z.string().optional(),
    tool: z.string().nullable().optional(),
    arguments: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    status: z.enum(['ok', 'refused', 'needs_confirmation', 'error', 'needs_information']).optional(),
    resolution: z.enum(['executed', 'declined', 'refused']).optional(),
    refusal: z.string().optional(),
    facts: z.array(z.string()).optional(),
    handoff: z.boolean().optional(),
  })
  .strict();

const turnSchema = z
  .object({
    say: z.string().optional(),
    call: z.object({ name: z.string(), arguments: z.unknown() }).strict().optional(),
    as: z
      .object({ customer: z.string().optional(), conversation: z.string().optional() })
      .strict()
      .optional(),
    usePendingActionId: z.boolean().optional(),
    advanceMinutes: z.number().optional(),
    expect: expectationSchema.optional(),
  })
  .strict()
  .refine(
    (turn) => (turn.say === undefined) !== (turn.call === undefined),
    'a turn has exactly one of say / call',
  );

export const conversationSchema = z
  .object({
    id: z.string(),
    customer: z.string(),
    stepUp: z.boolean().default(false),
    attack: z.boolean().default(false),
    forbidden: z.array(z.string()).default([]),
    turns: z.array(turnSchema).min(1),
  })
  .strict();
export type ScriptedConversation = z.infer<typeof conversationSchema>;

export function loadConversations(
  path = resolve(projectRoot, 'evals', 'tools', 'conversations.yaml'),
): ScriptedConversation[] {
  const conversations = z.array(conversationSchema).parse(parseYaml(readFileSync(path, 'utf8')));
  const ids = new Set<string>();
  for (const conversation of conversations) {
    if (ids.has(conversation.id)) throw new Error(`conversations.yaml: duplicate id ${conversation.id}`);
    ids.add(conversation.id);
  }
  return conversations;
}

interface TurnObservation {
  route?: RouteResult;
  toolCalled: string | null;
  callArguments: Record<string, unknown>;
  status: string;
  resolution?: string;
  outcome?: ToolOutcome;
  text: string;
}

export interface ConversationScore {
  toolChecks: number;
  toolCorrect: number;
  argumentChecks: number;
  argumentCorrect: number;
  factChecks: number;
  factCorrect: number;
  statusChecks: number;
  statusCorrect: number;
  failures: SuiteFailure[];
  passed: boolean;
}

/** Runs one scripted conversation on a fresh demo bank and scores it. */
export async function runConversation(
  conversation: ScriptedConversation,
  router: ReturnType<typeof createShippedIntentRouter>,
): Promise<ConversationScore> {
  const harness = createToolHarness({ today: SEED_DATE });
  const score: ConversationScore = {
    toolChecks: 0,
    toolCorrect: 0,
    argumentChecks: 0,
    argumentCorrect: 0,
    factChecks: 0,
    factCorrect: 0,
    statusChecks: 0,
    statusCorrect: 0,
    failures: [],
    passed: true,
  };
  const customers = ['c_123', 'c_456', 'c_789', 'c_999'];
  const cardsBefore = new Map<string, string>();
  for (const customer of customers)
    cardsBefore.set(customer, JSON.stringify(await harness.bank.listCards(customer)));
  const visible: string[] = [];
  let lastPendingActionId: string | undefined;

  for (const [index, turn] of conversation.turns.entries()) {
    if (turn.advanceMinutes) harness.advance(turn.advanceMinutes * 60_000);
    const customer = turn.as?.customer ?? conversation.customer;
    const context = harness.contextFor(customer, turn.as?.conversation ?? `conv_${conversation.id}`, {
      stepUp: conversation.stepUp,
    });
    const auditStart = harness.auditEvents.length;
    const observed: TurnObservation = {
      toolCalled: null,
      callArguments: {},
      status: 'none',
      text: turn.say ?? '',
    };
    if (turn.call) {
      observed.toolCalled = turn.call.name;
      observed.callArguments = (turn.call.arguments ?? {}) as Record<string, unknown>;
      observed.outcome = await executeToolCall(turn.call, context, harness.registry);
    } else {
      const resolution = await resolvePendingAction(
        {
          text: turn.say!,
          ...(turn.usePendingActionId && lastPendingActionId ? { actionId: lastPendingActionId } : {}),
        },
        context,
        harness.registry,
      );
      if (resolution.kind !== 'none') {
        observed.resolution = resolution.kind;
        observed.outcome = resolution.outcome;
      } else {
        observed.route = router.route(turn.say!);
        const routed = routeToToolCall(observed.route, harness.registry);
        if (routed.kind === 'call') {
          observed.toolCalled = routed.call.name;
          observed.callArguments = routed.call.arguments;
          observed.outcome = await executeToolCall(routed.call, context, harness.registry);
        } else if (routed.kind === 'needs_information') {
          observed.toolCalled = routed.tool;
          observed.status = 'needs_information';
        }
      }
    }
    if (observed.outcome) {
      observed.status = observed.outcome.status;
      visible.push(JSON.stringify(observed.outcome));
      const pending = (observed.outcome.data as { pendingActionId?: string } | undefined)?.pendingActionId;
      if (pending) lastPendingActionId = pending;
    }

    const expect = turn.expect;
    if (!expect) continue;
    const fail = (what: string, expected: unknown, actual: unknown) => {
      score.passed = false;
      score.failures.push({
        id: `${conversation.id}#${index + 1}`,
        input: turn.say ?? JSON.stringify(turn.call),
        expected,
        actual,
        note: what,
      });
    };
    if (expect.tool !== undefined || expect.intent !== undefined) {
      score.toolChecks += 1;
      const toolOk = expect.tool === undefined || expect.tool === observed.toolCalled;
      const intentOk = expect.intent === undefined || expect.intent === observed.route?.intent;
      if (toolOk && intentOk) score.toolCorrect += 1;
      else
        fail(
          'tool',
          { tool: expect.tool, intent: expect.intent },
          { tool: observed.toolCalled, intent: observed.route?.intent },
        );
    }
    for (const [key, value] of Object.entries(expect.arguments ?? {})) {
      score.argumentChecks += 1;
      if (observed.callArguments[key] === value) score.argumentCorrect += 1;
      else fail(`argument ${key}`, value, observed.callArguments[key]);
    }
    const factText = [...(observed.outcome?.facts ?? []), observed.outcome?.message ?? ''].join('\n');
    for (const fact of expect.facts ?? []) {
      score.factChecks += 1;
      if (factText.includes(fact)) score.factCorrect += 1;
      else fail('fact', fact, factText);
    }
    if (expect.status || expect.resolution || expect.refusal || expect.handoff !== undefined) {
      score.statusChecks += 1;
      const refusals = harness.auditEvents.slice(auditStart).filter((event) => event.type === 'tool.refused');
      const statusOk = !expect.status || expect.status === observed.status;
      const resolutionOk = !expect.resolution || expect.resolution === observed.resolution;
      const refusalOk = !expect.refusal || refusals.some((event) => event.reason === expect.refusal);
      const handoffOk =
        expect.handoff === undefined ||
        expect.handoff === (observed.outcome ? handoffRequestOf(observed.outcome) !== undefined : false);
      if (statusOk && resolutionOk && refusalOk && handoffOk) score.statusCorrect += 1;
      else {
        fail(
          'status',
          {
            status: expect.status,
            resolution: expect.resolution,
            refusal: expect.refusal,
            handoff: expect.handoff,
          },
          {
            status: observed.status,
            resolution: observed.resolution,
            refusals: refusals.map((event) => event.reason),
          },
        );
      }
    }
  }

  const everything = visible.join('\n');
  for (const secret of conversation.forbidden) {
    if (everything.includes(secret)) {
      score.passed = false;
      score.failures.push({
        id: conversation.id,
        expected: `no "${secret}"`,
        actual: 'leaked',
        note: 'forbidden data visible',
      });
    }
  }
  for (const other of customers.filter((customer) => customer !== conversation.customer)) {
    if (JSON.stringify(await harness.bank.listCards(other)) !== cardsBefore.get(other)) {
      score.passed = false;
      score.failures.push({
        id: conversation.id,
        expected: 'unchanged',
        actual: `cards of ${other} changed`,
        note: 'cross-customer change',
      });
    }
  }
  return score;
}

export const suite: EvalSuite = {
  name: 'tools',
  description:
    'Scripted account conversations through the offline router and the tools on the demo bank (no model).',
  async run(context) {
    const conversations = loadConversations();
    const router = createShippedIntentRouter({ now: () => new Date(`${SEED_DATE}T12:00:00Z`) });
    const totals = {
      toolChecks: 0,
      toolCorrect: 0,
      argumentChecks: 0,
      argumentCorrect: 0,
      factChecks: 0,
      factCorrect: 0,
      statusChecks: 0,
      statusCorrect: 0,
    };
    const failures: SuiteFailure[] = [];
    let attacks = 0;
    let attacksRefused = 0;
    let passed = 0;
    for (const [index, conversation] of conversations.entries()) {
      const score = await runConversation(conversation, router);
      for (const key of Object.keys(totals) as Array<keyof typeof totals>) totals[key] += score[key];
      failures.push(...score.failures);
      if (score.passed) passed += 1;
      if (conversation.attack) {
        attacks += 1;
        if (score.passed) attacksRefused += 1;
      }
      context.progress(index + 1, conversations.length);
    }
    const ratio = (correct: number, total: number) => (total === 0 ? 1 : correct / total);
    return {
      metrics: {
        tool_accuracy: ratio(totals.toolCorrect, totals.toolChecks),
        argument_accuracy: ratio(totals.argumentCorrect, totals.argumentChecks),
        fact_accuracy: ratio(totals.factCorrect, totals.factChecks),
        status_accuracy: ratio(totals.statusCorrect, totals.statusChecks),
        conversations_passed: ratio(passed, conversations.length),
        attacks_refused: ratio(attacksRefused, attacks),
      },
      failures,
      tables: [
        {
          title: 'Scripted conversations',
          columns: [
            'conversations',
            'attacks',
            'tool checks',
            'argument checks',
            'fact checks',
            'status checks',
          ],
          rows: [
            [
              conversations.length,
              attacks,
              totals.toolChecks,
              totals.argumentChecks,
              totals.factChecks,
              totals.statusChecks,
            ],
          ],
        },
      ],
      provenance: { conversations: 'evals/tools/conversations.yaml', bankSeedDate: SEED_DATE },
    };
  },
};
