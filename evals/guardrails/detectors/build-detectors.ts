/**
 * Trains every detector Teller ships under models/detectors/ and describes how: the abuse, threat
 * and regulated-advice models, each with its threshold (the attack model is a step of `npm run train`
 * and only its threshold is recorded here),
 * plus a manifest of data files (with SHA-256), licences, splits, seed and held-out metrics.
 * `scripts/train-detectors.ts` writes what this returns. ETHOS is GPL and never read here.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { declaredFile, loadDatasetDeclarations } from '../../../src/classifier/dataset-declarations.js';
import { createLinearClassifier, type LinearModel } from '../../../src/classifier/linear-classifier.js';
import {
  type TrainingExample,
  trainLinearClassifier,
} from '../../../src/classifier/train-linear-classifier.js';
import { VIOLENCE_CUE } from '../../../src/guardrails/input/abuse.js';
import { datasetPath } from '../../framework/datasets.js';
import { readBanking77 } from '../dataset-readers.js';
import { ABUSE_AT_ASSISTANT, NOT_ABUSE } from './abuse-examples.js';
import {
  ADVICE_REQUESTS,
  ADVICE_REQUESTS_MORE,
  PRODUCT_FACT_QUESTIONS,
  PRODUCT_FACTS_MORE,
} from './advice-examples.js';
import { readConvAbuse } from './convabuse.js';
import { ATTACK_SEED, SHIPPED_THRESHOLD } from './corpus.js';
import { hhRlhfHumanTurns } from './hh-rlhf-turns.js';
import { personRequests } from './person-requests.js';
import { DECLARED_SPLITS } from './splits.js';
import {
  NOT_THREATS,
  TELLER_INCITEMENT,
  TELLER_SELF_HARM,
  TELLER_THREATS,
  TELLER_THREATS_MORE,
  TEMPLATE_CALLS_FOR_HARM,
  TEMPLATE_ERRANDS,
  TEMPLATE_INSTRUCTIONS,
  TEMPLATE_THREATS,
  VIOLENT_WORDS_NOT_THREATS,
} from './threat-examples.js';

/** Licences of the datasets the trainer reads (from each SOURCE.txt). */
const LICENCES: Readonly<Record<string, string>> = {
  deepset_prompt_injections: 'Apache-2.0 (deepset/prompt-injections)',
  purplellama_prompt_injection: 'MIT (Meta CyberSecEval)',
  jailbreakbench_artifacts: 'MIT (JailbreakBench team and artifact authors)',
  jailbreakbench_behaviors: 'MIT (JBB-Behaviors)',
  bipia_indirect_injection: 'MIT (Microsoft BIPIA; e-mails from OpenAI Evals, MIT)',
  notinject_piguard: 'MIT (PIGuard, Hao Li)',
  xstest: 'CC BY 4.0 (Röttger et al. 2024)',
  banking77: 'CC BY 4.0 (PolyAI, Casanueva et al. 2020)',
  dstc11_natcs_banking_finance_intents: 'CDLA-Permissive-2.0 (Amazon NatCS)',
  convabuse: 'CC BY 4.0 (Cercas Curry, Abercrombie, Rieser, EMNLP 2021)',
  hh_rlhf_harmless_test: 'MIT (Anthropic)',
  clinc150_oos: 'CC BY 3.0 (Larson et al. 2019)',
  hwu64_nlu_evaluation: 'CC BY 4.0 (Liu et al. 2019)',
};

export interface BuiltDetectors {
  readonly models: Readonly<Record<'abuse' | 'threat' | 'advice', LinearModel>>;
  readonly manifest: Record<string, unknown>;
}

