import { boundedMemo } from '../common/bounded-memo.js';
import { stem } from '../text/stem.js';
import type { Vocabulary } from './vocabulary.js';

/** Word vectors as the retriever needs them (implemented by `WordVectorEmbedder`). */
export interface WordVectorSource {
  /** Unit-length vector of a lowercase word, or undefined when unknown. */
  vectorOf(word: string): Float32Array | undefined;
  /** Frequency rank (0 = most frequent), or undefined when unknown. */
  rankOf(word: string): number | undefined;
}

export interface QueryExpansionOptions {
  /** Minimum cosine similarity for a corpus word to be added. */
  readonly minSimilarity?: number;
  /** Neighbours added per query word. */
  readonly perWord?: number;
  /** Multiplier on the similarity to get the added term's query weight (typed words weigh 1). */
  readonly weight?: number;
}

/**
 * Adds close corpus words to a query ("overseas" → "abroad", "refused" → "declined") using word
 * vectors, so BM25 can match policy wording that customers do not use. Candidates are limited to
 * words that occur in the knowledge base, and they enter with a reduced weight so an exact match
 * on the customer's own words still wins.
 */
export class WordVectorQueryExpander {
  private readonly words: string[] = [];
  private readonly matrix: Float32Array;
  private readonly dimensions: number;
  private readonly minSimilarity: number;
  private readonly perWord: number;
  private readonly weight: number;
  private readonly source: WordVectorSource;
  /** Neighbours per query word, bounded: customers reuse a small set of words, and a scan costs ~0.5 ms. */
  private readonly neighbours = boundedMemo((word) => this.nearestWords(word), 10_000);

  constructor(source: WordVectorSource, vocabulary: Vocabulary, options: QueryExpansionOptions = {}) {
    const { minSimilarity = 0.6, perWord = 2, weight = 0.5 } = options;
    this.minSimilarity = minSimilarity;
    this.perWord = perWord;
    this.weight = weight;
    const vectors: Float32Array[] = [];
    for (const surface of vocabulary.surfaces()) {
      if (/\d/.test(surface)) continue;
      const vector = source.vectorOf(surface);
      if (!vector) continue;
      this.words.push(surface);
      vectors.push(vector);
    }
    this.dimensions = vectors[0]?.length ?? 0;
    this.matrix = new Float32Array(vectors.length * this.dimensions);
    vectors.forEach((vector, row) => {
      this.matrix.set(vector, row * this.dimensions);
    });
    this.source = source;
  }

  /**
   * Neighbours of the query words, as stemmed terms with weights; never a term the query already
   * has. When two query words propose the same term, the higher weight is kept.
   */
  expand(queryWords: readonly string[], queryTerms: ReadonlySet<string>): Map<string, number> {
    const added = new Map<string, number>();
    for (const word of new Set(queryWords)) {
      // Neighbours are cached per word: the scan over the corpus vocabulary is the expensive part.
      const best = this.neighbours(word);
      let taken = 0;
      for (const candidate of best) {
        if (taken >= this.perWord) break;
        const term = stem(candidate.word);
        if (queryTerms.has(term)) continue;
        taken++;
        const weight = candidate.similarity * this.weight;
        added.set(term, Math.max(added.get(term) ?? 0, weight));
      }
    }
    return added;
  }

  /** Corpus words at or above the similarity floor, best first (a few more than needed). */
  private nearestWords(word: string): ReadonlyArray<{ word: string; similarity: number }> {
    const vector = this.source.vectorOf(word);
    const best: Array<{ word: string; similarity: number }> = [];
    if (vector) {
      for (let row = 0; row < this.words.length; row++) {
        let similarity = 0;
        const offset = row * this.dimensions;
        for (let index = 0; index < this.dimensions; index++)
          similarity += this.matrix[offset + index]! * vector[index]!;
        if (similarity >= this.minSimilarity) best.push({ word: this.words[row]!, similarity });
      }
      best.sort((left, right) => right.similarity - left.similarity);
    }
    // Keep spares: neighbours sharing a stem with the query are skipped by the caller.
    return best.slice(0, this.perWord + 4);
  }
}
