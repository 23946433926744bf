import { stemmer } from 'stemmer';
import { boundedMemo } from '../common/bounded-memo.js';

/**
 * English stop words: function words that carry no topic. Negations and quantity words ("not",
 * "no", "more", "over") are deliberately kept: "card not arrived" and "charged more" are topics.
 */
const STOP_WORDS = new Set(
  `a about above after again against all am an and any are aren't as at be because been before being
  below between both but by can can't could couldn't did didn't do does doesn't doing don't down during
  each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's
  hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself let's
  me my myself of off on once only or other ought our ours ourselves out own same she she'd she'll
  she's should shouldn't so some such than that that's the their theirs them themselves then there
  there's these they they'd they'll they're they've this those through to too under until up very was
  wasn't we we'd we'll we're we've were weren't what what's when when's where where's which while who
  who's whom why why's with won't would wouldn't you you'd you'll you're you've your yours yourself
  yourselves also just may might must shall will please hi hello thanks thank get got`
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => word.replace(/'/g, '')),
);

/** One analyzed token: the surface word (lowercased, accents removed) and its stem. */
export interface AnalyzedToken {
  readonly surface: string;
  readonly term: string;
}

/** True when the (apostrophe-free, lowercase) word is a stop word. */
export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}

/**
 * Lowercases, applies Unicode NFKD and drops combining marks ("café" → "cafe"), splits on anything
 * that is not a letter or digit, drops possessive `'s` and stop words, and stems with Porter.
 * Pure and deterministic: the same text always yields the same terms at ingest and at query time.
 */
export function analyze(text: string): AnalyzedToken[] {
  return analyzeWords(text).map((surface) => ({ surface, term: stemTerm(surface) }));
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

/**
 * Stemming is pure and words recur in every query and passage: each distinct word is stemmed once,
 * for the 50k most recently used words (a corpus and its queries use far fewer).
 */
const rememberedStem = boundedMemo((word: string) => (/\d/.test(word) ? word : stemmer(word)), 50_000);

/** Porter stem of a lowercase word; digits and very short words are left alone. */
export function stemTerm(word: string): string {
  if (word.length <= 3) return word;
  return rememberedStem(word);
}
