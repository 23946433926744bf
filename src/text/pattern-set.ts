/**
 * A compiled pattern set: a list of regexes (policy rules, injection rules, plain pattern lists)
 * built once, answering "which is the first that matches?" and "which match?" exactly as testing
 * each regex in order would, only faster. Two techniques, both exact:
 *
 * 1. ASCII lower-case pre-pass. A regex with both the `i` and `u` flags is matched by Unicode case
 *    folding, which V8 runs several times slower than a plain pattern. For the text customers
 *    actually type (ASCII plus a few caseless symbols such as "£" and curly quotes) the same answer
 *    comes from lower-casing the text once and matching a copy of the pattern without `i`:
 *    - in such text, case folding and `toLowerCase` agree character for character and keep the
 *      length; the only non-ASCII characters that fold onto ASCII letters ("ſ" and the Kelvin sign
 *      "K") are not in the set, and no other character folds onto a caseless symbol;
 *    - the lowered copy of a pattern is only made when the pattern itself has no upper-case ASCII
 *      letter, no "ſ" or Kelvin sign, no property or numeric escape (`\p{Lu}` means something else
 *      under `i`), no back reference, and no range next to a non-ASCII character (a range could
 *      span "ſ" or "K").
 *    Any other text, and any other pattern, is matched with the original regex.
 *
 * 2. Prefilter: one loosened alternation. On the common path no pattern matches, and one loosened
 *    alternation of all the patterns answers that in a single pass. Loosened: V8 runs `\b` under
 *    `iu` some forty times slower than the rest of a pattern, and dropping the word-boundary
 *    assertions can only let a pattern match more texts, never fewer, so a text the alternation
 *    rejects is rejected by every original pattern too. When the alternation passes, the patterns
 *    are scanned one by one, in order, so answers and the pattern named are the plain scan's.
 *
 * The alternation itself goes through the lower-case pre-pass as well.
 */

/** Characters without case, beside ASCII, that keep text on the fast path. */
export const CASELESS_SYMBOLS = '£€¥¢§°·…–—‘’‚“”„•\u00A0';

/** The characters outside ASCII that case folding maps onto an ASCII letter ("ſ" → s, Kelvin sign → k). */
export const FOLDS_ONTO_ASCII = '\u017F\u212A';

const SIMPLE_TEXT = new RegExp(`^[\\u0000-\\u007F${CASELESS_SYMBOLS}]*$`);

/** A text prepared once for any number of pattern sets: its lower-cased copy when that is exact. */
export interface PreparedText {
  readonly original: string;
  /** `original.toLowerCase()` when the text is ASCII or caseless symbols only; undefined otherwise. */
  readonly lowered: string | undefined;
}

/** Prepares a text once for any number of pattern sets. */
export function prepareText(text: string): PreparedText {
  return { original: text, lowered: SIMPLE_TEXT.test(text) ? text.toLowerCase() : undefined };
}

/** True when a pattern's lower-case copy, matched on lower-cased simple text, answers as it does. */
export function hasExactLoweredCopy(pattern: RegExp): boolean {
  if (!pattern.flags.includes('i') || /[^iu]/.test(pattern.flags)) return false;
  const source = pattern.source;
  // Escapes whose meaning depends on case folding or that name characters by number.
  if (/\\[pPuxck0-9]/.test(source)) return false;
  const literal = source.replace(/\\./g, '');
  if (/[A-Z]/.test(literal)) return false;
  if ([...FOLDS_ONTO_ASCII].some((character) => literal.includes(character))) return false;
  // A range with a non-ASCII end could contain a character that folds onto an ASCII letter.
  if (/[\u0080-\uFFFF]-|-[\u0080-\uFFFF]/.test(literal)) return false;
  return true;
}

/** One regex that takes the lower-case pre-pass whenever the answer is provably the same. */
export class LoweredMatcher {
  readonly pattern: RegExp;
  readonly #lowered: RegExp | undefined;

  constructor(pattern: RegExp) {
    this.pattern = pattern;
    this.#lowered = hasExactLoweredCopy(pattern)
      ? new RegExp(pattern.source, pattern.flags.replace('i', ''))
      : undefined;
  }

