import { type QuarantinedContent, screenUntrustedContent } from '../guardrails/input/injection.js';
import type { RetrievalStage } from '../pipeline/stages.js';
import type { RetrievedPassage } from '../pipeline/types.js';
import type { Retriever } from '../retrieval/retriever.js';

/**
 * The retriever seen as the pipeline's retrieval stage. Retrieved text is data, never
 * instructions: passages carrying injected instructions are withheld before any generator sees
 * them. The router's topic is not a hard filter, since a misrouted topic would hide the right
 * document while hybrid ranking recovers from it.
 */
/** Pattern score at which a retrieved passage is withheld as carrying instructions. */
export const PASSAGE_PATTERN_THRESHOLD = 0.6;

export function retrievalStage(
  retriever: () => Retriever,
  options: {
    readonly jurisdiction?: string;
    readonly onQuarantine?: (items: readonly QuarantinedContent[]) => void;
  } = {},
): RetrievalStage {
  // Passages change only when a document is republished, so each text is screened once.
  const verdicts = new Map<string, boolean>();
  const isSafe = (passage: RetrievedPassage): boolean => {
    const known = verdicts.get(passage.text);
    if (known !== undefined) return known;
    // Stricter than the default: no approved policy text matches attack grammar at all (every
    // chunk of the corpus scores 0 on the patterns), so a partial match is already suspicious.
    const screened = screenUntrustedContent(
      { passages: [passage] },
      { threshold: PASSAGE_PATTERN_THRESHOLD },
    );
    if (screened.quarantined.length > 0) options.onQuarantine?.(screened.quarantined);
    if (verdicts.size >= 50_000) verdicts.clear();
    verdicts.set(passage.text, screened.passages.length === 1);
    return screened.passages.length === 1;
  };
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
