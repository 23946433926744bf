/**
 * Scores a long text as a whole and in overlapping windows of words, keeping the highest score. A
 * linear model scales features by 1/sqrt(n), so an attack padded with pages of harmless text (or
 * hidden in the middle of an e-mail) would otherwise be diluted below the threshold; a window the
 * size of a typical attack sees it undiluted. Short texts are a single window, so they cost one score.
 */
import type { LinearClassifier } from './linear-classifier.js';

/** Words per window: about the length of a short injected instruction and its framing. */
export const WINDOW_WORDS = 40;
/** Windows overlap by half, so an attack never falls only across a window edge. */
const STRIDE_WORDS = WINDOW_WORDS / 2;

const WORD_SPANS = /\S+/g;

/** The highest of the whole-text score and every window's score. */
export function windowedScore(classifier: LinearClassifier, text: string): number {
  let best = classifier.score(text);
  const starts: number[] = [];
  for (const match of text.matchAll(WORD_SPANS)) starts.push(match.index);
  if (starts.length <= WINDOW_WORDS * 1.5) return best;
  for (let first = 0; first < starts.length; first += STRIDE_WORDS) {
    const last = first + WINDOW_WORDS;
    const window = text.slice(starts[first], last < starts.length ? starts[last] : undefined);
    best = Math.max(best, classifier.score(window));
    if (last >= starts.length) break;
  }
  return best;
}