function hashFolder(folder: string): { path: string; sha256: string }[] {
  const files: string[] = [];
  const walk = (directory: string) => {
    for (const name of readdirSync(directory).sort()) {
      const path = join(directory, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk(folder);
  return files.map((path) => ({
    path: relative(resolve(folder, '..'), path),
    sha256: createHash('sha256').update(readFileSync(path)).digest('hex'),
  }));
}

function indexSplit<T>(items: readonly T[], split: 'train' | 'dev' | 'test'): T[] {
  return items.filter((_, index) => {
    const slot = index % 10;
    return split === 'train' ? slot < 6 : split === 'dev' ? slot === 6 : slot >= 7;
  });
}

/** The best-F1 threshold on labelled dev scores (ties go to the higher threshold). */
function bestF1Threshold(model: LinearModel, rows: readonly { text: string; positive: boolean }[]): number {
  const classifier = createLinearClassifier(model);
  const scored = rows.map((row) => ({ score: classifier.score(row.text), positive: row.positive }));
  let best = { threshold: 0.5, f1: -1 };
  for (let threshold = 0.2; threshold <= 0.9; threshold += 0.025) {
    const truePositive = scored.filter((row) => row.positive && row.score >= threshold).length;
    const predicted = scored.filter((row) => row.score >= threshold).length;
    const actual = scored.filter((row) => row.positive).length;
    const f1 = predicted + actual === 0 ? 0 : (2 * truePositive) / (predicted + actual);
    if (f1 >= best.f1) best = { threshold: Math.round(threshold * 1000) / 1000, f1 };
  }
  return best.threshold;
}

export function abuseDetector(datasetsDir: string) {
  const folder = datasetPath(datasetsDir, 'convabuse');
  if (!folder) throw new Error(`Dataset convabuse missing under ${datasetsDir}`);
  const banking = readBanking77(datasetPath(datasetsDir, 'banking77')!, 'train').filter(
    (_, index) => index % 5 === 0,
  );
  // Annotators often disagree on ConvAbuse; a turn's weight follows their agreement, so a turn one
  // annotator in three called abusive teaches "harmless" only weakly and a unanimous one strongly.
  const examples: TrainingExample[] = readConvAbuse(folder, 'train').map((row) => ({
    text: row.text,
    label: row.abusive ? 1 : 0,
    weight: row.abusive ? 0.5 + row.abusiveShare / 2 : 1 - row.abusiveShare,
  }));
  for (const text of ABUSE_AT_ASSISTANT) examples.push({ text, label: 1 });
  for (const text of NOT_ABUSE) examples.push({ text, label: 0 });
  for (const row of banking) examples.push({ text: row.text, label: 0 });
  const model = trainLinearClassifier(examples, {
    name: 'abuse',
    trainedOn: 'see models/detectors/manifest.json',
    keep: 8000,
    epochs: 15,
    // Stronger than the trainer's default: with weaker regularisation function words ("and", "you")
    // took large weights from short abusive turns, and two-word messages scored as abuse.
    l2: 1e-2,
    seed: ATTACK_SEED,
    positiveWeight: 2,
  });
  const dev = readConvAbuse(folder, 'dev').map((row) => ({ text: row.text, positive: row.abusive }));
  return { model, threshold: bestF1Threshold(model, dev) };
}

/**
 * Mining the unlabelled hh-rlhf pool for violent intent: first customer turns that pair a verb of
 * violence with a person ("how do I hurt my neighbour"). Weak positives for the threat model, in many
 * more phrasings than a hand-written set; the lexicon is general, not drawn from any eval set.
 */
const VIOLENT_INTENT =
  /\b(?:kill|murder|stab|shoot|strangle|poison|beat up|hurt|punch|attack|torture|bomb|burn down|run over|break (?:his|her|their|your) (?:legs|arms|neck|face))\b[^.?!]{0,30}\b(?:him|her|them|someone|somebody|people|my (?:\w+)|a (?:man|woman|person|cop|teacher|neighbou?r|boss)|the (?:\w+)|you)\b/i;

export function mineViolentOpenings(openings: readonly string[]): string[] {
  return openings.filter((text) => text.split(/\s+/).length <= 40 && VIOLENT_INTENT.test(text));
}

/**
 * ConvAbuse is labelled for abuse, not threats: users do tell its bots "I will kill you". Its turns
 * that speak of violence are left out of the threat model's negatives (and its benign dev set) rather
 * than taught as harmless; the rest are rude or plain, never threats.
 */
function convAbuseWithoutViolence(folder: string, split: 'train' | 'dev'): string[] {
  return readConvAbuse(folder, split)
    .map((row) => row.text)
    .filter((text) => !VIOLENCE_CUE.test(text));
}

/** Written dev threats (threat-dev.yaml and threat-dev2.yaml: read, so dev, never test). */
function readThreatDev(): { text: string; threat: boolean }[] {
  const schema = z.object({ cases: z.array(z.object({ text: z.string(), threat: z.boolean() })) });
  return ['threat-dev.yaml', 'threat-dev2.yaml'].flatMap((file) => {
    declaredFile(loadDatasetDeclarations(), 'teller_written', file, 'dev');
    return schema.parse(parse(readFileSync(new URL(`../${file}`, import.meta.url), 'utf8'))).cases;
  });
}

export function threatDetector(datasetsDir: string) {
  const folder = datasetPath(datasetsDir, 'convabuse')!;
  const bankingTrain = readBanking77(datasetPath(datasetsDir, 'banking77')!, 'train');
  const banking = bankingTrain.filter((_, index) => index % 5 === 1);
  const turns = hhRlhfHumanTurns(datasetsDir);
  const mined = mineViolentOpenings(turns);
  // The rest of the pool is harmful-sounding but not violent towards a person: hard negatives.
  const minedSet = new Set(mined);
  const calm = turns.filter((text) => !minedSet.has(text));
  const people = personRequests(datasetsDir);
  const examples: TrainingExample[] = [
    ...indexSplit(TELLER_THREATS, 'train').map((text) => ({ text, label: 1 as const, weight: 6 })),
    ...indexSplit(TELLER_INCITEMENT, 'train').map((text) => ({ text, label: 1 as const, weight: 6 })),
    ...indexSplit(TELLER_THREATS_MORE, 'train').map((text) => ({ text, label: 1 as const, weight: 6 })),
    ...mined.map((text) => ({ text, label: 1 as const, weight: 1 })),
    ...TEMPLATE_THREATS.map((text) => ({ text, label: 1 as const, weight: 0.5 })),
    ...TEMPLATE_CALLS_FOR_HARM.map((text) => ({ text, label: 1 as const, weight: 0.5 })),
    ...TEMPLATE_INSTRUCTIONS.map((text) => ({ text, label: 0 as const, weight: 1 })),
    ...TEMPLATE_ERRANDS.map((text) => ({ text, label: 0 as const, weight: 1 })),
    ...indexSplit(NOT_THREATS, 'train').map((text) => ({ text, label: 0 as const, weight: 3 })),
    ...indexSplit(VIOLENT_WORDS_NOT_THREATS, 'train').map((text) => ({ text, label: 0 as const, weight: 3 })),
    ...calm.map((text) => ({ text, label: 0 as const, weight: 1 })),
    ...TELLER_SELF_HARM.map((text) => ({ text, label: 0 as const, weight: 2 })),
    ...convAbuseWithoutViolence(folder, 'train').map((text) => ({ text, label: 0 as const })),
    ...banking.map((row) => ({ text: row.text, label: 0 as const })),
    ...people.train.map((text) => ({ text, label: 0 as const, weight: 4 })),
  ];
  const model = trainLinearClassifier(examples, {
    name: 'threat',
    trainedOn: 'see models/detectors/manifest.json',
    keep: 6000,
    epochs: 15,
    learningRate: 0.2,
    l2: 1e-4,
    seed: ATTACK_SEED,
    positiveWeight: 2,
  });
  // The threshold is the best F1 on dev among the messages the rail would put to the model (those with
  // the violence cue; a dev threat without it counts as missed): the written dev threats and calls for
  // violence against the benign dev messages. Benign dev: the written dev non-threats, ConvAbuse valid
  // without its violent turns, the dev person requests and the BANKING77 dev rows. A fixed benign rate
  // was tried first; only 16 benign dev messages carry the cue, so that rule sat above the single
  // highest of them and gave up a fifth of the dev threats for it.
  const classifier = createLinearClassifier(model);
  const benignDev = [
    ...indexSplit(NOT_THREATS, 'dev'),
    ...indexSplit(VIOLENT_WORDS_NOT_THREATS, 'dev'),
    ...readThreatDev()
      .filter((entry) => !entry.threat)
      .map((entry) => entry.text),
    ...convAbuseWithoutViolence(folder, 'dev'),
    ...people.dev,
    ...bankingTrain.filter((_, index) => index % 10 === 9).map((row) => row.text),
  ];
  const devThreats = [
    ...indexSplit(TELLER_THREATS, 'dev'),
    ...indexSplit(TELLER_INCITEMENT, 'dev'),
    ...indexSplit(TELLER_THREATS_MORE, 'dev'),
    ...readThreatDev()
      .filter((entry) => entry.threat)
      .map((entry) => entry.text),
  ];
  const gatedScore = (text: string) => (VIOLENCE_CUE.test(text) ? classifier.score(text) : 0);
  const threatScores = devThreats.map(gatedScore);
  const benignScores = benignDev.map(gatedScore).filter((score) => score > 0);
  let best = { threshold: 0.5, f1: -1, recall: 0, falsePositives: 0 };
  for (let step = 4; step <= 36; step += 1) {
    const threshold = step / 40;
    const truePositives = threatScores.filter((score) => score >= threshold).length;
    const falsePositives = benignScores.filter((score) => score >= threshold).length;
    const f1 =
      (2 * truePositives) / (2 * truePositives + falsePositives + (devThreats.length - truePositives));
    if (f1 >= best.f1) best = { threshold, f1, recall: truePositives / devThreats.length, falsePositives };
  }
  const threshold = best.threshold;
  return {
    model,
    threshold,
    minedCount: mined.length,
    personNegatives: people.train.length,
    metrics: {
      'dev.recall.written_threats': Math.round(best.recall * 1000) / 1000,
      'dev.false_positives.benign': best.falsePositives,
      'dev.benign_messages': benignDev.length,
      'dev.benign_messages_with_violence_cue': benignScores.length,
    },
  };
}

function readAdviceDev(): { text: string; positive: boolean }[] {
  const schema = z.object({ cases: z.array(z.object({ text: z.string(), advice: z.boolean() })) });
  // All three were measured and then read: dev only. The test set is regulated-advice-test.yaml.
  return ['regulated-advice-dev.yaml', 'regulated-advice-dev2.yaml', 'regulated-advice-dev3.yaml'].flatMap(
    (file) => {
      declaredFile(loadDatasetDeclarations(), 'teller_written', file, 'dev');
      return schema
        .parse(parse(readFileSync(new URL(`../${file}`, import.meta.url), 'utf8')))
        .cases.map((entry) => ({ text: entry.text, positive: entry.advice }));
    },
  );
}

/**
 * Personal-recommendation requests: written examples against BANKING77 train. The threshold is the
 * best F1 on the advice dev sets, raised if needed so that at most 0.5% of BANKING77 dev rows fire.
 */
export function adviceDetector(datasetsDir: string) {
  const banking = readBanking77(datasetPath(datasetsDir, 'banking77')!, 'train');
  const examples: TrainingExample[] = [
    ...[...ADVICE_REQUESTS, ...ADVICE_REQUESTS_MORE].map((text) => ({ text, label: 1 as const, weight: 4 })),
    ...[...PRODUCT_FACT_QUESTIONS, ...PRODUCT_FACTS_MORE].map((text) => ({
      text,
      label: 0 as const,
      weight: 3,
    })),
    ...banking.filter((_, index) => index % 3 === 2).map((row) => ({ text: row.text, label: 0 as const })),
  ];
  const model = trainLinearClassifier(examples, {
    name: 'advice',
    trainedOn: 'see models/detectors/manifest.json',
    keep: 4000,
    epochs: 15,
    seed: ATTACK_SEED,
    positiveWeight: 2,
  });
  const classifier = createLinearClassifier(model);
  const bankingDev = banking
    .filter((_, index) => index % 10 === 9)
    .map((row) => classifier.score(row.text))
    .sort((left, right) => right - left);
  const bankingCut = (bankingDev[Math.floor(bankingDev.length * 0.005)] ?? 0) + 1e-3;
  const threshold = Math.round(Math.max(bestF1Threshold(model, readAdviceDev()), bankingCut) * 1000) / 1000;
  return { model, threshold };
}

/** Trains the detectors and assembles the manifest. */
export function buildDetectors(datasetsDir: string): BuiltDetectors {
  const abuse = abuseDetector(datasetsDir);
  const threat = threatDetector(datasetsDir);
  const advice = adviceDetector(datasetsDir);
  const datasets = Object.keys(LICENCES).map((name) => ({
    name,
    licence: LICENCES[name],
    use: DECLARED_SPLITS[name],
    files: hashFolder(datasetPath(datasetsDir, name)!),
  }));
  const manifest = {
    command: 'npm run train:detectors',
    seed: ATTACK_SEED,
    trainer:
      'src/guardrails/classifier/train-linear-classifier.ts (logistic regression, word + character n-grams)',
    splits: DECLARED_SPLITS,
    datasets,
    written: [
      'evals/guardrails/detectors/banking-attacks.ts (Teller, own phrasing)',
      'evals/guardrails/detectors/threat-examples.ts (Teller, own phrasing)',
      'evals/guardrails/detectors/advice-examples.ts (Teller, own phrasing)',
      'evals/guardrails/detectors/abuse-examples.ts (Teller, own phrasing)',
      'src/guardrails/input/injection-seed-examples.ts benign seeds only',
    ],
    evaluationOnly: { ethos_hate_violence: 'GPL-3.0: read by npm run eval only, never by this trainer' },
    models: {
      attack: {
        file: 'models/v1/attack-detector.json (the active models version)',
        trainedBy: 'npm run train (step attack-detector): settings, inputs and dev metrics in that manifest',
        threshold: SHIPPED_THRESHOLD,
      },
      abuse: {
        file: 'abuse.json',
        threshold: abuse.threshold,
        features: Object.keys(abuse.model.weights).length,
      },
      threat: {
        file: 'threat.json',
        threshold: threat.threshold,
        features: Object.keys(threat.model.weights).length,
        minedHhRlhfPositives: threat.minedCount,
        personRequestNegatives: threat.personNegatives,
        metrics: threat.metrics,
      },
      advice: {
        file: 'advice.json',
        threshold: advice.threshold,
        features: Object.keys(advice.model.weights).length,
      },
    },
  };
  return {
    models: { abuse: abuse.model, threat: threat.model, advice: advice.model },
    manifest,
  };
}
