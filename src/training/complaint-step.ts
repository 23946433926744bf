/**
 * Training step for the complaint model (`src/routing/complaint-model.ts`).
 *
 * Complaints: CFPB narratives of the train part (the first 600 characters, as a chat message would
 * carry them, and a later 600-character window) and the complaints written for Teller. Not
 * complaints: BANKING77 train questions (problem reports included: "my transfer has not arrived"
 * is a question, not a grievance), CLINC150 train questions (loans, credit scores and cards among
 * other topics), long messages made of three to six banking questions, GoEmotions neutral comments
 * (other topics, other style), HWU64 assistant requests, deepset's prompts (instructions to an
 * assistant, attacks included) and long questions written for Teller, so the model cannot learn
 * "long text = complaint".
 *
 * The operating point is chosen on negatives only: the lowest score at which at most 1% of
 * BANKING77 dev questions and 2% of long messages built from them and CLINC150 val banking
 * questions would be flagged; the bias is
 * shifted so that point is 0.5. CFPB dev recall is measured, never tuned on.
 *
 * `trainComplaintModel(context, { withCfpb: false })` builds the same model without any CFPB row
 * (complaint positives: the written complaints and GoEmotions anger, annoyance and disappointment),
 * for the leave-one-source-out figure in the needs eval.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { declaredFile } from '../classifier/dataset-declarations.js';
import {
  createLinearClassifier,
  type LinearClassifier,
  type LinearModel,
} from '../classifier/linear-classifier.js';
import { type ManifestInput, sha256Of } from '../classifier/model-manifest.js';
import { type TrainingExample, trainLinearClassifier } from '../classifier/train-linear-classifier.js';
import { createRandom } from '../common/seeded-random.js';
import { COMPLAINT_EXAMPLES, NOT_COMPLAINT_EXAMPLES } from '../routing/complaint-examples.js';
import { COMPLAINT_MODEL_FILE, complaintByModel } from '../routing/complaint-model.js';
import { binaryDevMetrics } from './binary-dev-metrics.js';
import { CFPB_FILE, readCfpbNarratives } from './cfpb-complaints.js';
import { readBanking77Csv } from './dataset-mapping.js';
import { readClinc150, readGoEmotionsSplit } from './public-datasets.js';
import { hwu64OutOfScope, isDevText } from './router-training-data.js';
import type { TrainingContext, TrainingStep } from './train-pipeline.js';

/** The committed examples file, hashed into the manifest so a change to it calls for a retrain. */
export const COMPLAINT_EXAMPLES_PATH = fileURLToPath(
  new URL('../routing/complaint-examples.ts', import.meta.url),
);

const deepsetRowSchema = z.object({ text: z.string() });

/** The characters of a narrative a chat message carries (the needs eval clips the same way). */
export const CHAT_CHARACTERS = 600;
/** Highest share of BANKING77 dev questions, and of long messages built from them, flagged. */
const MAXIMUM_DEV_FLAG_RATE = { questions: 0.005, longMessages: 0.01 } as const;
/** GoEmotions labels read as a grievance when no CFPB row may be used. */
const GRIEVANCE_EMOTIONS: ReadonlySet<string> = new Set(['anger', 'annoyance', 'disappointment']);
const SETTINGS = { keep: 6000, epochs: 6, learningRate: 0.05, positiveWeight: 2 } as const;

/** Long benign messages: three to six questions of `questions` joined as one customer might write them. */
export function longMessagesFrom(questions: readonly string[], count: number, seed: number): string[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, () =>
    Array.from({ length: 3 + random.integer(4) }, () => random.pick(questions)).join(' '),
  );
}

/** A chat-sized piece of a narrative: its start, or a later window starting at a sentence. */
function narrativeWindows(narrative: string): string[] {
  const start = narrative.slice(0, CHAT_CHARACTERS);
  const later = narrative.indexOf('. ', CHAT_CHARACTERS / 2);
  if (later < 0 || narrative.length - later < 200) return [start];
  return [start, narrative.slice(later + 2, later + 2 + CHAT_CHARACTERS)];
}

/** CLINC150 texts of some splits: every domain, or only banking and credit cards. */
function clincTexts(datasetsDir: string, splits: readonly string[], bankingOnly: boolean): string[] {
  const clinc = readClinc150(join(datasetsDir, 'clinc150_oos'));
  const banking = new Set([...(clinc.domains.banking ?? []), ...(clinc.domains.credit_cards ?? [])]);
  return splits.flatMap((split) =>
    (clinc.splits[split] ?? [])
      .filter(([, intent]) => !bankingOnly || banking.has(intent))
      .map(([text]) => text),
  );
}

