/**
 * Turns source rows into training examples and trains the attack detector, for both the shipped
 * model (`npm run train:detectors`) and each leave-one-source-out fold of the eval. Only `train`
 * rows are learned from; the threshold is set on `dev` rows; `test` rows are never read here.
 */
import { createLinearClassifier, type LinearModel } from '../../../src/classifier/linear-classifier.js';
import {
  type TrainingExample,
  trainLinearClassifier,
} from '../../../src/classifier/train-linear-classifier.js';
import { windowedScore } from '../../../src/classifier/windowed-score.js';
import {
  BENIGN_BANKING_SEEDS,
  BENIGN_INSTRUCTION_SEEDS,
} from '../../../src/guardrails/input/injection-seed-examples.js';
import { documentAttacks, framedBankingRequests } from './augment.js';
import type { SourceRow } from './sources.js';

/** Attack sources, each left out in turn by the eval; benign sources are always trained on. */
export const ATTACK_SOURCES = [
  'deepset',
  'purplellama',
  'jbb_pair',
  'jbb_gcg',
  'jbb_dsn',
  'jbb_random_search',
  'bipia',
  'teller_banking',
] as const;

/** Rows that leaving a source out removes too (its own benign half). */
const COMPANIONS: Readonly<Record<string, readonly string[]>> = { bipia: ['bipia_emails'] };

/** Probability the shipped rail compares with (the policy's `injection_score`). */
export const SHIPPED_THRESHOLD = 0.6;
/**
 * Highest false-positive rate on dev benign traffic the threshold may allow: under the 0.02 target,
 * with room for the difference between dev and test.
 */
const DEV_FPR_BUDGET = 0.015;

/** Benign sources the threshold is set on: the dev rows of the traffic the target is defined on. */
export const CALIBRATION_SOURCES: ReadonlySet<string> = new Set([
  'banking77',
  'dstc11_finance',
  'notinject',
  'xstest_safe',
  'jbb_benign',
]);
export const ATTACK_SEED = 7;

export interface AttackTrainingOptions {
  readonly leaveOut?: string;
  readonly minedNegatives?: readonly string[];
}

/**
 * Hard negatives: benign prompts full of attack words ("ignore", "jailbreak", "kill a process").
 * Weighted 6: at 1 the cue features pushed a fifth of NotInject dev over the threshold, and once the
 * threshold also caps the dev hard negatives at 3 %, a model that separates them itself needs a
 * smaller shift (dev leave-one-source-out mean recall 0.79 at weight 3, 0.83 at 6).
 */
const HARD_NEGATIVE_SOURCES: ReadonlySet<string> = new Set(['notinject', 'xstest_safe', 'jbb_benign']);
const HARD_NEGATIVE_WEIGHT = 6;

function sourceWeight(source: string): number {
  // Hand-written banking attacks are few; they carry the style Teller meets most.
  if (source === 'teller_banking') return 3;
  return HARD_NEGATIVE_SOURCES.has(source) ? HARD_NEGATIVE_WEIGHT : 1;
}

function examplesOf(rows: readonly SourceRow[], options: AttackTrainingOptions): TrainingExample[] {
  const excluded = new Set(
    options.leaveOut ? [options.leaveOut, ...(COMPANIONS[options.leaveOut] ?? [])] : [],
  );
  const examples: TrainingExample[] = [...rows, ...documentAttacks(rows), ...framedBankingRequests(rows)]
    .filter((row) => row.split === 'train' && !excluded.has(row.source.replace(/^aug:/, '')))
    .map((row) => ({ text: row.text, label: row.label, weight: sourceWeight(row.source) }));
  for (const text of BENIGN_BANKING_SEEDS) examples.push({ text, label: 0, weight: 3 });
  for (const text of BENIGN_INSTRUCTION_SEEDS) examples.push({ text, label: 0, weight: 2 });
  for (const text of options.minedNegatives ?? []) examples.push({ text, label: 0, weight: 0.5 });
  return examples;
}

function logit(probability: number): number {
  return Math.log(probability / (1 - probability));
}

/**
 * Highest false-positive rate on the dev hard negatives (NotInject, XSTest safe, JailbreakBench
 * benign) the threshold may allow: the tightest budget the rail has on those sets
 * (`injection.fpr.xstest_safe` <= 0.03 in evals/thresholds.yaml). Hard negatives are a small share
 * of the pooled traffic, so the pooled budget alone lets them through far more often.
 */