  /** Same answer as `pattern.test(text.original)`. */
  test(text: PreparedText): boolean {
    if (this.#lowered && text.lowered !== undefined) return this.#lowered.test(text.lowered);
    return this.pattern.test(text.original);
  }
}

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
 * more), or `undefined` when no such shortcut is safe (no patterns, mixed flags, global or sticky
 * state, backreferences, sources that cannot be joined). `undefined` means: scan the patterns.
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

/** A text to match: a plain string, or one prepared once for several sets. */
export type MatchableText = string | PreparedText;

function prepared(text: MatchableText): PreparedText {
  return typeof text === 'string' ? prepareText(text) : text;
}

/** A pattern that matched, with the item (rule, pattern) of the set it belongs to. */
export interface PatternSetMatch<Item> {
  readonly item: Item;
  readonly pattern: RegExp;
}

interface Entry<Item> {
  readonly item: Item;
  /** Position of the item in the set (the same item may be listed twice). */
  readonly itemIndex: number;
  readonly pattern: RegExp;
  readonly matcher: LoweredMatcher;
}

/** Raised when a pattern set is given a regex whose `test` depends on state left by earlier calls. */
export class PatternSetError extends Error {
  override readonly name = 'PatternSetError';
}

/**
 * Items (rules or patterns) with their regexes, compiled once. Every answer equals the plain scan
 * over the items in order and, within an item, its patterns in order.
 */
export class PatternSet<Item> {
  /** The items, in the order given. */
  readonly items: readonly Item[];
  /** Every pattern of every item, in scan order. */
  readonly patterns: readonly RegExp[];
  readonly #entries: readonly Entry<Item>[];
  readonly #prefilter: LoweredMatcher | undefined;

  /** A set whose items are the patterns themselves. */
  static ofPatterns(patterns: readonly RegExp[]): PatternSet<RegExp> {
    return new PatternSet(patterns, (pattern) => [pattern]);
  }

  /** A set of rules, each with a list of patterns (`{ id, patterns }` as policies declare them). */
  static ofRules<Rule extends { readonly patterns: readonly RegExp[] }>(
    rules: readonly Rule[],
  ): PatternSet<Rule> {
    return new PatternSet(rules, (rule) => rule.patterns);
  }

  constructor(items: readonly Item[], patternsOf: (item: Item) => readonly RegExp[]) {
    this.items = items;
    this.#entries = items.flatMap((item, itemIndex) =>
      patternsOf(item).map((pattern) => {
        // `test` on a global or sticky regex starts at the last match: answers would depend on history.
        if (pattern.global || pattern.sticky) {
          throw new PatternSetError(
            `Pattern /${pattern.source}/${pattern.flags} must not be global or sticky.`,
          );
        }
        return { item, itemIndex, pattern, matcher: new LoweredMatcher(pattern) };
      }),
    );
    this.patterns = this.#entries.map((entry) => entry.pattern);
    const combined = combinePatterns(this.patterns);
    this.#prefilter = combined && new LoweredMatcher(combined);
  }

  /** False when no pattern can match `text`; true when some pattern may (then scan). */
  mayMatch(text: MatchableText): boolean {
    if (this.#entries.length === 0) return false;
    return this.#prefilter === undefined || this.#prefilter.test(prepared(text));
  }

  /** The first pattern, in scan order, that matches `text`: `patterns.find((p) => p.test(text))`. */
  first(text: MatchableText): PatternSetMatch<Item> | undefined {
    const ready = prepared(text);
    if (!this.mayMatch(ready)) return undefined;
    for (const entry of this.#entries) {
      if (entry.matcher.test(ready)) return { item: entry.item, pattern: entry.pattern };
    }
    return undefined;
  }

  /** Whether any pattern matches `text`. */
  test(text: MatchableText): boolean {
    return this.first(text) !== undefined;
  }

  /**
   * Every item with a matching pattern, once each, in order, with its first matching pattern:
   * `items.filter((item) => patternsOf(item).some((p) => p.test(text)))`.
   */
  matching(text: MatchableText): PatternSetMatch<Item>[] {
    const ready = prepared(text);
    if (!this.mayMatch(ready)) return [];
    const found: PatternSetMatch<Item>[] = [];
    let matchedItemIndex = -1;
    for (const entry of this.#entries) {
      if (entry.itemIndex === matchedItemIndex) continue;
      if (!entry.matcher.test(ready)) continue;
      matchedItemIndex = entry.itemIndex;
      found.push({ item: entry.item, pattern: entry.pattern });
    }
    return found;
  }
}
