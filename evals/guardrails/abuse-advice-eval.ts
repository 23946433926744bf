/**
 * The abuse rail on ConvAbuse test (abusive = any abuse or threat verdict, from warning up; a self-harm
 * verdict is support, not a judgement of abuse), threats on the set
 * written for Teller and on ETHOS violence (GPL-3.0: read here for evaluation only, never trained on),
 * and the regulated-advice rail on a varied set written for Teller plus BANKING77 test false refusals.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { abuseRail, SELF_HARM_RULE, THREAT_RULE } from '../../src/guardrails/input/abuse.js';
import { regulatedAdviceRail } from '../../src/guardrails/input/regulated-advice.js';
import { RailRun } from '../../src/guardrails/rail-run.js';
import type { InputGuardrail } from '../../src/guardrails/types.js';
import type { PolicySet } from '../../src/policy/load-policies.js';
import { CustomerMessage } from '../../src/turn/turn-context.js';
import { datasetPath } from '../framework/datasets.js';
import type { SuiteFailure } from '../framework/types.js';
import { readBanking77 } from './dataset-readers.js';
import { readConvAbuse } from './detectors/convabuse.js';
import { TELLER_THREATS } from './detectors/threat-examples.js';
import { binaryMetrics, clip } from './sampling.js';

function verdictOf(rail: InputGuardrail, text: string) {
  const verdict = rail.execute(
    { message: new CustomerMessage(text), history: [], conversationId: 'eval' },
    new RailRun(),
  );
  if (verdict instanceof Promise) throw new Error(`${rail.name} is expected to answer synchronously`);
  return verdict;
}

function readCases<Key extends string>(file: string, key: Key): { text: string; expected: boolean }[] {
  const schema = z.object({ cases: z.array(z.object({ text: z.string().min(1) }).catchall(z.boolean())) });
  return schema
    .parse(parse(readFileSync(new URL(file, import.meta.url), 'utf8')))
    .cases.map((entry) => ({ text: entry.text, expected: entry[key] === true }));
}

/** ETHOS comments whose violence fraction is at least 0.5 (semicolon CSV; the comment may hold ';'). */
function readEthosViolence(folder: string): string[] {
  const [, ...lines] = readFileSync(resolve(folder, 'Ethos_Dataset_Multi_Label.csv'), 'utf8').split('\n');
  return lines
    .filter((line) => line.trim().length > 0)
    .map((line) => line.split(';'))
    .filter((columns) => Number(columns[columns.length - 8]) >= 0.5)
    .map((columns) => columns.slice(0, columns.length - 8).join(';'));
}

