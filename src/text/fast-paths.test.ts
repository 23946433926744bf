/**
 * Property tests for every shortcut whose comment promises "same answer as the plain way": ASCII
 * lower-casing with de-`i`-ed patterns, compiled pattern sets (lower-casing plus the loosened
 * prefilter) over every policy list and the injection rules and the one-pass keyword scan (the
 * memoised stemmer's is in stem.test.ts). Texts are generated from the committed policies' own words
 * (so patterns do match), mixed with case changes, punctuation, long repeats and the characters the
 * shortcuts must refuse (long s, Kelvin sign, Turkish dotted and dotless i, accented and astral
 * letters). No external datasets.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INJECTION_RULES } from '../guardrails/input/injection-patterns.js';
import {
  ATTACK_SEEDS,
  BENIGN_BANKING_SEEDS,
  BENIGN_INSTRUCTION_SEEDS,
} from '../guardrails/input/injection-seed-examples.js';
import type { CompiledRule } from '../policy/load-policies.js';
import { builtInRecognizers } from '../privacy/registry.js';
import { committedPolicies } from '../testing/committed-policies.js';
import { createKeywordScanner } from './keyword-scanner.js';
import { CASELESS_SYMBOLS, LoweredMatcher, PatternSet, prepareText } from './pattern-set.js';

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
const RECOGNIZER_KEYWORDS = [
  ...new Set(builtInRecognizers().flatMap((recognizer) => recognizer.keywords ?? [])),
];

/** The plain scan a pattern set must equal: the first rule, in order, with a matching pattern. */
function plainFirstRule(rules: readonly CompiledRule[], sample: string) {
  for (const rule of rules) {
    const pattern = rule.patterns.find((candidate) => candidate.test(sample));
    if (pattern) return { item: rule, pattern };
  }
  return undefined;
}

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
  'ı',
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

/** Whole hand-written messages, so multi-word rules (attack grammar, handoff cues) match too. */
const phrases = [...ATTACK_SEEDS, ...BENIGN_BANKING_SEEDS, ...BENIGN_INSTRUCTION_SEEDS];

const piece = fc.oneof(
  fc
    .tuple(fc.constantFrom(...vocabulary), fc.integer({ min: 0, max: 2 ** 30 }))
    .map(([word, mask]) => randomCase(word, mask)),
  fc
    .tuple(fc.constantFrom(...phrases), fc.integer({ min: 0, max: 2 ** 30 }))
    .map(([phrase, mask]) => randomCase(phrase, mask)),
  fc.constantFrom(...phrases).map(foldingLookalike),
  fc.constantFrom(...vocabulary).map(foldingLookalike),
  fc.constantFrom(...TRICKY, ...CASELESS_SYMBOLS),
  fc.string({ maxLength: 6 }),
);
const shortText = fc
  .array(piece, { maxLength: 14 })
  .chain((pieces) =>
    fc
      .array(fc.constantFrom(' ', '  ', '', ', '), { minLength: pieces.length, maxLength: pieces.length })
      .map((gaps) => pieces.map((item, index) => `${item}${gaps[index]}`).join('')),
  );
// Long texts: a short one repeated past a few thousand characters, or arbitrary unicode.
const text = fc.oneof(
  { weight: 8, arbitrary: shortText },
  {
    weight: 1,
    arbitrary: fc
      .tuple(shortText, fc.integer({ min: 50, max: 300 }))
      .map(([sample, times]) => `${sample} `.repeat(times)),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
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
    const matchers = [...allPatterns, ...refused].map((pattern) => new LoweredMatcher(pattern));
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

  it('pattern sets over rule lists: name the same first rule and pattern as the plain ordered scan', () => {
    expect(ruleLists.length).toBeGreaterThan(2);
    const sets = ruleLists.map((rules) => [rules, PatternSet.ofRules(rules)] as const);
    fc.assert(
      fc.property(text, (sample) => {
        const prepared = prepareText(sample);
        for (const [rules, set] of sets) {
          const expected = plainFirstRule(rules, sample);
          expect(set.first(sample)).toEqual(expected);
          expect(set.first(prepared)).toEqual(expected);
          if (expected) expect(set.mayMatch(sample)).toBe(true);
        }
      }),
      PATTERN_RUNS,
    );
  });

  it("the policies' own pattern sets: the first matching pattern is the plain `find` over the list", () => {
    const sets: [string, PatternSet<unknown>][] = Object.entries(policies.patternSets);
    expect(sets.length).toBeGreaterThan(10);
    fc.assert(
      fc.property(text, (sample) => {
        for (const [name, set] of sets) {
          expect(set.first(sample)?.pattern, name).toBe(set.patterns.find((pattern) => pattern.test(sample)));
          expect(set.test(sample), name).toBe(set.patterns.some((pattern) => pattern.test(sample)));
        }
      }),
      PATTERN_RUNS,
    );
  });

  it('pattern set over the injection rules: matching lists the rules a plain filter finds, in order', () => {
    // Beside the real rules, ones that must stay off the fast paths (mixed flags, folding escapes).
    const rules = [
      ...INJECTION_RULES,
      { id: 'test.property', weight: 0.5, pattern: /\p{Lu}{3}/iu },
      { id: 'test.case_sensitive', weight: 0.5, pattern: /SYSTEM/u },
    ];
    const realOnly = new PatternSet(INJECTION_RULES, (rule) => [rule.pattern]);
    const mixed = new PatternSet(rules, (rule) => [rule.pattern]);
    fc.assert(
      fc.property(text, (sample) => {
        for (const [set, list] of [
          [realOnly, INJECTION_RULES],
          [mixed, rules],
        ] as const) {
          const expected = list.filter((rule) => rule.pattern.test(sample));
          expect(set.matching(sample).map((hit) => hit.item)).toEqual(expected);
        }
      }),
      PATTERN_RUNS,
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
