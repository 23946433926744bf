import { SoftmaxClassifier, type SoftmaxTrainingOptions } from '../classifier/softmax-classifier.js';
import { TfidfVectorizer } from './text-features.js';

/** One labelled training text. */
export interface LabelledText {
  readonly text: string;
  readonly label: string;
}

/** A label with its probability. */
export interface LabelScore {
  readonly label: string;
  readonly probability: number;
}

/**
 * TF-IDF features plus softmax regression: the classifier the router uses at runtime and the
 * intents eval measures on BANKING77, so the published figure describes the shipped code.
 */
export class TextClassifier {
  readonly #vectorizer: TfidfVectorizer;
  readonly #model: SoftmaxClassifier;
  readonly labels: readonly string[];

  private constructor(vectorizer: TfidfVectorizer, model: SoftmaxClassifier, labels: readonly string[]) {
    this.#vectorizer = vectorizer;
    this.#model = model;
    this.labels = labels;
  }

  /** Trains on the given examples. Deterministic for a given seed. */
  static train(
    examples: readonly LabelledText[],
    options: SoftmaxTrainingOptions & { minDf?: number } = {},
  ): TextClassifier {
    if (examples.length === 0) throw new Error('TextClassifier.train needs at least one example');
    const labels = [...new Set(examples.map((example) => example.label))].sort();
    const labelIndex = new Map(labels.map((label, index) => [label, index]));
    const vectorizer = new TfidfVectorizer().fit(
      examples.map((example) => example.text),
      options.minDf ?? 1,
    );
    const vectors = examples.map((example) => vectorizer.transform(example.text));
    const model = new SoftmaxClassifier(vectorizer.size, labels.length);
    model.train(
      vectors,
      examples.map((example) => labelIndex.get(example.label)!),
      options,
    );
    return new TextClassifier(vectorizer, model, labels);
  }

  /** Everything needed to rebuild this classifier without training (see router-artifact.ts). */
  exportState(): {
    readonly labels: readonly string[];
    readonly terms: string[];
    readonly idf: Float32Array;
    readonly weights: Float32Array;
    readonly bias: Float32Array;
  } {
    return { labels: this.labels, ...this.#vectorizer.exportState(), ...this.#model.exportState() };
  }

  /** A classifier from saved state: the inverse of `exportState`. */
  static fromState(state: {
    readonly labels: readonly string[];
    readonly terms: readonly string[];
    readonly idf: Float32Array;
    readonly weights: Float32Array;
    readonly bias: Float32Array;
  }): TextClassifier {
    const vectorizer = TfidfVectorizer.fromState(state.terms, state.idf);
    const model = SoftmaxClassifier.fromState(
      state.terms.length,
      state.labels.length,
      state.weights,
      state.bias,
    );
    return new TextClassifier(vectorizer, model, [...state.labels]);
  }

  /** All labels, most probable first. */
  classify(text: string): LabelScore[] {
    const probabilities = this.#model.predict(this.#vectorizer.transform(text));
    return this.labels
      .map((label, index) => ({ label, probability: probabilities[index]! }))
      .sort((left, right) => right.probability - left.probability);
  }
}
