/**
 * A quick "could any of these patterns match?" test for policy rule lists. The lists are scanned
 * pattern by pattern, in order, to name the first rule that fires; on the common path none fires,
 * and one loosened alternation of all the patterns answers that in a single cheap pass. Callers
 * still run their ordered scan whenever the prefilter passes, so verdicts and rule names are
 * exactly what the scan alone would give.
 *
 * Why loosened: policy patterns are compiled with the `iu` flags, and V8 runs `\b` under `iu`
 * some forty times slower than the rest of a pattern. Dropping the word-boundary assertions can
 * only let a pattern match more texts, never fewer, so a text the loosened alternation rejects is
 * rejected by every original pattern too.
 */

import { type CompiledRule, firstMatch } from '../policy/load-policies.js';

// Numbered or named backreferences would point at other groups once the sources are joined.
const BACKREFERENCE = /\\(?:[1-9]|k<)/;
// Inside a negative lookaround, dropping an assertion would make the pattern match *less*.
const LOOKAROUND = /\(\?<?[=!]/;

/**
 * `source` without its `\b`/`\B` assertions (outside character classes, where `\b` is a
 * backspace). Sources with lookarounds are returned unchanged.
 */
export function withoutWordBoundaries(source: string): string {
  if (LOOKAROUND.test(source)) return source;
  let result = '';
  let inClass = false;
  for (let index = 0; index < source.length; index += 1) {
    const character = source[index]!;
    if (character === '\\') {
      const next = source[index + 1] ?? '';
      index += 1;
      if (!inClass && (next === 'b' || next === 'B')) continue;
      result += character + next;
      continue;
    }
    if (inClass && character === ']') inClass = false;
    else if (!inClass && character === '[') inClass = true;
    result += character;
  }
  return result;
}

/**
 * One regex that matches every text that at least one of `patterns` matches (and possibly a few
 * more), or `undefined` when no such shortcut is safe (mixed flags, global or sticky state,
 * backreferences). `undefined` means: scan the patterns themselves.
 */
export function combinePatterns(patterns: readonly RegExp[]): RegExp | undefined {
  const flags = patterns[0]?.flags;
  if (flags === undefined || /[gyv]/.test(flags)) return undefined;
  if (patterns.some((pattern) => pattern.flags !== flags || BACKREFERENCE.test(pattern.source))) {
    return undefined;
  }
  const join = (sources: readonly string[]) =>
    new RegExp(sources.map((source) => `(?:${source})`).join('|'), flags);
  try {
    return join(patterns.map((pattern) => withoutWordBoundaries(pattern.source)));
  } catch {
    try {
      return join(patterns.map((pattern) => pattern.source));
    } catch {
      // e.g. the same group name in two patterns: keep scanning them one by one.
      return undefined;
    }
  }
}

const remembered = new WeakMap<object, RegExp | null>();

/**
 * False when no pattern of `owner` can match `text`; true when the caller must scan. The combined
 * pattern is built once per `owner` (a policy rule list, which lives as long as its policy set).
 */
export function mayMatchAny(owner: object, patternsOf: () => readonly RegExp[], text: string): boolean {
  let combined = remembered.get(owner);
  if (combined === undefined) {
    combined = combinePatterns(patternsOf()) ?? null;
    remembered.set(owner, combined);
  }
  return combined === null || combined.test(text);
}

/** `firstMatch` over a policy rule list, after one loosened pass has ruled out "no match at all". */
export function firstRuleMatch(rules: readonly CompiledRule[], text: string): ReturnType<typeof firstMatch> {
  return mayMatchAny(rules, () => rules.flatMap((rule) => rule.patterns), text)
    ? firstMatch(rules, text)
    : undefined;
}