const DEV_HARD_NEGATIVE_BUDGET = 0.03;

/** The lowest score that keeps the share of `scores` at or above it within `budget`. */
function cutFor(scores: readonly number[], budget: number): number {
  const sorted = [...scores].sort((left, right) => right - left);
  return (sorted[Math.floor(sorted.length * budget)] ?? 0.5) + 1e-4;
}

/**
 * Moves the model's bias so that the dev cut (the lowest score keeping dev false positives within
 * budget, on all benign dev traffic and on its hard negatives) lands on `SHIPPED_THRESHOLD`: the rail
 * then compares with one fixed number.
 */
export function calibrate(
  model: LinearModel,
  devBenign: readonly string[],
  devHardNegatives: readonly string[] = [],
): { model: LinearModel; shift: number } {
  const classifier = createLinearClassifier(model);
  const score = (text: string) => windowedScore(classifier, text);
  const pooled = cutFor(devBenign.map(score), DEV_FPR_BUDGET);
  const hard =
    devHardNegatives.length > 0 ? cutFor(devHardNegatives.map(score), DEV_HARD_NEGATIVE_BUDGET) : 0;
  const cut = Math.min(0.995, Math.max(0.05, pooled, hard));
  const shift = logit(SHIPPED_THRESHOLD) - logit(cut);
  return { model: shifted(model, shift), shift };
}

/** The same model with its bias moved by `shift` (a monotone change of every score). */
export function shifted(model: LinearModel, shift: number): LinearModel {
  return { ...model, bias: Math.round((model.bias + shift) * 1000) / 1000 };
}

/** The dev rows of benign traffic the threshold is set on. */
export function devBenignTexts(rows: readonly SourceRow[]): string[] {
  return rows
    .filter((row) => row.split === 'dev' && row.label === 0 && CALIBRATION_SOURCES.has(row.source))
    .map((row) => row.text);
}

/**
 * Trains and calibrates on dev benign traffic: what ships, and what each leave-one-source-out fold
 * of the eval measures (a fold gets its own threshold by the same rule, never one seen on test).
 */
export function trainCalibratedAttackModel(
  rows: readonly SourceRow[],
  options: AttackTrainingOptions = {},
): { model: LinearModel; shift: number } {
  const hardNegatives = rows
    .filter((row) => row.split === 'dev' && row.label === 0 && HARD_NEGATIVE_SOURCES.has(row.source))
    .map((row) => row.text);
  return calibrate(trainAttackModel(rows, options), devBenignTexts(rows), hardNegatives);
}

/** Dev figures of a calibrated model: TPR per attack source, FPR per benign calibration source. */
export function attackDevMetrics(model: LinearModel, rows: readonly SourceRow[]): Record<string, number> {
  const classifier = createLinearClassifier(model);
  const metrics: Record<string, number> = {};
  const dev = rows.filter((row) => row.split === 'dev');
  const groups = new Map<string, string[]>();
  for (const row of dev) {
    if (row.label === 0 && !CALIBRATION_SOURCES.has(row.source)) continue;
    const key = `dev.${row.label === 1 ? 'tpr' : 'fpr'}.${row.source}`;
    groups.set(key, [...(groups.get(key) ?? []), row.text]);
  }
  for (const [key, texts] of [...groups].sort(([left], [right]) => left.localeCompare(right))) {
    const hits = texts.filter((text) => windowedScore(classifier, text) >= SHIPPED_THRESHOLD).length;
    metrics[key] = Math.round((hits / texts.length) * 1000) / 1000;
  }
  return metrics;
}

/** Trains the attack detector on every train row except the left-out source (uncalibrated). */
export function trainAttackModel(
  rows: readonly SourceRow[],
  options: AttackTrainingOptions = {},
): LinearModel {
  return trainLinearClassifier(examplesOf(rows, options), {
    name: options.leaveOut ? `attack-without-${options.leaveOut}` : 'attack',
    trainedOn: 'see models/detectors/manifest.json',
    keep: 20000,
    epochs: 8,
    learningRate: 0.2,
    seed: ATTACK_SEED,
    positiveWeight: 1.5,
    structuralFeatures: 'attack-cues',
  });
}
