/**
 * Turns short customer messages into sparse TF-IDF vectors of word unigrams, word bigrams and
 * character n-grams (3 to 5, within words). Character n-grams make the router tolerant of typos
 * and inflections ("froze", "freezing"); bigrams separate "card declined" from "declined transfer".
 */

/** A sparse, L2-normalised vector: parallel arrays of feature indices and weights. */
export interface SparseVector {
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

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

/** The raw feature terms of one message (repeated terms repeat). */
export function featureTerms(text: string): string[] {
  const tokens = tokenize(text);
  const terms: string[] = [];
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index]!;
    terms.push(`w:${token}`);
    if (index + 1 < tokens.length) terms.push(`b:${token} ${tokens[index + 1]}`);
    const padded = ` ${token} `;
    for (let size = 3; size <= 5; size += 1) {
      for (let start = 0; start + size <= padded.length; start += 1)
        terms.push(`c:${padded.slice(start, start + size)}`);
    }
  }
  return terms;
}

/** TF-IDF with sublinear term frequency, fitted once on a training corpus. */
export class TfidfVectorizer {
  readonly #vocabulary = new Map<string, number>();
  #idf = new Float32Array(0);

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
    this.#idf = new Float32Array(kept.length);
    kept.forEach(([term, frequency], index) => {
      this.#vocabulary.set(term, index);
      this.#idf[index] = Math.log((1 + texts.length) / (1 + frequency)) + 1;
    });
    return this;
  }

  transform(text: string): SparseVector {
    const counts = new Map<number, number>();
    for (const term of featureTerms(text)) {
      const index = this.#vocabulary.get(term);
      if (index !== undefined) counts.set(index, (counts.get(index) ?? 0) + 1);
    }
    const indices = new Int32Array(counts.size);
    const values = new Float32Array(counts.size);
    let norm = 0;
    let position = 0;
    for (const [index, count] of counts) {
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
}
