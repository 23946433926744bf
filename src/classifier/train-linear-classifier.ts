import { mulberry32 } from '../common/seeded-random.js';
/**
 * Offline trainer for `LinearClassifier`: L2-regularised logistic regression fitted with AdaGrad,
 * then pruned to the `keep` features with the largest absolute weights and refitted on those, so
 * the committed file stays small without losing much accuracy. Deterministic for a given seed.
 */
import { extractFeatures, type LinearModel, sigmoid } from './linear-classifier.js';

export interface TrainingExample {
  readonly text: string;
  readonly label: 0 | 1;
  /** Relative importance, e.g. to up-weight a small hand-written set. Defaults to 1. */
  readonly weight?: number;
}

export interface TrainOptions {
  readonly name: string;
  readonly trainedOn: string;
  readonly epochs?: number;
  readonly learningRate?: number;
  readonly l2?: number;
  /** Features kept in the committed file. */
  readonly keep?: number;
  readonly seed?: number;
  /** Weight of positive examples relative to negatives, for unbalanced sets. */
  readonly positiveWeight?: number;
}

function fitLogistic(
  rows: { features: string[]; label: number; weight: number }[],
  allowed: Set<string> | undefined,
  options: Required<Omit<TrainOptions, 'name' | 'trainedOn'>>,
): { weights: Map<string, number>; bias: number } {
  const weights = new Map<string, number>();
  const squaredGradients = new Map<string, number>();
  let bias = 0;
  let biasSquared = 0;
  const random = mulberry32(options.seed);
  const order = rows.map((_, index) => index);
  for (let epoch = 0; epoch < options.epochs; epoch += 1) {
    for (let index = order.length - 1; index > 0; index -= 1) {
      const swap = Math.floor(random() * (index + 1));
      [order[index], order[swap]] = [order[swap]!, order[index]!];
    }
    for (const rowIndex of order) {
      const row = rows[rowIndex]!;
      const features = allowed ? row.features.filter((feature) => allowed.has(feature)) : row.features;
      const scale = features.length > 0 ? 1 / Math.sqrt(features.length) : 0;
      let margin = bias;
      for (const feature of features) margin += (weights.get(feature) ?? 0) * scale;
      const classWeight = row.label === 1 ? options.positiveWeight : 1;
      const gradient = (sigmoid(margin) - row.label) * row.weight * classWeight;
      biasSquared += gradient * gradient;
      bias -= (options.learningRate * gradient) / Math.sqrt(biasSquared + 1e-8);
      for (const feature of features) {
        const current = weights.get(feature) ?? 0;
        const featureGradient = gradient * scale + options.l2 * current;
        const accumulated = (squaredGradients.get(feature) ?? 0) + featureGradient * featureGradient;
        squaredGradients.set(feature, accumulated);
        weights.set(
          feature,
          current - (options.learningRate * featureGradient) / Math.sqrt(accumulated + 1e-8),
        );
      }
    }
  }
  return { weights, bias };
}

/** Trains, prunes and refits; returns the data to commit as JSON. */
export function trainLinearClassifier(
  examples: readonly TrainingExample[],
  options: TrainOptions,
): LinearModel {
  const settings = {
    epochs: options.epochs ?? 8,
    learningRate: options.learningRate ?? 0.2,
    l2: options.l2 ?? 1e-5,
    keep: options.keep ?? 4000,
    seed: options.seed ?? 7,
    positiveWeight: options.positiveWeight ?? 1,
  };
  const rows = examples.map((example) => ({
    features: [...extractFeatures(example.text)],
    label: example.label,
    weight: example.weight ?? 1,
  }));
  const first = fitLogistic(rows, undefined, settings);
  const kept = new Set(
    [...first.weights.entries()]
      .sort((left, right) => Math.abs(right[1]) - Math.abs(left[1]))
      .slice(0, settings.keep)
      .map(([feature]) => feature),
  );
  const refit = fitLogistic(rows, kept, settings);
  const weights: Record<string, number> = {};
  for (const [feature, weight] of [...refit.weights.entries()].sort(([left], [right]) =>
    left.localeCompare(right),
  )) {
    if (Math.abs(weight) >= 1e-3) weights[feature] = Math.round(weight * 1000) / 1000;
  }
  return {
    name: options.name,
    trainedOn: options.trainedOn,
    trainedAt: new Date().toISOString().slice(0, 10),
    bias: Math.round(refit.bias * 1000) / 1000,
    weights,
  };
}
