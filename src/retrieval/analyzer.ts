import { stem } from '../text/stem.js';
import { isStopWord } from '../text/stop-words.js';

/** One analyzed token: the surface word (lowercased, accents removed) and its stem. */
export interface AnalyzedToken {
  readonly surface: string;
  readonly term: string;
}

/**
 * Lowercases, applies Unicode NFKD and drops combining marks ("café" → "cafe"), splits on anything
 * that is not a letter or digit, drops possessive `'s` and stop words, and stems with Porter.
 * Pure and deterministic: the same text always yields the same terms at ingest and at query time.
 */
export function analyze(text: string): AnalyzedToken[] {
  return analyzeWords(text).map((surface) => ({ surface, term: stem(surface) }));
}

/** The surface words `analyze` keeps (normalized, stop words removed), without stemming. */
export function analyzeWords(text: string): string[] {
  const normalized = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .replace(/['’]/g, '');
  const words: string[] = [];
  for (const word of normalized.split(/[^\p{L}\p{N}]+/u)) {
    if (!word || isStopWord(word)) continue;
    // Single letters are noise; single digits ("3 days") are kept as they can matter.
    if (word.length === 1 && !/\d/.test(word)) continue;
    words.push(word);
  }
  return words;
}

/** Terms only, in order, duplicates kept (term frequency matters to BM25). */
export function analyzeTerms(text: string): string[] {
  return analyze(text).map((token) => token.term);
}
