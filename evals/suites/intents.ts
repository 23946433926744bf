/**
 * Intents suite: the router's classifier (TF-IDF word + character n-grams, softmax regression;
 * `src/routing/text-classifier.ts`) measured three ways on BANKING77 (PolyAI, CC BY 4.0):
 *
 * 1. `banking77.*`: the standard 77-way task, trained on train.csv and scored on test.csv, shown
 *    beside the published full-data state of the art (≈ 0.94 accuracy; Casanueva et al. 2020,
 *    arXiv:2003.04807, and later work) as a reference figure, not a result of this code.
 * 2. `router_builtin.*`: Teller's runtime router trained on the committed examples only (the
 *    default, no dataset needed) scored on the BANKING77 test texts whose labels map onto our
 *    intents (`BANKING77_TO_INTENT` in evals/routing/dataset-mapping.ts). Unseen wording from real
 *    customers: a generalisation figure.
 * 3. `router_augmented.*`: the same router trained on the committed examples plus mapped
 *    BANKING77 train texts and NLU++ banking texts (when present), on the same test texts.
 *
 * `--fast` trains on the full train split for two epochs and scores 10 test texts per label.
 */
import { join } from 'node:path';
import { createIntentRouter } from '../../src/routing/intent-router.js';
import { type LabelledText, TextClassifier } from '../../src/routing/text-classifier.js';
import { datasetPath } from '../framework/datasets.js';
import type { EvalSuite, SuiteContext, SuiteFailure, SuiteResult } from '../framework/types.js';
import {
  BANKING77_TO_INTENT,
  banking77Examples,
  nluppExamples,
  readBanking77Csv,
} from '../routing/dataset-mapping.js';

/** Published full-data BANKING77 accuracy, for the comparison table only. */
const PUBLISHED_STATE_OF_THE_ART_ACCURACY = 0.94;

/** Accuracy and macro-averaged F1 over the labels present in `gold`. */
export function accuracyAndMacroF1(
  gold: readonly string[],
  predicted: readonly string[],
): { accuracy: number; macroF1: number } {
  const labels = [...new Set(gold)];
  let correct = 0;
  const truePositives = new Map<string, number>();
  const predictedCounts = new Map<string, number>();
  const goldCounts = new Map<string, number>();
  gold.forEach((label, index) => {
    const guess = predicted[index]!;
    goldCounts.set(label, (goldCounts.get(label) ?? 0) + 1);
    predictedCounts.set(guess, (predictedCounts.get(guess) ?? 0) + 1);
    if (guess === label) {
      correct += 1;
      truePositives.set(label, (truePositives.get(label) ?? 0) + 1);
    }
  });
  let f1Sum = 0;
  for (const label of labels) {
    const tp = truePositives.get(label) ?? 0;
    const precision = tp === 0 ? 0 : tp / (predictedCounts.get(label) ?? 1);
    const recall = tp === 0 ? 0 : tp / (goldCounts.get(label) ?? 1);
    f1Sum += precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  }
  return {
    accuracy: gold.length === 0 ? 0 : correct / gold.length,
    macroF1: labels.length === 0 ? 0 : f1Sum / labels.length,
  };
}

/** The first `perLabel` rows of each label (the files are grouped by label, so this is deterministic). */
function firstPerLabel(rows: readonly LabelledText[], perLabel: number): LabelledText[] {
  const counts = new Map<string, number>();
  return rows.filter((row) => {
    const count = counts.get(row.label) ?? 0;
    counts.set(row.label, count + 1);
    return count < perLabel;
  });
}

const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

