/**
 * Turns short customer messages into sparse TF-IDF vectors of word unigrams, word bigrams and
 * character n-grams (3 to 5, within words). Character n-grams make the router tolerant of typos
 * and inflections ("froze", "freezing"); bigrams separate "card declined" from "declined transfer".
 */

import type { SparseVector } from '../classifier/softmax-classifier.js';
import { boundedMemo } from '../common/bounded-memo.js';

/** Lower-case, straight apostrophes, redaction tokens collapsed to their type, digits unified. */
export function normaliseText(text: string): string {
  return text
    .slice(0, 2_000)
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/<([a-z_]+?)_\d+>/g, ' $1 ')
    .replace(/\d/g, '0');
}

/** Word tokens: letters, digits and apostrophes, plus currency symbols as their own tokens. */
export function tokenize(text: string): string[] {
  return normaliseText(text).match(/[a-z0-9']+|[£€$]/g) ?? [];
}

/** The character n-gram terms of one token, in order (3-grams, then 4-grams, then 5-grams). */
function characterTerms(token: string): string[] {
  const terms: string[] = [];
  const padded = ` ${token} `;
  for (let size = 3; size <= 5; size += 1) {
    for (let start = 0; start + size <= padded.length; start += 1)
      terms.push(`c:${padded.slice(start, start + size)}`);
  }
  return terms;
}

/** The raw feature terms of one message (repeated terms repeat). */
export function featureTerms(text: string): string[] {
  const tokens = tokenize(text);
  const terms: string[] = [];
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index]!;
    terms.push(`w:${token}`);
    if (index + 1 < tokens.length) terms.push(`b:${token} ${tokens[index + 1]}`);
    terms.push(...characterTerms(token));
  }
  return terms;
}

/** A token's own features as vocabulary indices: its word term and its known character n-grams. */
interface TokenFeatures {
  readonly word: number | undefined;
  readonly characters: Int32Array;
}

/** Distinct tokens whose feature indices are remembered per vectorizer. */
const TOKEN_MEMO_ENTRIES = 20_000;

/** TF-IDF with sublinear term frequency, fitted once on a training corpus. */
export class TfidfVectorizer {
  readonly #vocabulary = new Map<string, number>();
  #idf = new Float32Array(0);
  /**
   * Per token, the indices of its word and character terms. Building and looking up a dozen n-gram
   * strings per word was most of a transform; customers reuse a small vocabulary. Cleared by `fit`.
   */
  #tokenFeatures = this.#rememberTokenFeatures();
  /** Scratch term counts by feature index, all zero between transforms. */
  #counts = new Int32Array(0);

  /** Number of features (vocabulary size). */
  get size(): number {
    return this.#vocabulary.size;
  }

  /** Learns the vocabulary and inverse document frequencies. Terms seen in fewer than `minDf` texts are dropped. */
  fit(texts: readonly string[], minDf = 1): this {
    const documentFrequency = new Map<string, number>();
    for (const text of texts) {
      for (const term of new Set(featureTerms(text)))
        documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
    }
    const kept = [...documentFrequency].filter(([, frequency]) => frequency >= minDf);
    // A second fit starts from nothing: a term of the first fit must not keep an index that now
    // belongs to another term (or lies past the new idf table).
    this.#vocabulary.clear();
    this.#tokenFeatures = this.#rememberTokenFeatures();
    this.#idf = new Float32Array(kept.length);
    kept.forEach(([term, frequency], index) => {
      this.#vocabulary.set(term, index);
      this.#idf[index] = Math.log((1 + texts.length) / (1 + frequency)) + 1;
    });
    return this;
  }

  /** The fitted vocabulary (terms in index order) and idf table, for saving a trained model. */
  exportState(): { readonly terms: string[]; readonly idf: Float32Array } {
    const terms: string[] = new Array(this.#vocabulary.size);
    for (const [term, index] of this.#vocabulary) terms[index] = term;
    return { terms, idf: Float32Array.from(this.#idf) };
  }

  /** A vectorizer fitted elsewhere: `terms` in index order with their idf values. */
  static fromState(terms: readonly string[], idf: Float32Array): TfidfVectorizer {
    if (terms.length !== idf.length) throw new Error('TfidfVectorizer: terms and idf differ in length');
    const vectorizer = new TfidfVectorizer();
    terms.forEach((term, index) => {
      vectorizer.#vocabulary.set(term, index);
    });
    vectorizer.#idf = Float32Array.from(idf);
    return vectorizer;
  }

  transform(text: string): SparseVector {
    // Same terms in the same order as `featureTerms`, counted per feature index in a reused array;
    // `seen` keeps the order of first appearance, so weights and the norm are summed as before.
    if (this.#counts.length < this.#vocabulary.size) this.#counts = new Int32Array(this.#vocabulary.size);
    const counts = this.#counts;
    const seen: number[] = [];
    const count = (index: number | undefined) => {
      if (index === undefined) return;
      if (counts[index] === 0) seen.push(index);
      counts[index]! += 1;
    };
    const tokens = tokenize(text);
    for (let position = 0; position < tokens.length; position += 1) {
      const token = tokens[position]!;
      const own = this.#featuresOf(token);
      count(own.word);
      if (position + 1 < tokens.length) count(this.#vocabulary.get(`b:${token} ${tokens[position + 1]}`));
      for (const index of own.characters) count(index);
    }
    const indices = new Int32Array(seen.length);
    const values = new Float32Array(seen.length);
    let norm = 0;
    let position = 0;
    for (const index of seen) {
      const count = counts[index]!;
      counts[index] = 0;
      const weight = (1 + Math.log(count)) * this.#idf[index]!;
      indices[position] = index;
      values[position] = weight;
      norm += weight * weight;
      position += 1;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let index = 0; index < values.length; index += 1) values[index]! *= scale;
    return { indices, values };
  }

  #rememberTokenFeatures(): (token: string) => TokenFeatures {
    return boundedMemo((token) => this.#computeFeaturesOf(token), TOKEN_MEMO_ENTRIES);
  }

  #featuresOf(token: string): TokenFeatures {
    return this.#tokenFeatures(token);
  }

  #computeFeaturesOf(token: string): TokenFeatures {
    const characters: number[] = [];
    for (const term of characterTerms(token)) {
      const index = this.#vocabulary.get(term);
      if (index !== undefined) characters.push(index);
    }
    return { word: this.#vocabulary.get(`w:${token}`), characters: Int32Array.from(characters) };
  }
}
