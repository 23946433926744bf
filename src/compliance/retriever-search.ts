import type { Embedder } from '../retrieval/embedder.js';
import { Retriever } from '../retrieval/retriever.js';
import { Bm25SparseEncoder } from '../retrieval/sparse-encoder.js';
import type { ChunkFilter, VectorIndex } from '../retrieval/vector-index.js';
import type { Vocabulary } from '../retrieval/vocabulary.js';
import type { ComplianceSearch } from './ports.js';

/** What is needed to rank each signal on its own, to explain where a passage came from. */
export interface SearchExplainer {
  readonly index: VectorIndex;
  /** The current typo-correction vocabulary, e.g. `() => knowledgeService.corpus().vocabulary`. */
  readonly vocabulary: () => Vocabulary;
  /** The dense embedder the pipeline uses; absent means a sparse-only index. */
  readonly embedder?: Embedder;
  /** Defaults to the standard BM25 encoder the knowledge service uses. */
  readonly sparseEncoder?: Bm25SparseEncoder;
  /** How deep each single-signal list goes when looking for a passage's rank (default 40). */
  readonly depth?: number;
}

export interface RetrieverSearchOptions {
  /** Today as YYYY-MM-DD: only documents in force on that day are searched, as for customers. */
  readonly today?: () => string;
  /** When given, each hit also says its sparse and dense ranks and the fused score. */
  readonly explain?: SearchExplainer;
}

/**
 * Adapts the pipeline's `Retriever` to the admin search port. The hits are exactly what the
 * pipeline would retrieve; with `explain`, the same query is also run sparse-only and dense-only
 * to show each passage's rank in either list (costs one extra query embedding when dense).
 */
export function searchWithRetriever(
  retriever: Pick<Retriever, 'retrieve'>,
  { today = () => new Date().toISOString().slice(0, 10), explain }: RetrieverSearchOptions = {},
): ComplianceSearch {
  return async function searchKnowledge({ query, topic, limit }) {
    const filter: ChunkFilter = { day: today(), ...(topic && { products: [topic] }) };
    const { passages, confidence } = await retriever.retrieve(query, { limit, filter });
    const ranks = explain ? await singleSignalRanks(explain, query, filter) : undefined;
    const notes = [
      ...confidence.corrections.map((correction) => `typo corrected: ${correction}`),
      ...confidence.unknownWords.map((word) => `unknown word: ${word}`),
    ];
    return {
      hits: passages.map((passage) => ({
        chunkId: passage.chunkId,
        documentId: passage.documentId,
        title: passage.title,
        version: passage.version,
        section: passage.section,
        text: passage.text,
        score: passage.score,
        why: {
          sparseRank: ranks?.sparse.get(passage.chunkId) ?? null,
          denseRank: ranks?.dense.get(passage.chunkId) ?? null,
          // The index returns the RRF score only when both signals ran.
          fusedScore: explain?.embedder ? passage.score : null,
          notes,
        },
      })),
      confidence: {
        score: confidence.score,
        lowConfidence: confidence.lowConfidence,
        margin: confidence.margin,
        termCoverage: confidence.termCoverage,
      },
    };
  };
}

/** 1-based rank of each chunk in the sparse-only and dense-only result lists. */
async function singleSignalRanks(
  { index, vocabulary, embedder, sparseEncoder = new Bm25SparseEncoder(), depth = 40 }: SearchExplainer,
  query: string,
  filter: ChunkFilter,
): Promise<{ sparse: Map<string, number>; dense: Map<string, number> }> {
  const rankOf = async (mode: 'sparse' | 'dense') => {
    const single = new Retriever({ index, sparseEncoder, vocabulary: vocabulary(), embedder, mode });
    const { passages } = await single.retrieve(query, { limit: depth, filter });
    return new Map(passages.map((passage, position) => [passage.chunkId, position + 1]));
  };
  return {
    sparse: await rankOf('sparse'),
    dense: embedder ? await rankOf('dense') : new Map(),
  };
}
