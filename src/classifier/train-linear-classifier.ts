/**
 * Offline trainer for `LinearClassifier`: L2-regularised logistic regression fitted with AdaGrad
 * by the one linear-model trainer (`SoftmaxClassifier`, two classes, the first pinned), then pruned to the `keep` features with the largest absolute weights and refitted on those, so
 * the committed file stays small without losing much accuracy. Deterministic for a given seed.
 */
import {
  extractFeatures,
  type LinearModel,
  STRUCTURAL_FEATURE_SCALE,
  type StructuralFeatures,
  structuralFeaturesOf,
} from './linear-classifier.js';
import { SoftmaxClassifier } from './softmax-classifier.js';

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
  /** Features added to the n-grams, recorded in the model so the scorer adds them too. */
  readonly structuralFeatures?: StructuralFeatures;
}

/** Features as indices, so the rows can be fitted by the one softmax trainer. */
interface IndexedRows {
  readonly features: readonly (readonly number[])[];
  readonly labels: readonly number[];
  /** Example weight times class weight, per row. */
  readonly weights: readonly number[];
  readonly featureNames: readonly string[];
}

function indexRows(
  examples: readonly TrainingExample[],
  positiveWeight: number,
  structural: StructuralFeatures | undefined,
): IndexedRows {
  const indexOf = new Map<string, number>();
  const features = examples.map((example) =>
    [...new Set([...extractFeatures(example.text), ...structuralFeaturesOf(structural, example.text)])].map(
      (feature) => {
        let index = indexOf.get(feature);
        if (index === undefined) {
          index = indexOf.size;
          indexOf.set(feature, index);
        }
        return index;
      },
    ),
  );
  return {
    features,
    labels: examples.map((example) => example.label),
    weights: examples.map((example) => (example.weight ?? 1) * (example.label === 1 ? positiveWeight : 1)),
    featureNames: [...indexOf.keys()],
  };
}

/**
 * Binary logistic regression on the rows, through the softmax trainer with class 0 pinned: each
 * row's features (only the `allowed` ones when given) are scaled by 1/sqrt(n), as
 * `createLinearClassifier` scores them. Returns class 1's weight per feature index and its bias.
 */
function fitLogistic(
  rows: IndexedRows,
  allowed: ReadonlySet<number> | undefined,
  options: Required<Omit<TrainOptions, 'name' | 'trainedOn' | 'structuralFeatures'>>,
): { weights: Float32Array; bias: number } {
  const vectors = rows.features.map((features) => {
    const kept = allowed ? features.filter((feature) => allowed.has(feature)) : features;
    const scale = kept.length > 0 ? 1 / Math.sqrt(kept.length) : 0;
    const values = Float32Array.from(kept, (feature) =>
      rows.featureNames[feature]!.startsWith('k:') ? scale * STRUCTURAL_FEATURE_SCALE : scale,
    );
    return { indices: Int32Array.from(kept), values };
  });
  const model = new SoftmaxClassifier(rows.featureNames.length, 2);
  model.train(vectors, rows.labels, {
    epochs: options.epochs,
    learningRate: options.learningRate,
    l2: options.l2,
    seed: options.seed,
    exampleWeights: rows.weights,
    pinFirstClass: true,
  });
  const state = model.exportState();
  const weights = new Float32Array(rows.featureNames.length);
  for (let feature = 0; feature < weights.length; feature += 1)
    weights[feature] = state.weights[feature * 2 + 1]!;
  return { weights, bias: state.bias[1]! };
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
  const rows = indexRows(examples, settings.positiveWeight, options.structuralFeatures);
  const first = fitLogistic(rows, undefined, settings);
  const byStrength = rows.featureNames.map((_, feature) => feature);
  byStrength.sort((left, right) => Math.abs(first.weights[right]!) - Math.abs(first.weights[left]!));
  const kept = new Set(byStrength.slice(0, settings.keep));
  const refit = fitLogistic(rows, kept, settings);
  const weights: Record<string, number> = {};
  const byName = [...kept].sort((left, right) =>
    rows.featureNames[left]!.localeCompare(rows.featureNames[right]!),
  );
  for (const feature of byName) {
    const weight = refit.weights[feature]!;
    if (Math.abs(weight) >= 1e-3) weights[rows.featureNames[feature]!] = Math.round(weight * 1000) / 1000;
  }
  return {
    name: options.name,
    trainedOn: options.trainedOn,
    trainedAt: new Date().toISOString().slice(0, 10),
    bias: Math.round(refit.bias * 1000) / 1000,
    weights,
    ...(options.structuralFeatures ? { structuralFeatures: options.structuralFeatures } : {}),
  };
}