/**
 * The dev rows of the step: CFPB dev (1); BANKING77 dev questions, and long messages joined from
 * them and from CLINC150 val banking and credit-card questions (0).
 */
export function complaintDevSets(datasetsDir: string, seed: number) {
  const questions = readBanking77Csv(join(datasetsDir, 'banking77', 'train.csv'))
    .map((row) => row.text)
    .filter((text) => isDevText(text));
  return {
    complaints: readCfpbNarratives(join(datasetsDir, 'cfpb_complaints_sample'), 'dev').map((text) =>
      text.slice(0, CHAT_CHARACTERS),
    ),
    questions,
    longMessages: longMessagesFrom([...questions, ...clincTexts(datasetsDir, ['val'], true)], 600, seed + 1),
  };
}

function input(
  context: TrainingContext,
  dataset: string,
  file: string,
  role: 'train' | 'dev',
  hashed: string,
): ManifestInput {
  return {
    name: `${dataset}/${file}`,
    role,
    sha256: sha256Of(join(context.datasetsDir, dataset, hashed)),
    ...declaredFile(context.declarations, dataset, file, role),
  };
}

/** The lowest score threshold that keeps every negative set within its flag rate. */
function operatingPoint(
  score: (text: string) => number,
  questions: string[],
  longMessages: string[],
): number {
  const quantile = (texts: readonly string[], rate: number) => {
    const scores = texts.map(score).sort((left, right) => right - left);
    return scores[Math.floor(scores.length * rate)] ?? 0.5;
  };
  const threshold = Math.max(
    quantile(questions, MAXIMUM_DEV_FLAG_RATE.questions),
    quantile(longMessages, MAXIMUM_DEV_FLAG_RATE.longMessages),
  );
  // Strictly above the last allowed negative's score, and never a hair from certainty.
  return Math.min(0.99, threshold + 1e-3);
}