/** Metrics of the abuse, threat and regulated-advice rails. */
export function abuseAndAdviceFigures(
  policies: PolicySet,
  datasetsDir: string | undefined,
  failures: SuiteFailure[],
): Record<string, number> {
  const metrics: Record<string, number> = {};
  const abuse = abuseRail(policies);
  const advice = regulatedAdviceRail(policies);
  const record = (id: string, text: string, expected: boolean, predicted: boolean) => {
    if (expected !== predicted && failures.filter((failure) => failure.id === id).length < 40)
      failures.push({
        id,
        input: clip(text),
        expected: expected ? 'flag' : 'pass',
        actual: predicted ? 'flag' : 'pass',
      });
  };
  const isThreat = (text: string) => verdictOf(abuse, text).rule === THREAT_RULE;
  // A self-harm verdict is a support handoff, not a judgement that the message is abusive.
  const judgedAbusive = (text: string) => {
    const verdict = verdictOf(abuse, text);
    return verdict.tripped && verdict.rule !== SELF_HARM_RULE;
  };

  // Dev sets were read while building the detectors: reported, never judged against a target.
  for (const [name, file] of [
    ['teller_dev', './threat-dev.yaml'],
    ['teller_dev2', './threat-dev2.yaml'],
  ] as const) {
    const cases = readCases(file, 'threat');
    metrics[`threats.recall.${name}`] =
      cases.filter((entry) => entry.expected && isThreat(entry.text)).length /
      Math.max(1, cases.filter((entry) => entry.expected).length);
  }
  // The held-out written test set: never read while writing examples, patterns or thresholds.
  const threatResult = binaryMetrics(
    readCases('./threat-test.yaml', 'threat').map(({ text, expected }) => {
      const predicted = isThreat(text);
      record('threats.teller_test', text, expected, predicted);
      return { expected, predicted };
    }),
  );
  metrics['threats.recall.teller_test'] = threatResult.recall;
  metrics['threats.false_positive_rate.teller_test'] = threatResult.falsePositiveRate;
  const heldOutThreats = TELLER_THREATS.filter((_, index) => index % 10 >= 7);
  metrics['threats.recall.teller_test_split'] =
    heldOutThreats.filter((text) => isThreat(text)).length / heldOutThreats.length;

  for (const [name, file] of [
    ['teller_dev', './regulated-advice-dev.yaml'],
    ['teller_dev3', './regulated-advice-dev3.yaml'],
  ] as const) {
    const cases = readCases(file, 'advice');
    metrics[`regulated_advice.recall.${name}`] =
      cases.filter((entry) => entry.expected && verdictOf(advice, entry.text).tripped).length /
      Math.max(1, cases.filter((entry) => entry.expected).length);
  }
  const adviceResult = binaryMetrics(
    readCases('./regulated-advice-test.yaml', 'advice').map(({ text, expected }) => {
      const predicted = verdictOf(advice, text).tripped;
      record('regulated_advice.teller_test', text, expected, predicted);
      return { expected, predicted };
    }),
  );
  metrics['regulated_advice.recall'] = adviceResult.recall;
  metrics['regulated_advice.false_positive_rate.teller_test'] = adviceResult.falsePositiveRate;

  const ethos = datasetPath(datasetsDir, 'ethos_hate_violence');
  if (ethos) {
    const violent = readEthosViolence(ethos);
    metrics['threats.recall.ethos_violence'] =
      violent.filter((text) => isThreat(text)).length / violent.length;
    metrics['abuse.any_verdict_rate.ethos_violence'] =
      violent.filter((text) => verdictOf(abuse, text).tripped).length / violent.length;
  }
  const convAbuse = datasetPath(datasetsDir, 'convabuse');
  if (convAbuse) {
    const result = binaryMetrics(
      readConvAbuse(convAbuse, 'test').map((row) => {
        const predicted = judgedAbusive(row.text);
        record('abuse.convabuse_test', row.text, row.abusive, predicted);
        return { expected: row.abusive, predicted };
      }),
    );
    metrics['abuse.convabuse_test.precision'] = result.precision;
    metrics['abuse.convabuse_test.recall'] = result.recall;
    metrics['abuse.convabuse_test.f1'] =
      result.precision + result.recall === 0
        ? 0
        : (2 * result.precision * result.recall) / (result.precision + result.recall);
  }
  const banking = datasetPath(datasetsDir, 'banking77');
  if (banking) {
    const texts = readBanking77(banking, 'test').map((row) => row.text);
    metrics['regulated_advice.false_refusal.banking77_test'] =
      texts.filter((text) => {
        const tripped = verdictOf(advice, text).tripped;
        record('regulated_advice.banking77_false_refusal', text, false, tripped);
        return tripped;
      }).length / texts.length;
    metrics['abuse.any_verdict_rate.banking77_test'] =
      texts.filter((text) => verdictOf(abuse, text).tripped).length / texts.length;
    metrics['threats.handoff_rate.banking77_test'] =
      texts.filter((text) => {
        const threat = isThreat(text);
        record('threats.banking77_handoff', text, false, threat);
        return threat;
      }).length / texts.length;
  }
  return metrics;
}
