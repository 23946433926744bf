/**
 * The memoised stemmer must answer exactly what the plain `stemmer` package answers: the memo is a
 * speed-up only. Words are generated, so no dataset is needed.
 */
import fc from 'fast-check';
import { stemmer } from 'stemmer';
import { describe, expect, it } from 'vitest';
import { stem } from './stem.js';
import { isStopWord } from './stop-words.js';

const RUNS = { numRuns: 500, seed: 17 };

/** Words, often repeated (so the memo answers), many with suffixes Porter strips. */
const word = fc.oneof(
  fc.stringMatching(/^[a-z]{4,12}$/),
  // Anything else a caller might pass: capitals, accents, apostrophes, hyphens, astral letters.
  fc
    .string({
      unit: fc.constantFrom('a', 'E', 'i', 's', 'y', 'é', "'", '-', '𝐀', 'ß'),
      minLength: 4,
      maxLength: 10,
    })
    .filter((sample) => sample.length >= 4),
  fc
    .tuple(
      fc.constantFrom('charg', 'transfer', 'pay', 'fee', 'cancel', 'refund', 'happi', 'nation'),
      fc.constantFrom('', 's', 'es', 'ed', 'ing', 'ies', 'ational', 'ness', 'ly', 'ment'),
    )
    .map(([root, suffix]) => root + suffix)
    .filter((sample) => sample.length >= 4),
);

describe('stem', () => {
  it('when a word of four characters or more has no digit then the memoised stem is the plain Porter stem', () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 20 }), (words) => {
        // Twice over, so the second pass reads the memo.
        for (const sample of [...words, ...words]) expect(stem(sample)).toBe(stemmer(sample));
      }),
      RUNS,
    );
  });

  it('when a word has a digit or at most three letters then it is left as it is', () => {
    const kept = fc.oneof(
      fc.stringMatching(/^[a-z]{0,3}$/),
      fc.stringMatching(/^[a-z]{0,6}[0-9][a-z0-9]{0,6}$/),
    );
    fc.assert(
      fc.property(kept, (sample) => {
        expect(stem(sample)).toBe(sample);
        expect(stem(sample)).toBe(sample);
      }),
      RUNS,
    );
  });

  it('when words are inflections of one word then they share a stem', () => {
    expect(new Set(['charge', 'charges', 'charged', 'charging'].map(stem))).toEqual(new Set(['charg']));
    expect(stem('was')).toBe('was');
    expect(stem('24h')).toBe('24h');
  });
});

describe('isStopWord', () => {
  it('when a word is a function word then it is a stop word, with or without its apostrophe', () => {
    for (const word of ['the', 'and', "don't", 'dont', 'don’t', 'please'])
      expect(isStopWord(word), word).toBe(true);
  });

  it('when a word carries a topic, a negation or a quantity then it is not a stop word', () => {
    for (const word of ['card', 'fee', 'not', 'no', 'more', 'over'])
      expect(isStopWord(word), word).toBe(false);
  });
});
