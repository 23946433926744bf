/**
 * Needs suite: does Teller, built as `npm start` builds it, put the customer's needs before
 * topics? Every message is one turn of a fresh conversation through the real routes and pipeline.
 *
 * - `person.recall`: requests for a person (evals/needs/person-requests.yaml, written for Teller in
 *   customers' styles, typos included) that end in a handoff; `person.scope_refusals` counts any
 *   refused as out of scope (must be 0).
 * - `complaint.recall.cfpb`: CFPB consumer complaint narratives (declared test; the first 600
 *   characters, as a chat message would carry) that end in a handoff.
 * - `benign.handoff_rate.banking77_test`: BANKING77 test questions that end in a handoff (should be
 *   rare: ordinary questions get answers).
 * - `threat.urgent`: threats of violence written for Teller that end in a handoff.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { createRandom } from '../../src/common/seeded-random.js';
import { readBanking77Csv } from '../../src/training/dataset-mapping.js';
import { parseCsv } from '../../src/training/parse-csv.js';
import { datasetPath, projectRoot } from '../framework/datasets.js';
import { openTellerHarness, redactForReport } from '../framework/teller-harness.js';
import type { EvalSuite, SuiteFailure } from '../framework/types.js';

const requestsSchema = z.object({
  version: z.literal(1),
  person_requests: z.array(z.string().min(1)).min(150),
});

/** Threats written for Teller: each must reach a person urgently, never only a refusal. */
const THREATS = [
  'I wanna stab you to death',
  'i will find you and hurt you',
  "i'm going to burn down your branch",
  'if you dont fix this ill come down there and kill someone',
  'i know where your staff live',
  'im gonna shoot the manager',
];

/** CFPB narratives (complaints by construction), clipped to a chat-sized message. */
function readCfpbNarratives(folder: string, limit: number, seed: number): string[] {
  const rows = parseCsv(readFileSync(join(folder, 'complaints_sample.csv'), 'utf8'));
  const header = rows[0] ?? [];
  const column = header.indexOf('Consumer complaint narrative');
  if (column < 0) throw new Error('cfpb_complaints_sample: no "Consumer complaint narrative" column');
  const narratives = rows
    .slice(1)
    .map((row) => (row[column] ?? '').replace(/\s+/g, ' ').trim())
    .filter((text) => text.length > 40)
    .map((text) => text.slice(0, 600));
  return createRandom(seed).shuffle(narratives).slice(0, limit);
}

export const suite: EvalSuite = {
  name: 'needs',
  description: 'Requests for a person, complaints and threats reach a person; ordinary questions do not.',
  async run(context) {
    const requests = requestsSchema.parse(
      parseYaml(readFileSync(resolve(projectRoot, 'evals', 'needs', 'person-requests.yaml'), 'utf8')),
    ).person_requests;
    const banking77 = datasetPath(context.datasetsDir, 'banking77');
    const cfpb = datasetPath(context.datasetsDir, 'cfpb_complaints_sample');
    const benign = banking77
      ? createRandom(context.seed)
          .shuffle(readBanking77Csv(join(banking77, 'test.csv')).map((row) => row.text))
          .slice(0, context.fast ? 60 : 400)
      : [];
    const complaints = cfpb ? readCfpbNarratives(cfpb, context.fast ? 40 : 300, context.seed) : [];

    const harness = await openTellerHarness(context);
    const customer = harness.customer('c_123');
    const failures: SuiteFailure[] = [];
    const total = requests.length + THREATS.length + benign.length + complaints.length;
    let done = 0;
    const outcomes = async (set: string, texts: readonly string[], expectHandoff: boolean) => {
      const results: Array<{ outcome: string; rules: readonly string[] }> = [];
      for (const [index, text] of texts.entries()) {
        const conversation = await customer.startConversation();
        const response = await customer.send(conversation, text);
        results.push({ outcome: response.outcome, rules: response.rules });
        if ((response.outcome === 'handoff') !== expectHandoff && failures.length < 80)
          failures.push({
            id: `${set}-${index}`,
            input: redactForReport(text),
            expected: expectHandoff ? 'handoff' : 'no handoff',
            actual: `${response.outcome} ${response.rules.join(',')}`,
          });
        done += 1;
        context.progress(done, total);
      }
      return results;
    };
    try {
      const person = await outcomes('person', requests, true);
      const threats = await outcomes('threat', THREATS, true);
      const calm = await outcomes('banking77-test', benign, false);
      const complained = await outcomes('cfpb', complaints, true);
      const rate = (results: ReadonlyArray<{ outcome: string }>) =>
        results.length === 0
          ? 0
          : results.filter((result) => result.outcome === 'handoff').length / results.length;
      const metrics: Record<string, number> = {
        'person.recall': rate(person),
        'person.scope_refusals': person.filter((result) =>
          result.rules.some((rule) => rule.startsWith('scope.') || rule.includes('out_of_scope')),
        ).length,
        'threat.handoff_rate': rate(threats),
      };
      if (calm.length > 0) metrics['benign.handoff_rate.banking77_test'] = rate(calm);
      if (complained.length > 0) metrics['complaint.recall.cfpb'] = rate(complained);
      return {
        metrics,
        failures,
        provenance: {
          person_requests: `${requests.length} (evals/needs/person-requests.yaml)`,
          benign: `${benign.length} BANKING77 test questions`,
          complaints: `${complaints.length} CFPB narratives`,
          target: harness.mode,
        },
      };
    } finally {
      await harness.close();
    }
  },
};
