/**
 * Scope suite: is banking treated as banking, by Teller built as `npm start` builds it? Every
 * message is one turn of a fresh conversation through the real routes and pipeline.
 *
 * - `false_refusal.<set>`: banking and banking-adjacent questions refused as out of scope, per
 *   dataset (all declared test in models/datasets.yaml): BANKING77 test, DSTC11 NatCS banking,
 *   finance and insurance (the `development` file, which holds insurance, is declared test too).
 * - `handoff_rate.<set>`, `declined_rate.<set>`: the same questions handed to a person, or answered
 *   with an honest "I don't have information on that here", for information.
 * - `oos.recall.clinc150_test`: CLINC150 `oos_test` messages refused as out of scope.
 * - `clarification.flow_accuracy`: the flows in evals/clarification/flows.yaml (declared dev),
 *   judged turn by turn; `clarification.chosen_accuracy`: replies picking an offered topic that get
 *   that topic's answer.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { createRandom } from '../../src/common/seeded-random.js';
import { readBanking77Csv } from '../../src/training/dataset-mapping.js';
import { readClinc150 } from '../../src/training/public-datasets.js';
import { readDstc11Utterances } from '../../src/training/router-training-data.js';
import { datasetPath, projectRoot } from '../framework/datasets.js';
import type { TurnResponse } from '../framework/http-target.js';
import { openTellerHarness, redactForReport } from '../framework/teller-harness.js';
import type { EvalSuite, SuiteFailure, SuiteTable } from '../framework/types.js';

const turnSchema = z.union([
  z
    .object({ text: z.string().min(1), expect: z.enum(['clarify', 'decline', 'not_person', 'handoff']) })
    .strict(),
  z
    .object({
      choose: z.number().int().min(1).max(3).optional(),
      choose_title: z.number().int().min(1).max(3).optional(),
      expect: z.enum(['chosen', 'handoff', 'not_person']),
    })
    .strict()
    .refine((turn) => (turn.choose === undefined) !== (turn.choose_title === undefined), {
      message: 'a reply sets exactly one of choose and choose_title',
    }),
]);
const flowsSchema = z.object({
  version: z.literal(1),
  flows: z.array(z.object({ id: z.string().min(1), turns: z.array(turnSchema).min(1) }).strict()).min(10),
});
type FlowTurn = z.infer<typeof turnSchema>;

const ORDINAL_WORDS = ['the first one', 'the second one', 'the third one'] as const;

/** The topics a clarifying question offered, in order, read from its quoted titles. */
export function offeredTitles(text: string): string[] {
  if (!/\bIs your question about\b/.test(text)) return [];
  return [...text.matchAll(/"([^"]+)"/g)].map((match) => match[1]!);
}

const isScopeRefusal = (response: TurnResponse) =>
  response.outcome === 'refusal' && response.rules.some((rule) => rule.startsWith('out_of_scope'));
const isDecline = (response: TurnResponse) =>
  response.outcome === 'answer' && /\bI don't have information on\b/.test(response.text);

function sampleOf(texts: readonly string[], count: number, seed: number): string[] {
  return createRandom(seed)
    .shuffle([...texts])
    .slice(0, count);
}