export const suite: EvalSuite = {
  name: 'intents',
  description:
    'Intent classifier accuracy and macro-F1 on BANKING77, and the runtime router on mapped BANKING77 test texts.',
  async run(context: SuiteContext): Promise<SuiteResult> {
    const banking77 = datasetPath(context.datasetsDir, 'banking77');
    if (!banking77) {
      return {
        metrics: {},
        failures: [],
        skipped: 'banking77 dataset not found under ../shared/datasets (see docs/tools.md)',
      };
    }
    const nluppBanking = datasetPath(context.datasetsDir, 'nlupp_banking');
    const train = readBanking77Csv(join(banking77, 'train.csv'));
    let test = readBanking77Csv(join(banking77, 'test.csv'));
    // Fast runs keep the whole train split (the figure stays comparable) but train for two
    // epochs and score 10 test texts per label.
    if (context.fast) test = firstPerLabel(test, 10);

    const started = performance.now();
    const classifier = TextClassifier.train(train, {
      epochs: context.fast ? 2 : 4,
      minDf: 2,
      seed: context.seed,
    });
    const trainSeconds = (performance.now() - started) / 1000;
    const predicted = test.map((row, index) => {
      if (index % 200 === 0) context.progress(index, test.length * 2);
      return classifier.classify(row.text)[0]!.label;
    });
    const full = accuracyAndMacroF1(
      test.map((row) => row.label),
      predicted,
    );
    const failures: SuiteFailure[] = [];
    test.forEach((row, index) => {
      if (predicted[index] !== row.label && failures.length < 50) {
        failures.push({
          id: `banking77-test-${index}`,
          input: row.text,
          expected: row.label,
          actual: predicted[index],
        });
      }
    });

    const mappedTest = test.flatMap((row) => {
      const intent = BANKING77_TO_INTENT[row.label];
      return intent ? [{ text: row.text, label: intent }] : [];
    });
    const now = () => new Date('2026-05-20T12:00:00Z');
    const builtinRouter = createIntentRouter({ now, seed: context.seed });
    const augmentedRouter = createIntentRouter({
      now,
      seed: context.seed,
      extraExamples: [...banking77Examples(banking77), ...(nluppBanking ? nluppExamples(nluppBanking) : [])],
    });
    const predictWith = (router: ReturnType<typeof createIntentRouter>) =>
      mappedTest.map((row, index) => {
        if (index % 200 === 0) context.progress(test.length + index, test.length * 2);
        return router.route(row.text).intent as string;
      });
    const mappedGold = mappedTest.map((row) => row.label);
    const builtinPredicted = predictWith(builtinRouter);
    const augmentedPredicted = predictWith(augmentedRouter);
    const builtin = accuracyAndMacroF1(mappedGold, builtinPredicted);
    const augmented = accuracyAndMacroF1(mappedGold, augmentedPredicted);
    const recallOf = (predictions: readonly string[], intent: string) => {
      const indices = mappedGold.flatMap((label, index) => (label === intent ? [index] : []));
      return round4(indices.filter((index) => predictions[index] === intent).length / indices.length);
    };
    const perIntentRows = [...new Set(mappedGold)]
      .sort()
      .map((intent) => [
        intent,
        mappedGold.filter((label) => label === intent).length,
        recallOf(builtinPredicted, intent),
        recallOf(augmentedPredicted, intent),
      ]);
    context.progress(1, 1);

    return {
      metrics: {
        'banking77.accuracy': full.accuracy,
        'banking77.macro_f1': full.macroF1,
        'banking77.train_seconds': trainSeconds,
        'router_builtin.mapped_accuracy': builtin.accuracy,
        'router_builtin.mapped_macro_f1': builtin.macroF1,
        'router_augmented.mapped_accuracy': augmented.accuracy,
        'router_augmented.mapped_macro_f1': augmented.macroF1,
      },
      failures,
      tables: [
        {
          title: 'BANKING77 (77 intents), test split',
          columns: ['model', 'training data', 'accuracy', 'macro-F1'],
          rows: [
            [
              'Teller TF-IDF + softmax (this code)',
              `${train.length} train texts`,
              round4(full.accuracy),
              round4(full.macroF1),
            ],
            [
              'published SOTA (reference figure)',
              'full train split',
              `≈ ${PUBLISHED_STATE_OF_THE_ART_ACCURACY}`,
              'n/a',
            ],
          ],
        },
        {
          title: `Runtime router on ${mappedTest.length} BANKING77 test texts mapped to Teller intents`,
          columns: ['router', 'accuracy', 'macro-F1'],
          rows: [
            ['committed examples only (default)', round4(builtin.accuracy), round4(builtin.macroF1)],
            [
              `examples + BANKING77 train${nluppBanking ? ' + NLU++' : ''} (mapped)`,
              round4(augmented.accuracy),
              round4(augmented.macroF1),
            ],
          ],
        },
        {
          title: 'Runtime router recall per mapped intent',
          columns: ['intent', 'test texts', 'examples only', 'examples + datasets'],
          rows: perIntentRows,
        },
      ],
    };
  },
};
