/**
 * Property tests for every shortcut whose comment promises "same answer as the plain way": ASCII
 * lower-casing with de-`i`-ed patterns, the loosened prefilter over a rule list and the one-pass
 * keyword scan (the memoised stemmer's is in stem.test.ts). Texts are generated from the committed
 * policies' own words (so patterns do match), mixed with case changes, punctuation and the characters the
 * shortcuts must refuse (long s, Kelvin sign, accented and astral letters). No external datasets.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INJECTION_RULES } from '../guardrails/input/injection-patterns.js';
import type { CompiledRule } from '../policy/load-policies.js';
import { firstMatch } from '../policy/load-policies.js';
import { createKeywordScanner, RECOGNIZER_KEYWORDS } from '../privacy/keywords.js';
import { committedPolicies } from '../testing/committed-policies.js';
import { CASELESS_SYMBOLS, CaseInsensitiveMatcher, prepareText } from './lowercase-matching.js';
import { firstRuleMatch } from './pattern-prefilter.js';

const RUNS = { numRuns: 300, seed: 17 };
// Each run of this property tests every pattern (several hundred), so fewer runs cover as much.
const PATTERN_RUNS = { numRuns: 60, seed: 17 };

/** Every regex in a loaded policy set (rules, topics, disclosures, cues), however deep. */
function regexesIn(value: unknown, found: RegExp[] = []): RegExp[] {
  if (value instanceof RegExp) found.push(value);
  else if (Array.isArray(value)) for (const item of value) regexesIn(item, found);
  else if (value && typeof value === 'object')
    for (const item of Object.values(value)) regexesIn(item, found);
  return found;
}

/** Rule lists of the policy set: arrays of `{ id, patterns }`, wherever they sit. */
function ruleListsIn(value: unknown, found: CompiledRule[][] = []): CompiledRule[][] {
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every((item) => item && typeof item === 'object' && 'patterns' in item)) {
      found.push(value as CompiledRule[]);
    }
    for (const item of value) ruleListsIn(item, found);
  } else if (value && typeof value === 'object' && !(value instanceof RegExp)) {
    for (const item of Object.values(value)) ruleListsIn(item, found);
  }
  return found;
}

const policies = committedPolicies();
const policyPatterns = regexesIn(policies);
const injectionPatterns = INJECTION_RULES.flatMap((rule) => regexesIn(rule));
const allPatterns = [...policyPatterns, ...injectionPatterns];
const ruleLists = ruleListsIn(policies);

/** Words taken from the patterns themselves, so generated texts hit them often. */
const vocabulary = [
  ...new Set(allPatterns.flatMap((pattern) => pattern.source.match(/[a-z]{3,}/gi) ?? [])),
  ...RECOGNIZER_KEYWORDS,
].slice(0, 2000);

const TRICKY = [
  '\u017F',
  '\u212A',
  'É',
  'ß',
  'İ',
  '𝐀',
  'ﬀ',
  "'",
  '’',
  '-',
  '.',
  '?',
  '!',
  '\n',
  '£5',
  '2.5%',
];

function randomCase(word: string, mask: number): string {
  return [...word]
    .map((character, index) => ((mask >> (index % 31)) & 1 ? character.toUpperCase() : character))
    .join('');
}

/** A word with its s and k swapped for the characters that case-fold onto them (ſ, Kelvin sign). */
function foldingLookalike(word: string): string {
  return word.replace(/s/g, '\u017F').replace(/k/gi, '\u212A');
}

const piece = fc.oneof(
  fc
    .tuple(fc.constantFrom(...vocabulary), fc.integer({ min: 0, max: 2 ** 30 }))
    .map(([word, mask]) => randomCase(word, mask)),
  fc.constantFrom(...vocabulary).map(foldingLookalike),
  fc.constantFrom(...TRICKY, ...CASELESS_SYMBOLS),
  fc.string({ maxLength: 6 }),
);
const text = fc
  .array(piece, { maxLength: 14 })
  .chain((pieces) =>
    fc
      .array(fc.constantFrom(' ', '  ', '', ', '), { minLength: pieces.length, maxLength: pieces.length })
      .map((gaps) => pieces.map((item, index) => `${item}${gaps[index]}`).join('')),
  );

describe('fast paths answer as the plain path', () => {
  it('ASCII lower-casing: a prepared text is lowered exactly when that keeps every character and the length', () => {
    fc.assert(
      fc.property(text, (sample) => {
        const prepared = prepareText(sample);
        if (prepared.lowered !== undefined) {
          expect(prepared.lowered).toBe(sample.toLowerCase());
          expect(prepared.lowered.length).toBe(sample.length);
        }
      }),
      RUNS,
    );
  });

  it('lower-case matching: every policy and injection pattern answers as its case-insensitive original', () => {
    // Beside the real patterns, ones the shortcut must refuse: a property escape, an upper-case
    // letter, a range that spans a folding character, a back reference.
    const refused = [/\p{Lu}{2}/iu, /Kelvin|STOP/iu, /[r-t]{2}/iu, /(e)\1/iu];
    const matchers = [...allPatterns, ...refused].map((pattern) => new CaseInsensitiveMatcher(pattern));
    fc.assert(
      fc.property(text, (sample) => {
        const prepared = prepareText(sample);
        for (const matcher of matchers) {
          expect(matcher.test(prepared), `${matcher.pattern} on ${JSON.stringify(sample)}`).toBe(
            matcher.pattern.test(sample),
          );
        }
      }),
      PATTERN_RUNS,
    );
  });

  it('prefiltered rule scan: names the same first rule as the plain ordered scan', () => {
    expect(ruleLists.length).toBeGreaterThan(2);
    fc.assert(
      fc.property(text, (sample) => {
        for (const rules of ruleLists)
          expect(firstRuleMatch(rules, sample)).toEqual(firstMatch(rules, sample));
      }),
      RUNS,
    );
  });

  it('keyword scan: finds exactly the keywords `includes` finds', () => {
    const scanner = createKeywordScanner(RECOGNIZER_KEYWORDS);
    fc.assert(
      fc.property(text, (sample) => {
        const lower = sample.toLowerCase();
        const expected = RECOGNIZER_KEYWORDS.filter((keyword) => lower.includes(keyword));
        expect([...scanner.scan(lower)].sort()).toEqual([...new Set(expected)].sort());
      }),
      RUNS,
    );
  });
});
