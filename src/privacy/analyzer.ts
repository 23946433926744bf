/**
 * The analyzer: runs the registry's recognizers over normalised text, boosts scores with context
 * words, drops what falls under the threshold and resolves overlaps.
 *
 * Overlap rule: spans are taken in order of higher score, then longer span, then earlier start;
 * a span that overlaps one already taken is dropped. So a Luhn-valid card (1.0) beats the phone
 * pattern (0.45) over the same digits, and "Jane Doe" beats "Jane".
 */
import { escapeRegex } from '../text/keyword-scanner.js';
import { normalizeText, toOriginalSpan } from './normalize.js';
import { createRecognizerRegistry, type RecognizerRegistry } from './registry.js';
import type { AnalysisInput, EntityType, Recognizer, RecognizerResult } from './types.js';

/** Analyzer output: a span in the original text. */
export type AnalyzerResult = RecognizerResult;

export interface Analyzer {
  readonly registry: RecognizerRegistry;
  /** Finds PII spans in `text`, in original coordinates, sorted by start. */
  analyze(text: string, options?: { readonly entities?: readonly EntityType[] }): AnalyzerResult[];
}

/**
 * Lower-cases without changing length, so offsets found in the lower-cased text are valid in the
 * text itself ('İ' lower-cases to two code units; such characters are kept as they are).
 */
export function lowerSameLength(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length) return lower;
  let result = '';
  for (const character of text) {
    const folded = character.toLowerCase();
    result += folded.length === character.length ? folded : character;
  }
  return result;
}

/** Keeps the best non-overlapping spans (see the module comment for the rule). */
export function resolveOverlaps(results: readonly RecognizerResult[]): RecognizerResult[] {
  const ordered = [...results].sort(
    (left, right) =>
      right.score - left.score ||
      right.end - right.start - (left.end - left.start) ||
      left.start - right.start,
  );
  // Kept spans never overlap, so sorted by start they are sorted by end too: one binary search
  // finds the only span that could overlap a candidate (linear checks were quadratic on texts
  // with thousands of findings).
  const kept: RecognizerResult[] = [];
  for (const candidate of ordered) {
    let low = 0;
    let high = kept.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (kept[middle]!.end <= candidate.start) low = middle + 1;
      else high = middle;
    }
    const next = kept[low];
    if (next === undefined || next.start >= candidate.end) kept.splice(low, 0, candidate);
  }
  return kept;
}

/** Builds an analyzer over a registry (default: every built-in recognizer and entity). */
export function createAnalyzer(registry: RecognizerRegistry = createRecognizerRegistry()): Analyzer {
  const { config } = registry;
  const contextPatterns = new Map<Recognizer, RegExp>();
  for (const recognizer of registry.recognizers) {
    if (recognizer.context && recognizer.context.length > 0) {
      contextPatterns.set(
        recognizer,
        new RegExp(`(?:^|[^a-z])(${recognizer.context.map(escapeRegex).join('|')})`),
      );
    }
  }

  function boost(recognizer: Recognizer, result: RecognizerResult, input: AnalysisInput): RecognizerResult {
    const pattern = contextPatterns.get(recognizer);
    if (!pattern || result.score >= 1) return result;
    const before = input.lower.slice(Math.max(0, result.start - config.contextWindow.before), result.start);
    const after = input.lower.slice(result.end, result.end + config.contextWindow.after);
    const found = pattern.exec(before) ?? pattern.exec(after);
    if (!found) return result;
    return {
      ...result,
      score: Math.min(1, result.score + config.contextBoost),
      explanation: `${result.explanation}; context word '${found[1]}' nearby`,
    };
  }

  /** Recognizers that can report a wanted entity, decided once for the default entity set. */
  function recognizersFor(wanted: ReadonlySet<EntityType>): readonly Recognizer[] {
    return registry.recognizers.filter((recognizer) =>
      recognizer.entities.some((entity) => wanted.has(entity)),
    );
  }
  const defaultRecognizers = recognizersFor(registry.entities);

  return {
    registry,
    analyze(text, options) {
      const wanted = options?.entities ? new Set(options.entities) : registry.entities;
      const normalized = normalizeText(text);
      const folded = normalized.text;
      const lower = lowerSameLength(folded);
      const input: AnalysisInput = {
        text: folded,
        lower,
        hasDigit: /\d/.test(folded),
        hasAt: folded.includes('@'),
        hasColon: folded.includes(':'),
        keywords: registry.keywordScanner.presence(lower),
      };
      const candidates: RecognizerResult[] = [];
      const recognizers = options?.entities ? recognizersFor(wanted) : defaultRecognizers;
      for (const recognizer of recognizers) {
        if (!recognizer.applies(input)) continue;
        for (const result of recognizer.analyze(input)) {
          if (!wanted.has(result.entity)) continue;
          const boosted = boost(recognizer, result, input);
          if (boosted.score >= config.scoreThreshold) candidates.push(boosted);
        }
      }
      const resolved = resolveOverlaps(candidates);
      if (!normalized.starts) return resolved;
      return resolved.map((result) => {
        const [start, end] = toOriginalSpan(normalized, result.start, result.end);
        return { ...result, start, end };
      });
    },
  };
}
