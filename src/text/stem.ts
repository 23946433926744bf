import { stemmer } from 'stemmer';
import { boundedMemo } from '../common/bounded-memo.js';

/**
 * Stemming is pure and words recur in every query, passage and answer: each distinct word is
 * stemmed once, for the 50k most recently used words (a corpus and its queries use far fewer).
 */
const rememberedStem = boundedMemo((word: string) => (/\d/.test(word) ? word : stemmer(word)), 50_000);

/**
 * The one stemmer: the Porter stem of a lowercase word ("charges", "charged", "charging" →
 * "charg"). Words of three letters or fewer and words with digits are left as they are: Porter
 * turns "was" into "wa" and "bus" into "bu", and "3d" or "24h" are not inflected words.
 */
export function stem(word: string): string {
  if (word.length <= 3) return word;
  return rememberedStem(word);
}
