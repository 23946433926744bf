import { type QuarantinedContent, screenUntrustedContent } from '../guardrails/input/injection.js';
import type { RetrievalStage } from '../pipeline/stages.js';
import type { Retriever } from '../retrieval/retriever.js';

/**
 * The retriever seen as the pipeline's retrieval stage. Retrieved text is data, never
 * instructions: passages carrying injected instructions are withheld before any generator sees
 * them. The router's topic is not a hard filter, since a misrouted topic would hide the right
 * document while hybrid ranking recovers from it.
 */
export function retrievalStage(
  retriever: () => Retriever,
  options: {
    readonly jurisdiction?: string;
    readonly onQuarantine?: (items: readonly QuarantinedContent[]) => void;
  } = {},
): RetrievalStage {
  return {
    async search(query, { day, limit = 5 }) {
      const result = await retriever().retrieve(query, {
        limit,
        filter: { day, ...(options.jurisdiction && { jurisdiction: options.jurisdiction }) },
      });
      const screened = screenUntrustedContent({ passages: result.passages });
      if (screened.quarantined.length > 0) options.onQuarantine?.(screened.quarantined);
      return {
        passages: screened.passages,
        confidence: screened.passages.length > 0 ? result.confidence.score : 0,
      };
    },
  };
}
