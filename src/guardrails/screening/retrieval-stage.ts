import type { Retriever } from '../../retrieval/retriever.js';
import type { RetrievalStage } from '../../turn/stages.js';
import type { RetrievedPassage } from '../../turn/types.js';
import { type QuarantinedContent, screenUntrustedContent } from '../input/injection.js';
import { rememberVerdicts } from './remember-verdicts.js';

/** Pattern score at which a retrieved passage is withheld as carrying instructions. */
export const PASSAGE_PATTERN_THRESHOLD = 0.6;

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
  // Keyed by text, so the verdict is recomputed when a republished document changes a passage.
  const isSafe = rememberVerdicts<RetrievedPassage>(
    (passage) => {
      // Stricter than the default: no approved policy text matches attack grammar at all (every
      // chunk of the corpus scores 0 on the patterns), so a partial match is already suspicious.
      const screened = screenUntrustedContent(
        { passages: [passage] },
        { threshold: PASSAGE_PATTERN_THRESHOLD },
      );
      if (screened.quarantined.length > 0) options.onQuarantine?.(screened.quarantined);
      return screened.passages.length === 1;
    },
    (passage) => passage.text,
  );
  return {
    async search(query, { day, limit = 5 }) {
      const result = await retriever().retrieve(query, {
        limit,
        filter: { day, ...(options.jurisdiction && { jurisdiction: options.jurisdiction }) },
      });
      const passages = result.passages.filter(isSafe);
      return { passages, confidence: passages.length > 0 ? result.confidence.score : 0 };
    },
  };
}
