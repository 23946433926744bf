/** Deterministic sampling for eval suites: the same seed always picks the same subset. */
import { createRandom } from '../../src/common/seeded-random.js';
import type { SuiteFailure } from '../framework/types.js';

/** Up to `limit` items chosen by a seeded shuffle; the whole list when `limit` is undefined. */
export function sample<T>(items: readonly T[], limit: number | undefined, seed: number): T[] {
  if (limit === undefined || items.length <= limit) return [...items];
  return createRandom(seed)
    .shuffle(items.map((_, index) => index))
    .slice(0, limit)
    .sort((left, right) => left - right)
    .map((index) => items[index]!);
}

/** Binary confusion counts and the usual ratios (NaN-free: 0 when a denominator is 0). */
export function binaryMetrics(pairs: readonly { expected: boolean; predicted: boolean }[]) {
  let truePositive = 0;
  let falsePositive = 0;
  let trueNegative = 0;
  let falseNegative = 0;
  for (const { expected, predicted } of pairs) {
    if (expected && predicted) truePositive += 1;
    else if (!expected && predicted) falsePositive += 1;
    else if (!expected && !predicted) trueNegative += 1;
    else falseNegative += 1;
  }
  const ratio = (numerator: number, denominator: number) => (denominator === 0 ? 0 : numerator / denominator);
  return {
    truePositive,
    falsePositive,
    trueNegative,
    falseNegative,
    precision: ratio(truePositive, truePositive + falsePositive),
    recall: ratio(truePositive, truePositive + falseNegative),
    falsePositiveRate: ratio(falsePositive, falsePositive + trueNegative),
    accuracy: ratio(truePositive + trueNegative, pairs.length),
  };
}

/**
 * Runs a yes/no predictor over labelled texts: records the first `maxFailures` mismatches in
 * `failures` under `id` (labelled with `labels`), and returns the binary metrics of all of them.
 */
export function scoreBinary(
  rows: readonly { readonly text: string; readonly expected: boolean }[],
  predict: (text: string) => boolean,
  {
    id,
    labels,
    maxFailures,
    failures,
  }: {
    id: string;
    labels: { readonly yes: string; readonly no: string };
    maxFailures: number;
    failures: SuiteFailure[];
  },
) {
  let recorded = 0;
  const pairs = rows.map(({ text, expected }) => {
    const predicted = predict(text);
    if (predicted !== expected && recorded < maxFailures) {
      recorded += 1;
      failures.push({
        id,
        input: clip(text),
        expected: expected ? labels.yes : labels.no,
        actual: predicted ? labels.yes : labels.no,
      });
    }
    return { expected, predicted };
  });
  return binaryMetrics(pairs);
}

export function clip(text: string, length = 160): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length <= length ? flat : `${flat.slice(0, length - 1)}…`;
}
