/**
 * Intents suite: the intent router Teller ships (`createShippedIntentRouter`, the model
 * `npm run train` committed in models/v1, the same function the composition root calls), scored
 * on texts it was never trained on:
 *
 * 1. `router.banking77_test.*`: BANKING77 test texts whose labels map onto Teller's intents
 *    (`BANKING77_TO_INTENT`); the router was trained on BANKING77 train only.
 * 2. `router.dstc11_banking.*`: DSTC11 NatCS banking customer turns (spoken style, long, numbers
 *    spelled out), mapped by `DSTC11_BANKING_TO_INTENT`; a source the router never saw.
 *
 * For information only (`alternative.*`, no threshold): the router trained on the committed
 * examples alone (what shipped before models/v1), and the same classifier as a 77-way BANKING77
 * model beside the published state of the art.
 *
 * `--fast` scores 10 test texts per label and trains the 77-way model for two epochs.
 */
import { join } from 'node:path';
import { createIntentRouter, type IntentRouter } from '../../src/routing/intent-router.js';
import { createShippedIntentRouter } from '../../src/routing/shipped-router.js';
import { type LabelledText, TextClassifier } from '../../src/routing/text-classifier.js';
import { readBanking77Csv } from '../../src/training/dataset-mapping.js';
import { banking77MappedTest, dstc11BankingMappedTest } from '../../src/training/router-training-data.js';
import { datasetPath } from '../framework/datasets.js';
import type { EvalSuite, SuiteContext, SuiteFailure, SuiteResult } from '../framework/types.js';

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
    'The shipped intent router on mapped BANKING77 test and DSTC11 NatCS banking texts; alternatives for information.',
  async run(context: SuiteContext): Promise<SuiteResult> {
    const banking77 = datasetPath(context.datasetsDir, 'banking77');
    if (!banking77) {
      return {
        metrics: {},
        failures: [],
        skipped: 'banking77 dataset not found under ../shared/datasets (see docs/training.md)',
      };
    }
    const dstc11 = datasetPath(context.datasetsDir, 'dstc11_natcs_banking_finance_intents');
    const now = () => new Date('2026-05-20T12:00:00Z');
    const shippedRouter = createShippedIntentRouter({ now });
    // alternative, not shipped: the router trained at start-up on the committed examples alone.
    const examplesOnlyRouter = createIntentRouter({ now, seed: context.seed });

    const testSets: Array<{ name: string; title: string; rows: LabelledText[] }> = [
      {
        name: 'banking77_test',
        title: 'BANKING77 test (mapped)',
        rows: context.fast
          ? firstPerLabel(banking77MappedTest(banking77), 10)
          : banking77MappedTest(banking77),
      },
      ...(dstc11
        ? [
            {
              name: 'dstc11_banking',
              title: 'DSTC11 NatCS banking (mapped)',
              rows: dstc11BankingMappedTest(dstc11),
            },
          ]
        : []),
    ];
    const metrics: Record<string, number> = {};
    const failures: SuiteFailure[] = [];
    const comparisonRows: Array<Array<string | number>> = [];
    const perIntentRows: Array<Array<string | number>> = [];
    const total = testSets.reduce((sum, set) => sum + set.rows.length, 0);
    let done = 0;
    const predictWith = (router: IntentRouter, rows: readonly LabelledText[]) =>
      rows.map((row) => router.route(row.text).intent as string);
    for (const set of testSets) {
      const gold = set.rows.map((row) => row.label);
      const shipped = predictWith(shippedRouter, set.rows);
      const examplesOnly = predictWith(examplesOnlyRouter, set.rows);
      done += set.rows.length;
      context.progress(done, total);
      const shippedScores = accuracyAndMacroF1(gold, shipped);
      const examplesOnlyScores = accuracyAndMacroF1(gold, examplesOnly);
      metrics[`router.${set.name}.mapped_accuracy`] = shippedScores.accuracy;
      metrics[`router.${set.name}.mapped_macro_f1`] = shippedScores.macroF1;
      metrics[`alternative.examples_only.${set.name}.mapped_accuracy`] = examplesOnlyScores.accuracy;
      comparisonRows.push([
        `${set.title}, ${set.rows.length} texts`,
        round4(shippedScores.accuracy),
        round4(shippedScores.macroF1),
        round4(examplesOnlyScores.accuracy),
        round4(examplesOnlyScores.macroF1),
      ]);
      set.rows.forEach((row, index) => {
        if (
          shipped[index] !== row.label &&
          failures.filter((failure) => failure.id.startsWith(set.name)).length < 40
        )
          failures.push({
            id: `${set.name}-${index}`,
            input: row.text,
            expected: row.label,
            actual: shipped[index],
          });
      });
      for (const intent of [...new Set(gold)].sort()) {
        const indices = gold.flatMap((label, index) => (label === intent ? [index] : []));
        const recall = indices.filter((index) => shipped[index] === intent).length / indices.length;
        perIntentRows.push([set.name, intent, indices.length, round4(recall)]);
      }
    }

    const train = readBanking77Csv(join(banking77, 'train.csv'));
    let test = readBanking77Csv(join(banking77, 'test.csv'));
    if (context.fast) test = firstPerLabel(test, 10);
    // alternative, not shipped: the same classifier as a 77-way BANKING77 model (a reference figure).
    const classifier = TextClassifier.train(train, {
      epochs: context.fast ? 2 : 4,
      minDf: 2,
      seed: context.seed,
    });
    const full = accuracyAndMacroF1(
      test.map((row) => row.label),
      test.map((row) => classifier.classify(row.text)[0]!.label),
    );
    metrics['alternative.banking77_77way.accuracy'] = full.accuracy;
    metrics['alternative.banking77_77way.macro_f1'] = full.macroF1;
    context.progress(1, 1);

    return {
      metrics,
      failures,
      tables: [
        {
          title: 'Intent router: shipped (models/v1) and, for information, the examples-only router',
          columns: [
            'test set',
            'shipped accuracy',
            'shipped macro-F1',
            'examples-only accuracy',
            'examples-only macro-F1',
          ],
          rows: comparisonRows,
        },
        {
          title: 'Shipped router recall per mapped intent',
          columns: ['test set', 'intent', 'texts', 'recall'],
          rows: perIntentRows,
        },
        {
          title: 'For information: the same classifier as a 77-way BANKING77 model (not shipped)',
          columns: ['model', 'training data', 'accuracy', 'macro-F1'],
          rows: [
            [
              'Teller TF-IDF + softmax, 77 labels',
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
      ],
    };
  },
};
