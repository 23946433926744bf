/**
 * Similarity of two short messages, for spotting a customer asking the same thing again in other
 * words. Blends content-word overlap (same words) with character-trigram overlap (same words,
 * different spelling or inflection).
 */
import { contentWords } from '../text/sentences.js';

function trigrams(text: string): Set<string> {
  const compact = ` ${text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()} `;
  const grams = new Set<string>();
  for (let index = 0; index + 3 <= compact.length; index += 1) grams.add(compact.slice(index, index + 3));
  return grams;
}

function jaccard(left: Set<string>, right: Set<string>): number {
  if (left.size === 0 || right.size === 0) return 0;
  let shared = 0;
  for (const item of left) if (right.has(item)) shared += 1;
  return shared / (left.size + right.size - shared);
}

function containment(left: Set<string>, right: Set<string>): number {
  // Share of the smaller set found in the larger: "card blocked?" vs "why is my card still blocked?"
  if (left.size === 0 || right.size === 0) return 0;
  const [small, large] = left.size <= right.size ? [left, right] : [right, left];
  let shared = 0;
  for (const item of small) if (large.has(item)) shared += 1;
  return shared / small.size;
}

/** What one message contributes to a comparison, worked out once when it is compared several times. */
export interface SimilarityProfile {
  readonly words: Set<string>;
  readonly trigrams: Set<string>;
}

/** The content words and character trigrams of one message. */
export function similarityProfile(text: string): SimilarityProfile {
  return { words: contentWords(text), trigrams: trigrams(text) };
}

/** `messageSimilarity` of two messages' profiles. */
export function similarityOfProfiles(left: SimilarityProfile, right: SimilarityProfile): number {
  const words = 0.5 * jaccard(left.words, right.words) + 0.5 * containment(left.words, right.words);
  return 0.6 * words + 0.4 * jaccard(left.trigrams, right.trigrams);
}

/** 0 (unrelated) … 1 (same message). */
export function messageSimilarity(left: string, right: string): number {
  return similarityOfProfiles(similarityProfile(left), similarityProfile(right));
}
