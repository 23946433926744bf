import { mulberry32 } from '../common/seeded-random.js';
import type { SparseVector } from './text-features.js';

/** Training settings; the defaults suit a few hundred to ten thousand short texts. */
export interface SoftmaxTrainingOptions {
  readonly epochs?: number;
  readonly learningRate?: number;
  /** L2 penalty applied to the weights an example touches. */
  readonly l2?: number;
  /** Seed of the example shuffle, so training is reproducible. */
  readonly seed?: number;
}

/**
 * Multinomial logistic regression over sparse vectors, trained with AdaGrad. Small and exact
 * enough for intent routing, and its probabilities give the router a usable confidence.
 * Weights live in one typed array (feature-major), so scoring touches only non-zero features.
 */
export class SoftmaxClassifier {
  readonly #classes: number;
  readonly #features: number;
  readonly #weights: Float32Array;
  readonly #bias: Float32Array;

  constructor(features: number, classes: number) {
    this.#features = features;
    this.#classes = classes;
    this.#weights = new Float32Array(features * classes);
    this.#bias = new Float32Array(classes);
  }

  /** Fits the weights to (vector, class index) pairs. */
  train(
    vectors: readonly SparseVector[],
    labels: readonly number[],
    options: SoftmaxTrainingOptions = {},
  ): void {
    const { epochs = 12, learningRate = 0.4, l2 = 1e-5, seed = 7 } = options;
    const classes = this.#classes;
    const squaredGradients = new Float32Array(this.#weights.length).fill(1e-8);
    const biasSquaredGradients = new Float32Array(classes).fill(1e-8);
    const order = vectors.map((_, index) => index);
    const random = mulberry32(seed);
    const probabilities = new Float64Array(classes);
    for (let epoch = 0; epoch < epochs; epoch += 1) {
      for (let index = order.length - 1; index > 0; index -= 1) {
        const swap = Math.floor(random() * (index + 1));
        [order[index], order[swap]] = [order[swap]!, order[index]!];
      }
      for (const exampleIndex of order) {
        const vector = vectors[exampleIndex]!;
        const label = labels[exampleIndex]!;
        this.#scores(vector, probabilities);
        softmaxInPlace(probabilities);
        for (let position = 0; position < vector.indices.length; position += 1) {
          const base = vector.indices[position]! * classes;
          const value = vector.values[position]!;
          for (let label_ = 0; label_ < classes; label_ += 1) {
            const weightIndex = base + label_;
            const error = probabilities[label_]! - (label_ === label ? 1 : 0);
            const gradient = error * value + l2 * this.#weights[weightIndex]!;
            squaredGradients[weightIndex]! += gradient * gradient;
            this.#weights[weightIndex]! -=
              (learningRate * gradient) / Math.sqrt(squaredGradients[weightIndex]!);
          }
        }
        for (let label_ = 0; label_ < classes; label_ += 1) {
          const gradient = probabilities[label_]! - (label_ === label ? 1 : 0);
          biasSquaredGradients[label_]! += gradient * gradient;
          this.#bias[label_]! -= (learningRate * gradient) / Math.sqrt(biasSquaredGradients[label_]!);
        }
      }
    }
  }

  /** The weights (feature-major) and biases, for saving a trained model. */
  exportState(): { readonly weights: Float32Array; readonly bias: Float32Array } {
    return { weights: Float32Array.from(this.#weights), bias: Float32Array.from(this.#bias) };
  }

  /** A classifier with weights trained elsewhere (feature-major, `features × classes`). */
  static fromState(
    features: number,
    classes: number,
    weights: Float32Array,
    bias: Float32Array,
  ): SoftmaxClassifier {
    if (weights.length !== features * classes || bias.length !== classes)
      throw new Error('SoftmaxClassifier: weights do not match features × classes');
    const model = new SoftmaxClassifier(features, classes);
    model.#weights.set(weights);
    model.#bias.set(bias);
    return model;
  }

  /** Class probabilities for one vector (sums to 1). */
  predict(vector: SparseVector): Float64Array {
    const probabilities = new Float64Array(this.#classes);
    this.#scores(vector, probabilities);
    softmaxInPlace(probabilities);
    return probabilities;
  }

  #scores(vector: SparseVector, into: Float64Array): void {
    const classes = this.#classes;
    into.set(this.#bias);
    for (let position = 0; position < vector.indices.length; position += 1) {
      const feature = vector.indices[position]!;
      if (feature >= this.#features) continue;
      const base = feature * classes;
      const value = vector.values[position]!;
      for (let label = 0; label < classes; label += 1) into[label]! += value * this.#weights[base + label]!;
    }
  }
}

function softmaxInPlace(scores: Float64Array): void {
  let max = Number.NEGATIVE_INFINITY;
  for (const score of scores) if (score > max) max = score;
  let total = 0;
  for (let index = 0; index < scores.length; index += 1) {
    scores[index] = Math.exp(scores[index]! - max);
    total += scores[index]!;
  }
  for (let index = 0; index < scores.length; index += 1) scores[index]! /= total;
}