export const suite: EvalSuite = {
  name: 'scope',
  description:
    'Banking questions are never refused as out of scope; non-banking ones are; unsure turns ask before a person is called.',
  async run(context) {
    const perSet = context.fast ? 40 : 400;
    const sets: Array<{ name: string; texts: string[]; expectRefusal: boolean }> = [];
    const banking77 = datasetPath(context.datasetsDir, 'banking77');
    if (banking77)
      sets.push({
        name: 'banking77_test',
        texts: sampleOf(
          readBanking77Csv(join(banking77, 'test.csv')).map((row) => row.text),
          perSet,
          context.seed,
        ),
        expectRefusal: false,
      });
    const dstc11 = datasetPath(context.datasetsDir, 'dstc11_natcs_banking_finance_intents');
    if (dstc11)
      for (const [name, file] of [
        ['dstc11_banking', 'test-banking'],
        ['dstc11_finance', 'test-finance'],
        ['dstc11_insurance', 'development'],
      ] as const)
        sets.push({
          name,
          texts: sampleOf(
            readDstc11Utterances(join(dstc11, file, 'test-utterances.jsonl')).map((row) => row.text),
            perSet,
            context.seed,
          ),
          expectRefusal: false,
        });
    const clinc = datasetPath(context.datasetsDir, 'clinc150_oos');
    if (clinc)
      sets.push({
        name: 'clinc150_oos_test',
        texts: sampleOf(
          (readClinc150(clinc).splits.oos_test ?? []).map(([text]) => text),
          perSet,
          context.seed,
        ),
        expectRefusal: true,
      });
    const flows = flowsSchema.parse(
      parseYaml(readFileSync(resolve(projectRoot, 'evals', 'clarification', 'flows.yaml'), 'utf8')),
    ).flows;

    const harness = await openTellerHarness(context);
    const customer = harness.customer('c_123');
    const failures: SuiteFailure[] = [];
    const metrics: Record<string, number> = {};
    const rows: Array<Array<string | number>> = [];
    const total = sets.reduce((sum, set) => sum + set.texts.length, 0) + flows.length;
    let done = 0;
    try {
      for (const set of sets) {
        let refused = 0;
        let handedOff = 0;
        let declined = 0;
        for (const [index, text] of set.texts.entries()) {
          const response = await customer.send(await customer.startConversation(), text);
          const refusal = isScopeRefusal(response);
          if (refusal) refused += 1;
          if (response.outcome === 'handoff') handedOff += 1;
          if (isDecline(response)) declined += 1;
          if (refusal !== set.expectRefusal && failures.length < 120)
            failures.push({
              id: `${set.name}-${index}`,
              input: redactForReport(text),
              expected: set.expectRefusal ? 'out-of-scope refusal' : 'no out-of-scope refusal',
              actual: `${response.outcome} ${response.rules.join(',')}`,
            });
          done += 1;
          context.progress(done, total);
        }
        const n = Math.max(1, set.texts.length);
        if (set.expectRefusal) metrics['oos.recall.clinc150_test'] = refused / n;
        else {
          metrics[`false_refusal.${set.name}`] = refused / n;
          metrics[`handoff_rate.${set.name}`] = handedOff / n;
          metrics[`declined_rate.${set.name}`] = declined / n;
        }
        rows.push([set.name, set.texts.length, refused / n, handedOff / n, declined / n]);
      }

      let turnsRight = 0;
      let turnsJudged = 0;
      let chosenRight = 0;
      let chosenJudged = 0;
      for (const flow of flows) {
        const conversation = await customer.startConversation();
        let offered: string[] = [];
        for (const [index, turn] of flow.turns.entries()) {
          const { text, wanted } = replyFor(turn, offered);
          if (text === undefined) {
            // The previous turn offered no topics to choose from: the flow already failed there.
            turnsJudged += 1;
            if (turn.expect === 'chosen') chosenJudged += 1;
            failures.push({
              id: `flow-${flow.id}-${index}`,
              expected: turn.expect,
              actual: 'nothing offered',
            });
            continue;
          }
          const response = await customer.send(conversation, text);
          const right = judge(turn.expect, response, wanted);
          turnsJudged += 1;
          if (right) turnsRight += 1;
          if (turn.expect === 'chosen') {
            chosenJudged += 1;
            if (right) chosenRight += 1;
          }
          if (!right)
            failures.push({
              id: `flow-${flow.id}-${index}`,
              input: redactForReport(text),
              expected: wanted ? `${turn.expect} (${wanted})` : turn.expect,
              actual: `${response.outcome} ${response.rules.join(',')} ${redactForReport(response.text.slice(0, 160))}`,
            });
          offered = offeredTitles(response.text);
        }
        done += 1;
        context.progress(done, total);
      }
      metrics['clarification.flow_accuracy'] = turnsRight / Math.max(1, turnsJudged);
      if (chosenJudged > 0) metrics['clarification.chosen_accuracy'] = chosenRight / chosenJudged;
    } finally {
      await harness.close();
    }
    const tables: SuiteTable[] = [
      {
        title: 'scope decisions per dataset (share of messages)',
        columns: ['set', 'n', 'refused as out of scope', 'handed off', 'declined with a referral'],
        rows,
      },
    ];
    return {
      metrics,
      failures,
      tables,
      provenance: {
        sets: sets.map((set) => `${set.name} ${set.texts.length}`).join(', '),
        roles: 'all test in models/datasets.yaml; DSTC11 insurance is the development file, declared test',
        flows: `${flows.length} (evals/clarification/flows.yaml, dev)`,
        target: harness.mode,
      },
    };
  },
};

/** The message a flow turn sends, and for a choice the title it must get the answer of. */
function replyFor(turn: FlowTurn, offered: readonly string[]): { text?: string; wanted?: string } {
  if ('text' in turn) return { text: turn.text };
  const position = (turn.choose ?? turn.choose_title)! - 1;
  const title = offered[position];
  if (title === undefined) return {};
  return turn.choose !== undefined
    ? { text: ORDINAL_WORDS[position]!, wanted: title }
    : { text: title.toLowerCase(), wanted: title };
}

function judge(expect: FlowTurn['expect'], response: TurnResponse, wanted: string | undefined): boolean {
  switch (expect) {
    case 'clarify':
      return response.outcome === 'answer' && offeredTitles(response.text).length >= 2;
    case 'decline':
      return isDecline(response);
    case 'not_person':
      return response.outcome !== 'handoff' && !isScopeRefusal(response);
    case 'handoff':
      return response.outcome === 'handoff';
    case 'chosen':
      return (
        response.outcome === 'answer' &&
        response.citations.some((citation) => (citation as { title?: unknown }).title === wanted)
      );
  }
}
