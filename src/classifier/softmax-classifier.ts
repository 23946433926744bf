/**
 * The one trainer for linear models: multinomial logistic regression (softmax) over sparse
 * vectors, fitted with AdaGrad. The intent router uses it with one class per intent; the binary
 * detectors (`train-linear-classifier.ts`) use it with two classes and the first one pinned.
 */
import { createRandom } from '../common/seeded-random.js';

/** A sparse vector: parallel arrays of feature indices and their values. */
export interface SparseVector {
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/** Training settings; the defaults suit a few hundred to ten thousand short texts. */
export interface SoftmaxTrainingOptions {
  readonly epochs?: number;
  readonly learningRate?: number;
  /** L2 penalty applied to the weights an example touches. */
  readonly l2?: number;
  /** Seed of the example shuffle, so training is reproducible. */
  readonly seed?: number;
  /** Per example, how much its error counts (e.g. to up-weight a small hand-written set); 1 when absent. */
  readonly exampleWeights?: readonly number[];
  /**
   * Keeps class 0's score at zero and learns only the others. With two classes this is exactly
   * binary logistic regression: class 1's weights are the model's one weight vector.
   */
  readonly pinFirstClass?: boolean;
}

/**
 * Multinomial logistic regression over sparse vectors, trained with AdaGrad. Small and exact
 * enough for intent routing and the binary detectors, and its probabilities give a usable
 * confidence. Weights live in one typed array (feature-major), so scoring touches only non-zero
 * features.
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
    const {
      epochs = 12,
      learningRate = 0.4,
      l2 = 1e-5,
      seed = 7,
      exampleWeights,
      pinFirstClass = false,
    } = options;
    if (exampleWeights !== undefined && exampleWeights.length !== vectors.length)
      throw new Error('SoftmaxClassifier: one example weight per vector is needed');
    const classes = this.#classes;
    const firstLearned = pinFirstClass ? 1 : 0;
    const squaredGradients = new Float32Array(this.#weights.length).fill(1e-8);
    const biasSquaredGradients = new Float32Array(classes).fill(1e-8);
    let order = vectors.map((_, index) => index);
    // Each epoch reshuffles the previous epoch's order, from one generator for the whole run.
    const random = createRandom(seed);
    const probabilities = new Float64Array(classes);
    for (let epoch = 0; epoch < epochs; epoch += 1) {
      order = random.shuffle(order);
      for (const exampleIndex of order) {
        const vector = vectors[exampleIndex]!;
        const label = labels[exampleIndex]!;
        const weight = exampleWeights?.[exampleIndex] ?? 1;
        this.#scores(vector, probabilities);
        softmaxInPlace(probabilities);
        for (let position = 0; position < vector.indices.length; position += 1) {
          const base = vector.indices[position]! * classes;
          const value = vector.values[position]!;
          for (let label_ = firstLearned; label_ < classes; label_ += 1) {
            const weightIndex = base + label_;
            const error = (probabilities[label_]! - (label_ === label ? 1 : 0)) * weight;
            const gradient = error * value + l2 * this.#weights[weightIndex]!;
            squaredGradients[weightIndex]! += gradient * gradient;
            this.#weights[weightIndex]! -=
              (learningRate * gradient) / Math.sqrt(squaredGradients[weightIndex]!);
          }
        }
        for (let label_ = firstLearned; label_ < classes; label_ += 1) {
          const gradient = (probabilities[label_]! - (label_ === label ? 1 : 0)) * weight;
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
