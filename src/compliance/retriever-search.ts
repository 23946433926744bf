import type { Retriever } from '../retrieval/retriever.js';
import type { ComplianceSearch } from './ports.js';

export interface RetrieverSearchOptions {
  /** Today as YYYY-MM-DD: only documents in force on that day are searched, as for customers. */
  readonly today?: () => string;
}

/**
 * Adapts the pipeline's `Retriever` to the admin search port. The retriever reports one score
 * per passage (RRF when hybrid) and a confidence with typo corrections; it does not expose the
 * sparse and dense ranks, so those are left null.
 */
export function searchWithRetriever(
  retriever: Pick<Retriever, 'retrieve'>,
  { today = () => new Date().toISOString().slice(0, 10) }: RetrieverSearchOptions = {},
): ComplianceSearch {
  return async function searchKnowledge({ query, topic, limit }) {
    const { passages, confidence } = await retriever.retrieve(query, {
      limit,
      filter: { day: today(), ...(topic && { products: [topic] }) },
    });
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
        why: { sparseRank: null, denseRank: null, fusedScore: null, notes },
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
