import { boundedMemo } from '../common/bounded-memo.js';
import { stem } from '../text/stem.js';
import type { RetrievedPassage } from '../turn/types.js';
import { analyze, analyzeTerms } from './analyzer.js';
import type { Embedder } from './embedder.js';
import type { KnowledgeChunk } from './knowledge-chunk.js';
import {
  type QueryExpansionOptions,
  WordVectorQueryExpander,
  type WordVectorSource,
} from './query-expansion.js';
import type { Bm25SparseEncoder } from './sparse-encoder.js';
import { type ChunkFilter, matchesFilter, type VectorIndex } from './vector-index.js';
import type { Vocabulary } from './vocabulary.js';

/** Which signals a search uses; `hybrid` fuses both with RRF and is the default. */
export type RetrievalMode = 'hybrid' | 'sparse' | 'dense';

export interface RetrieveOptions {
  /** Passages to return (default 5). */
  readonly limit?: number;
  readonly filter: ChunkFilter;
}

/**
 * How much to trust a result list. `score` is the IDF-weighted fraction of the query's terms found
 * in the top passage (after typo correction): a question whose rare words the passage does not
 * contain is probably not answered by it. `lowConfidence` is `score < threshold` or no passage.
 */
export interface RetrievalConfidence {
  readonly score: number;
  readonly lowConfidence: boolean;
  /** Relative gap between the first and second fused scores, 0 when there is one result. */
  readonly margin: number;
  /** Fraction of distinct query terms that occur in the top passage (unweighted). */
  readonly termCoverage: number;
  /** Query words replaced by a vocabulary word, as `typed→known`. */
  readonly corrections: readonly string[];
  /** Query words not in the vocabulary and not correctable. */
  readonly unknownWords: readonly string[];
}

export interface RetrievalResult {
  readonly passages: RetrievedPassage[];
  readonly confidence: RetrievalConfidence;
}

export interface RetrieverOptions {
  readonly index: VectorIndex;
  readonly sparseEncoder: Bm25SparseEncoder;
  readonly vocabulary: Vocabulary;
  /** Without an embedder, search is sparse-only whatever the mode. */
  readonly embedder?: Embedder;
  readonly mode?: RetrievalMode;
  /** Candidates per signal before fusion. */
  readonly prefetchLimit?: number;
  /** Below this confidence score, `lowConfidence` is set (the pipeline hands off). */
  readonly lowConfidenceThreshold?: number;
  /**
   * Word vectors (the offline `WordVectorEmbedder`): they tell real words from typos, and expand
   * sparse queries with close corpus words. Without them, typo correction still works and
   * expansion is off.
   */
  readonly wordVectors?: WordVectorSource;
  /** Expansion settings; `false` turns expansion off even with word vectors. */
  readonly expansion?: QueryExpansionOptions | false;
}

/** Words this frequent in the word vectors' corpus are real words, never corrected as typos. */
const REAL_WORD_RANK = 50_000;

/**
 * Analyzed terms of a chunk's index text, remembered per text and bounded: the confidence check
 * reads the top passage's terms every turn, and passages change only when a document is republished.
 */
const indexTerms = boundedMemo(
  (indexText: string): ReadonlySet<string> => new Set(analyzeTerms(indexText)),
  4096,
);

function indexTermsOf(chunk: KnowledgeChunk): ReadonlySet<string> {
  return indexTerms(indexTextOf(chunk));
}

/**
 * The text that is embedded and BM25-encoded for a chunk: title, section and the document's tags
 * carry topic words (e.g. `wire-transfer`) that the passage itself may not repeat.
 */
export function indexTextOf(chunk: Pick<KnowledgeChunk, 'title' | 'section' | 'text' | 'tags'>): string {
  return `${chunk.title}\n${chunk.section}\n${chunk.tags.join(' ')}\n${chunk.text}`;
}

/**
 * The retrieval facade the pipeline calls. It corrects typos against the ingest vocabulary, asks
 * the index for a hybrid search under the filter, and re-checks every result in code so that a
 * misconfigured index can never leak a draft, retired or not-yet-effective passage.
 */
export class Retriever {
  private vocabulary: Vocabulary;
  private readonly index: VectorIndex;
  private readonly sparseEncoder: Bm25SparseEncoder;
  private readonly embedder: Embedder | undefined;
  private readonly mode: RetrievalMode;
  private readonly prefetchLimit: number;
  private readonly lowConfidenceThreshold: number;
  private readonly wordVectors: WordVectorSource | undefined;
  private readonly expansion: QueryExpansionOptions | false;
  private expander: WordVectorQueryExpander | undefined;

  constructor({
    index,
    sparseEncoder,
    vocabulary,
    embedder,
    mode = 'hybrid',
    prefetchLimit = 40,
    lowConfidenceThreshold = 0.35,
    wordVectors,
    expansion = {},
  }: RetrieverOptions) {
    this.wordVectors = wordVectors;
    this.expansion = expansion;
    this.index = index;
    this.sparseEncoder = sparseEncoder;
    this.vocabulary = vocabulary;
    this.embedder = embedder;
    this.mode = embedder ? mode : 'sparse';
    this.prefetchLimit = prefetchLimit;
    this.lowConfidenceThreshold = lowConfidenceThreshold;
  }