/** Trains the complaint model; with `withCfpb: false` no CFPB row is read. */
export function trainComplaintModel(
  context: TrainingContext,
  { withCfpb }: { readonly withCfpb: boolean },
): {
  readonly model: LinearModel;
  readonly inputs: ManifestInput[];
  readonly settings: Record<string, number>;
} {
  const inputs: ManifestInput[] = [
    {
      name: 'src/routing/complaint-examples.ts',
      role: 'train',
      sha256: sha256Of(COMPLAINT_EXAMPLES_PATH),
      licence: 'same as Teller',
      attribution: 'written for Teller',
    },
    input(context, 'banking77', 'train.csv', 'train', 'train.csv'),
    input(context, 'banking77', 'train.csv#dev', 'dev', 'train.csv'),
    input(context, 'goemotions', 'train.tsv', 'train', 'train.tsv'),
    input(context, 'clinc150_oos', 'data_full.json#train', 'train', 'data_full.json'),
    input(context, 'clinc150_oos', 'data_full.json#val', 'dev', 'data_full.json'),
    input(context, 'hwu64_nlu_evaluation', 'trainset/*.csv', 'train', 'trainset'),
    input(context, 'deepset_prompt_injections', 'DERIVED_train.jsonl', 'train', 'DERIVED_train.jsonl'),
  ];
  const examples: TrainingExample[] = [];
  if (withCfpb) {
    inputs.push(
      input(context, 'cfpb_complaints_sample', `${CFPB_FILE}#train`, 'train', CFPB_FILE),
      input(context, 'cfpb_complaints_sample', `${CFPB_FILE}#dev`, 'dev', CFPB_FILE),
    );
    for (const narrative of readCfpbNarratives(join(context.datasetsDir, 'cfpb_complaints_sample'), 'train'))
      for (const text of narrativeWindows(narrative)) examples.push({ text, label: 1 });
  }
  for (const text of COMPLAINT_EXAMPLES) examples.push({ text, label: 1, weight: 3 });
  for (const text of NOT_COMPLAINT_EXAMPLES) examples.push({ text, label: 0, weight: 3 });
  const questions = readBanking77Csv(join(context.datasetsDir, 'banking77', 'train.csv'))
    .map((row) => row.text)
    .filter((text) => !isDevText(text));
  // CLINC150's banking and credit-card questions bring the loan, credit and card words that CFPB
  // narratives are full of, in plain questions.
  const clinc = clincTexts(context.datasetsDir, ['train', 'oos_train'], false);
  const clincBanking = clincTexts(context.datasetsDir, ['train'], true);
  // Requests of every other kind, and instructions aimed at the assistant (deepset's train rows,
  // attacks and benign prompts alike), are not complaints either: without them text unlike any
  // training row sat near the operating point.
  const otherRequests = [
    ...hwu64OutOfScope(join(context.datasetsDir, 'hwu64_nlu_evaluation'), 5000).map((row) => row.text),
    ...readFileSync(join(context.datasetsDir, 'deepset_prompt_injections', 'DERIVED_train.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => deepsetRowSchema.parse(JSON.parse(line)).text),
  ];
  for (const text of [...questions, ...clinc, ...otherRequests]) examples.push({ text, label: 0 });
  for (const text of longMessagesFrom([...questions, ...clincBanking], 4000, context.seed))
    examples.push({ text, label: 0 });
  for (const row of readGoEmotionsSplit(join(context.datasetsDir, 'goemotions'), 'train')) {
    if (row.labels.length === 1 && row.labels[0] === 'neutral') examples.push({ text: row.text, label: 0 });
    else if (!withCfpb && row.labels.some((label) => GRIEVANCE_EMOTIONS.has(label)))
      examples.push({ text: row.text, label: 1 });
  }
  const trained = trainLinearClassifier(examples, {
    name: withCfpb ? 'complaint' : 'complaint-without-cfpb',
    trainedOn: withCfpb
      ? `CFPB narratives (train part by SHA-256) + complaint-examples.ts vs BANKING77 train and CLINC150 train (single and joined) + HWU64 train + deepset train + GoEmotions neutral; operating point on BANKING77 dev and CLINC150 val; regenerate: npm run train -- --step complaint`
      : 'complaint-examples.ts + GoEmotions anger/annoyance/disappointment vs BANKING77 train and CLINC150 train (single and joined) + HWU64 train + deepset train + GoEmotions neutral; no CFPB row',
    ...SETTINGS,
    seed: context.seed,
  });
  const dev = complaintDevSets(context.datasetsDir, context.seed);
  const threshold = operatingPoint(
    shippedScore(createLinearClassifier(trained)),
    dev.questions,
    dev.longMessages,
  );
  // Shift the bias so the operating point reads as 0.5 wherever the model is used.
  const model = {
    ...trained,
    bias: Math.round((trained.bias - Math.log(threshold / (1 - threshold))) * 1000) / 1000,
  };
  return {
    model,
    inputs,
    settings: { ...SETTINGS, seed: context.seed, trainingTexts: examples.length, operatingPoint: threshold },
  };
}

/** The score as Teller uses it: messages too short for the model alone score 0. */
export function shippedScore(classifier: LinearClassifier): (text: string) => number {
  return (text) => complaintByModel(text, classifier).score;
}

/** Dev figures of a complaint model at 0.5 (pass `shippedScore`). */
export function complaintDevMetrics(
  score: (text: string) => number,
  dev: ReturnType<typeof complaintDevSets>,
): Record<string, number> {
  const rows = (texts: readonly string[], label: 0 | 1) => texts.map((text) => ({ text, label }));
  return {
    'cfpb_dev.recall': binaryDevMetrics(score, rows(dev.complaints, 1)).recall,
    'banking77_dev.flag_rate': binaryDevMetrics(score, rows(dev.questions, 0)).falsePositiveRate,
    'banking77_dev_long.flag_rate': binaryDevMetrics(score, rows(dev.longMessages, 0)).falsePositiveRate,
  };
}

export const complaintStep: TrainingStep = {
  name: 'complaint',
  run(context: TrainingContext) {
    const { model, inputs, settings } = trainComplaintModel(context, { withCfpb: true });
    const dev = complaintDevSets(context.datasetsDir, context.seed);
    const metrics = complaintDevMetrics(shippedScore(createLinearClassifier(model)), dev);
    return {
      settings: {
        ...settings,
        devTexts: dev.complaints.length + dev.questions.length + dev.longMessages.length,
      },
      inputs,
      metrics,
      artifacts: [{ file: COMPLAINT_MODEL_FILE, contents: `${JSON.stringify(model)}\n` }],
    };
  },
};
