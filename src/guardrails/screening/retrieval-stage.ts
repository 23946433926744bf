import type { Retriever } from '../../retrieval/retriever.js';
import type { RetrievalStage } from '../../turn/stages.js';
import type { QuarantinedContent } from '../input/injection.js';
import { untrustedTextScreen } from './untrusted-text.js';

/** Pattern score at which a retrieved passage is withheld as carrying instructions. */
export const PASSAGE_PATTERN_THRESHOLD = 0.6;

/**
 * The retriever seen as the pipeline's retrieval stage. Retrieved text is data, never
 * instructions: passages carrying injected instructions are withheld before any generator sees
 * them, and every withheld occurrence is reported to `onQuarantine`. The router's topic is not a
 * hard filter, since a misrouted topic would hide the right document while hybrid ranking recovers
 * from it.
 */
export function retrievalStage(
  retriever: () => Pick<Retriever, 'retrieve'>,
  options: {
    readonly jurisdiction?: string;
    readonly onQuarantine?: (items: readonly QuarantinedContent[]) => void;
  } = {},
): RetrievalStage {
  // Stricter than the default: no approved policy text matches attack grammar at all (every chunk
  // of the corpus scores 0 on the patterns), so a partial match is already suspicious. Keyed by
  // text, so the verdict is recomputed when a republished document changes a passage.
  const screen = untrustedTextScreen({ threshold: PASSAGE_PATTERN_THRESHOLD });
  return {
    async search(query, { day, limit = 5 }) {
      const result = await retriever().retrieve(query, {
        limit,
        filter: { day, ...(options.jurisdiction && { jurisdiction: options.jurisdiction }) },
      });
      const passages = result.passages.filter((passage) => {
        const finding = screen(passage.text);
        if (finding) options.onQuarantine?.([{ source: `passage:${passage.chunkId}`, ...finding }]);
        return !finding;
      });
      return { passages, confidence: passages.length > 0 ? result.confidence.score : 0 };
    },
  };
}