  /** Replaces the typo-correction vocabulary after the knowledge base changed. */
  updateVocabulary(vocabulary: Vocabulary): void {
    this.vocabulary = vocabulary;
    this.expander = undefined;
  }

  /**
   * How rare a stemmed term is in the indexed corpus (its IDF), or undefined when no chunk holds it:
   * what generation weighs a question's words by.
   */
  termRarity(term: string): number | undefined {
    return this.vocabulary.hasTerm(term) ? this.vocabulary.idf(term) : undefined;
  }

  /** Passages only; see `retrieve` for the confidence signal. */
  async search(query: string, options: RetrieveOptions): Promise<RetrievedPassage[]> {
    return (await this.retrieve(query, options)).passages;
  }

  /**
   * The corpus word a customer's (lowercase) word stands for, as retrieval reads it: a close corpus
   * word when it looks like a typo of one ("overdarft" → "overdraft"), otherwise the word itself.
   */
  correctWord(word: string): string {
    return this.vocabulary.correct({ surface: word, term: stem(word) }, this.isRealWord).correctedTo ?? word;
  }

  private get isRealWord(): ((word: string) => boolean) | undefined {
    const wordVectors = this.wordVectors;
    return wordVectors
      ? (word: string) => (wordVectors.rankOf(word) ?? Number.POSITIVE_INFINITY) < REAL_WORD_RANK
      : undefined;
  }

  async retrieve(query: string, { limit = 5, filter }: RetrieveOptions): Promise<RetrievalResult> {
    const tokens = analyze(query);
    const weights = new Map<string, number>();
    const corrections: string[] = [];
    const unknownWords: string[] = [];
    const denseWords: string[] = [];
    const isRealWord = this.isRealWord;
    for (const token of tokens) {
      const corrected = this.vocabulary.correct(token, isRealWord);
      if (corrected.correctedFrom) corrections.push(`${corrected.correctedFrom}→${corrected.correctedTo}`);
      if (corrected.weight === 0) unknownWords.push(token.surface);
      denseWords.push(corrected.correctedTo ?? token.surface);
      weights.set(corrected.term, Math.max(weights.get(corrected.term) ?? 0, corrected.weight || 1));
    }
    const useSparse = this.mode !== 'dense';
    const useDense = this.mode !== 'sparse' && this.embedder !== undefined;
    const sparseWeights = new Map(weights);
    if (useSparse && this.wordVectors && this.expansion !== false) {
      this.expander ??= new WordVectorQueryExpander(this.wordVectors, this.vocabulary, this.expansion);
      for (const [term, weight] of this.expander.expand(denseWords, new Set(weights.keys()))) {
        sparseWeights.set(term, Math.max(sparseWeights.get(term) ?? 0, weight));
      }
    }
    const sparse =
      useSparse && sparseWeights.size > 0 ? this.sparseEncoder.encodeQuery(sparseWeights) : undefined;
    const dense =
      useDense && denseWords.length > 0 ? await this.embedder!.embedQuery(denseWords.join(' ')) : undefined;
    const hits =
      sparse || dense
        ? await this.index.query({
            sparse,
            dense,
            filter,
            limit,
            prefetchLimit: Math.max(this.prefetchLimit, limit),
          })
        : [];
    // Defence in depth: whatever the index did, only approved, in-force, in-scope chunks pass.
    const allowed = hits.filter((hit) => matchesFilter(hit.chunk, filter));
    const passages = allowed.map(({ chunk, score }) => toPassage(chunk, score));
    return { passages, confidence: this.assess(weights, allowed, corrections, unknownWords) };
  }

  private assess(
    weights: ReadonlyMap<string, number>,
    hits: ReadonlyArray<{ chunk: KnowledgeChunk; score: number }>,
    corrections: string[],
    unknownWords: string[],
  ): RetrievalConfidence {
    const top = hits[0];
    if (!top || weights.size === 0) {
      return { score: 0, lowConfidence: true, margin: 0, termCoverage: 0, corrections, unknownWords };
    }
    const topTerms = indexTermsOf(top.chunk);
    let matchedWeight = 0;
    let totalWeight = 0;
    let matchedTerms = 0;
    for (const [term, weight] of weights) {
      const importance = this.vocabulary.idf(term) * weight;
      totalWeight += importance;
      if (topTerms.has(term)) {
        matchedWeight += importance;
        matchedTerms++;
      }
    }
    const score = totalWeight > 0 ? matchedWeight / totalWeight : 0;
    const second = hits[1];
    const margin = second && top.score > 0 ? (top.score - second.score) / top.score : 0;
    return {
      score,
      lowConfidence: score < this.lowConfidenceThreshold,
      margin,
      termCoverage: matchedTerms / weights.size,
      corrections,
      unknownWords,
    };
  }
}

function toPassage(chunk: KnowledgeChunk, score: number): RetrievedPassage {
  return {
    chunkId: chunk.chunkId,
    documentId: chunk.documentId,
    title: chunk.title,
    version: chunk.version,
    section: chunk.section,
    text: chunk.text,
    score,
    product: chunk.product,
    tags: chunk.tags,
  };
}
