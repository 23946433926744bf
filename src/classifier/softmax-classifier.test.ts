import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../common/seeded-random.js';
import { SoftmaxClassifier, type SparseVector } from './softmax-classifier.js';

function vector(entries: readonly [number, number][]): SparseVector {
  return {
    indices: Int32Array.from(entries.map(([index]) => index)),
    values: Float32Array.from(entries.map(([, value]) => value)),
  };
}

/**
 * Plain binary logistic regression with AdaGrad, in doubles, written the textbook way: what the
 * softmax trainer with two classes and the first pinned must compute.
 */
function referenceLogistic(
  vectors: readonly SparseVector[],
  labels: readonly number[],
  weightsOfExamples: readonly number[],
  { epochs, learningRate, l2, seed }: { epochs: number; learningRate: number; l2: number; seed: number },
): { weights: Map<number, number>; bias: number } {
  const weights = new Map<number, number>();
  const squared = new Map<number, number>();
  let bias = 0;
  let biasSquared = 1e-8;
  const random = mulberry32(seed);
  const order = vectors.map((_, index) => index);
  for (let epoch = 0; epoch < epochs; epoch += 1) {
    for (let index = order.length - 1; index > 0; index -= 1) {
      const swap = Math.floor(random() * (index + 1));
      [order[index], order[swap]] = [order[swap]!, order[index]!];
    }
    for (const row of order) {
      const { indices, values } = vectors[row]!;
      let margin = bias;
      indices.forEach((feature, position) => {
        margin += (weights.get(feature) ?? 0) * values[position]!;
      });
      const error = (1 / (1 + Math.exp(-margin)) - labels[row]!) * weightsOfExamples[row]!;
      indices.forEach((feature, position) => {
        const current = weights.get(feature) ?? 0;
        const gradient = error * values[position]! + l2 * current;
        const accumulated = (squared.get(feature) ?? 1e-8) + gradient * gradient;
        squared.set(feature, accumulated);
        weights.set(feature, current - (learningRate * gradient) / Math.sqrt(accumulated));
      });
      biasSquared += error * error;
      bias -= (learningRate * error) / Math.sqrt(biasSquared);
    }
  }
  return { weights, bias };
}

describe('SoftmaxClassifier', () => {
  it('when two classes are trained with the first pinned then it is binary logistic regression', () => {
    const random = mulberry32(5);
    const features = 30;
    const vectors: SparseVector[] = [];
    const labels: number[] = [];
    for (let example = 0; example < 80; example += 1) {
      const picked = [...new Set(Array.from({ length: 4 }, () => Math.floor(random() * features)))];
      vectors.push(vector(picked.map((feature) => [feature, 0.5])));
      // Features below 10 lean positive, so the classes are learnable but overlap.
      labels.push(picked.filter((feature) => feature < 10).length + random() > 1.2 ? 1 : 0);
    }
    const exampleWeights = labels.map((label) => (label === 1 ? 1.5 : 1));
    const settings = { epochs: 5, learningRate: 0.2, l2: 1e-4, seed: 9 };
    const model = new SoftmaxClassifier(features, 2);
    model.train(vectors, labels, { ...settings, exampleWeights, pinFirstClass: true });
    const reference = referenceLogistic(vectors, labels, exampleWeights, settings);
    const { weights, bias } = model.exportState();
    expect(bias[0]).toBe(0);
    expect(bias[1]).toBeCloseTo(reference.bias, 4);
    for (let feature = 0; feature < features; feature += 1) {
      expect(weights[feature * 2]).toBe(0);
      expect(weights[feature * 2 + 1]).toBeCloseTo(reference.weights.get(feature) ?? 0, 4);
    }
    expect(labels.filter((label) => label === 1).length).toBeGreaterThan(10);
  });

  it('when one example weighs more than its contradiction then its class wins', () => {
    const same = vector([[0, 1]]);
    for (const [weights, winner] of [
      [[3, 1], 1],
      [[1, 3], 0],
    ] as const) {
      const model = new SoftmaxClassifier(1, 2);
      model.train([same, same], [1, 0], { epochs: 20, exampleWeights: weights });
      const probabilities = model.predict(same);
      expect(probabilities[winner]).toBeGreaterThan(0.6);
    }
  });

  it('when weights are exported and loaded again then predictions are the same', () => {
    const model = new SoftmaxClassifier(3, 3);
    const vectors = [vector([[0, 1]]), vector([[1, 1]]), vector([[2, 1]])];
    model.train(vectors, [0, 1, 2], { epochs: 10 });
    const state = model.exportState();
    const loaded = SoftmaxClassifier.fromState(3, 3, state.weights, state.bias);
    for (const item of vectors) expect(loaded.predict(item)).toEqual(model.predict(item));
    expect(model.predict(vectors[2]!)[2]).toBeGreaterThan(0.5);
  });
});
