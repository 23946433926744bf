/**
 * The common shape of regex recognizers: patterns propose spans with a low score, an optional
 * validator decides (raise to its score, or drop), and the analyzer adds context boosts later.
 */
import type { AnalysisInput, EntityType, Recognizer, RecognizerResult } from '../types.js';

/** One regex with the score it proposes. Regexes must be global and free of nested unbounded repetition. */
export interface PatternDefinition {
  readonly name: string;
  readonly regex: RegExp;
  readonly score: number;
  /** Capture group holding the value (the rest of the match is context), default the whole match. */
  readonly group?: number;
  /** Cheap pre-check for this pattern alone (e.g. IPv6 needs a ':'). */
  readonly applies?: (input: AnalysisInput) => boolean;
}

/** What a validator says about one candidate value. */
export type ValidationOutcome =
  /** Keep with this score and an explanation. */
  | { readonly score: number; readonly reason: string }
  /** Not this entity: drop the candidate. */
  | false
  /** No opinion: keep the pattern's score. */
  | undefined;

export interface PatternRecognizerOptions {
  readonly name: string;
  readonly entity: EntityType;
  readonly patterns: readonly PatternDefinition[];
  readonly context?: readonly string[];
  /** Lower-case words `applies` and the patterns' `applies` look up with `lowerHasAny` (see `Recognizer`). */
  readonly keywords?: readonly string[];
  /** Cheap pre-check over facts of the input, so the regexes are not run when they cannot match. */
  readonly applies?: (input: AnalysisInput) => boolean;
  readonly validate?: (value: string, input: AnalysisInput, start: number, end: number) => ValidationOutcome;
}

/** Builds a recognizer from patterns and an optional validator. */
export function createPatternRecognizer(options: PatternRecognizerOptions): Recognizer {
  const { name, entity, patterns, context, keywords, applies = () => true, validate } = options;
  for (const pattern of patterns) {
    if (!pattern.regex.global) throw new Error(`Pattern ${name}/${pattern.name} must use the global flag.`);
  }
  return {
    name,
    entities: [entity],
    context,
    keywords,
    applies,
    analyze(input) {
      const results: RecognizerResult[] = [];
      for (const pattern of patterns) {
        if (pattern.applies && !pattern.applies(input)) continue;
        const regex = pattern.regex;
        regex.lastIndex = 0;
        for (let match = regex.exec(input.text); match !== null; match = regex.exec(input.text)) {
          if (match[0].length === 0) regex.lastIndex++;
          const value = pattern.group === undefined ? match[0] : match[pattern.group];
          if (!value) continue;
          // Value groups sit at the end of their pattern, so the last occurrence is the group's.
          const offset = pattern.group === undefined ? 0 : match[0].lastIndexOf(value);
          const start = (match.index ?? 0) + offset;
          const end = start + value.length;
          const outcome = validate ? validate(value, input, start, end) : undefined;
          if (outcome === false) continue;
          results.push({
            entity,
            start,
            end,
            score: outcome ? outcome.score : pattern.score,
            recognizer: name,
            explanation: outcome ? `pattern ${pattern.name}; ${outcome.reason}` : `pattern ${pattern.name}`,
          });
        }
      }
      return results;
    },
  };
}

/**
 * Whether `text` contains any of `needles`: the cheap pre-check recognizers use before running
 * their regexes (`includes` is a plain substring search, much cheaper than a regex scan).
 */
export function hasAny(text: string, needles: readonly string[]): boolean {
  for (const needle of needles) if (text.includes(needle)) return true;
  return false;
}

/**
 * Whether the lower-cased text contains any of `needles` (lower-case): from the analysis's
 * keyword scan when it has one, else by `includes`. Same answer either way; a recognizer declares
 * its needles in `keywords` so that the scan covers them.
 */
export function lowerHasAny(input: AnalysisInput, needles: readonly string[]): boolean {
  return input.keywords ? input.keywords.hasAny(needles) : hasAny(input.lower, needles);
}
