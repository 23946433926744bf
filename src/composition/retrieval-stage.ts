import type { RetrievalStage } from '../pipeline/stages.js';
import type { Retriever } from '../retrieval/retriever.js';

/**
 * The retriever seen as the pipeline's retrieval stage. The router's topic is not used as a hard
 * filter: a misrouted topic would hide the right document, while hybrid ranking recovers from it.
 */
export function retrievalStage(
  retriever: () => Retriever,
  options: { readonly jurisdiction?: string } = {},
): RetrievalStage {
  return {
    async search(query, { day, limit = 5 }) {
      const result = await retriever().retrieve(query, {
        limit,
        filter: { day, ...(options.jurisdiction && { jurisdiction: options.jurisdiction }) },
      });
      return { passages: result.passages, confidence: result.confidence.score };
    },
  };
}
