import { boundedMemo } from '../common/bounded-memo.js';
import { boundedDamerauLevenshtein } from '../text/edit-distance.js';
import type { AnalyzedToken } from './analyzer.js';

/** A query term after typo correction, with how sure we are of it. */
export interface CorrectedTerm {
  readonly term: string;
  /** The surface word typed, when it was replaced by a vocabulary word. */
  readonly correctedFrom?: string;
  /** The vocabulary word it was replaced by (unstemmed), for embedders that read words. */
  readonly correctedTo?: string;
  /** 1 for a known term; lower for a corrected one; 0 for an unknown term left as typed. */
  readonly weight: number;
}

export interface VocabularySnapshot {
  readonly surfaces: ReadonlyArray<readonly [string, string]>;
  readonly documentFrequency: ReadonlyArray<readonly [string, number]>;
  readonly chunkCount: number;
}

/**
 * The words seen at ingest (surface form → stem, and how many chunks contain each stem). Used to
 * map a misspelled query word onto a known word ("overdarft" → "overdraft") within a bounded
 * Damerau–Levenshtein distance: 1 edit for words of 4–7 letters, 2 for longer ones, never for
 * shorter ones (too many false friends), and never when the word is already known.
 */
export class Vocabulary {
  private readonly surfaceToTerm = new Map<string, string>();
  private readonly documentFrequency = new Map<string, number>();
  private readonly surfacesByLength = new Map<number, string[]>();
  /**
   * Closest known word per unknown query word (null when none is close enough). The scan compares
   * the word with every vocabulary word of similar length; customers repeat their misspellings and
   * unknown words, and the answer depends only on this (never modified) vocabulary.
   */
  private readonly closestByWord = boundedMemo(
    (word: string) => this.scanForClosest(word),
    CLOSEST_MEMO_ENTRIES,
  );
  private chunkTotal = 0;

  /** Builds the vocabulary from analyzed chunk texts (one array of tokens per chunk). */
  static fromTokenLists(tokenLists: Iterable<readonly AnalyzedToken[]>): Vocabulary {
    const vocabulary = new Vocabulary();
    for (const tokens of tokenLists) {
      vocabulary.chunkTotal++;
      const seen = new Set<string>();
      for (const token of tokens) {
        vocabulary.addSurface(token.surface, token.term);
        if (seen.has(token.term)) continue;
        seen.add(token.term);
        vocabulary.documentFrequency.set(token.term, (vocabulary.documentFrequency.get(token.term) ?? 0) + 1);
      }
    }
    return vocabulary;
  }

  static fromSnapshot(snapshot: VocabularySnapshot): Vocabulary {
    const vocabulary = new Vocabulary();
    for (const [surface, term] of snapshot.surfaces) vocabulary.addSurface(surface, term);
    for (const [term, count] of snapshot.documentFrequency) vocabulary.documentFrequency.set(term, count);
    vocabulary.chunkTotal = snapshot.chunkCount;
    return vocabulary;
  }

  toSnapshot(): VocabularySnapshot {
    return {
      surfaces: [...this.surfaceToTerm],
      documentFrequency: [...this.documentFrequency],
      chunkCount: this.chunkTotal,
    };
  }

  /** Number of chunks the vocabulary was built from. */
  get chunkCount(): number {
    return this.chunkTotal;
  }

  /** BM25-style IDF of a term over the chunks seen (unknown terms get the highest IDF). */
  idf(term: string): number {
    const frequency = this.documentFrequency.get(term) ?? 0;
    return Math.log((this.chunkTotal - frequency + 0.5) / (frequency + 0.5) + 1);
  }

  get size(): number {
    return this.documentFrequency.size;
  }

  /** Every surface word seen at ingest. */
  surfaces(): IterableIterator<string> {
    return this.surfaceToTerm.keys();
  }

  /** True when some chunk contains the stem. */
  hasTerm(term: string): boolean {
    return this.documentFrequency.has(term);
  }

  /** Resolves one query token: known terms pass; unknown ones are corrected when a close word exists. */
  correct(token: AnalyzedToken, isRealWord?: (word: string) => boolean): CorrectedTerm {
    if (this.documentFrequency.has(token.term)) return { term: token.term, weight: 1 };
    const word = token.surface;
    // A real word that the corpus lacks ("tight") is a different word, not a typo of "right".
    if (word.length < 4 || /\d/.test(word) || isRealWord?.(word)) return { term: token.term, weight: 0 };
    const best = this.closestKnownWord(word);
    if (!best) return { term: token.term, weight: 0 };
    const term = this.surfaceToTerm.get(best.surface) ?? best.surface;
    return { term, correctedFrom: word, correctedTo: best.surface, weight: best.distance === 1 ? 0.9 : 0.75 };
  }

  /** The most frequent vocabulary word within the length-dependent edit distance, remembered per word. */
  private closestKnownWord(word: string): { surface: string; distance: number } | null {
    return this.closestByWord(word);
  }

  private scanForClosest(word: string): { surface: string; distance: number } | null {
    const maxDistance = word.length >= 8 ? 2 : 1;
    let best: { surface: string; distance: number; frequency: number } | undefined;
    for (let length = word.length - maxDistance; length <= word.length + maxDistance; length++) {
      for (const surface of this.surfacesByLength.get(length) ?? []) {
        const distance = boundedDamerauLevenshtein(word, surface, maxDistance);
        if (distance > maxDistance) continue;
        const frequency = this.documentFrequency.get(this.surfaceToTerm.get(surface) ?? '') ?? 0;
        if (!best || distance < best.distance || (distance === best.distance && frequency > best.frequency)) {
          best = { surface, distance, frequency };
        }
      }
    }
    return best ? { surface: best.surface, distance: best.distance } : null;
  }

  private addSurface(surface: string, term: string): void {
    if (this.surfaceToTerm.has(surface)) return;
    this.surfaceToTerm.set(surface, term);
    const bucket = this.surfacesByLength.get(surface.length);
    if (bucket) bucket.push(surface);
    else this.surfacesByLength.set(surface.length, [surface]);
  }
}

/** Distinct unknown query words whose closest vocabulary word is remembered. */
const CLOSEST_MEMO_ENTRIES = 10_000;
