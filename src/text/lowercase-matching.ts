/**
 * Case-insensitive patterns without V8's slow path. A regex with both the `i` and `u` flags is
 * matched by Unicode case folding, which V8 runs several times slower than a plain pattern. For the
 * text customers actually type (ASCII plus a few caseless symbols such as "£" and curly quotes) the
 * same answer comes from lower-casing the text once and matching a copy of the pattern without `i`:
 *
 * - in such text, case folding and `toLowerCase` agree character for character and keep the length;
 *   the only non-ASCII characters that fold onto ASCII letters ("ſ" and the Kelvin sign "K") are not
 *   in the set, and no other character folds onto a caseless symbol;
 * - the lowered copy of a pattern is only made when the pattern itself has no upper-case ASCII
 *   letter, no "ſ" or Kelvin sign, no property or numeric escape (`\p{Lu}` means something else under `i`), no back
 *   reference, and no range next to a non-ASCII character (a range could span "ſ" or "K").
 *
 * Any other text, and any other pattern, is matched with the original regex, so the answer is the
 * same in every case; only the time differs.
 */

/** Characters without case, beside ASCII, that keep text on the fast path. */
export const CASELESS_SYMBOLS = '£€¥¢§°·…–—‘’‚“”„•\u00A0';

/** The characters outside ASCII that case folding maps onto an ASCII letter ("ſ" → s, Kelvin sign → k). */
export const FOLDS_ONTO_ASCII = '\u017F\u212A';

const SIMPLE_TEXT = new RegExp(`^[\\u0000-\\u007F${CASELESS_SYMBOLS}]*$`);

/** A text prepared for `CaseInsensitiveMatcher`: its lower-cased copy when that is exact. */
export interface PreparedText {
  readonly original: string;
  /** `original.toLowerCase()` when the text is ASCII or caseless symbols only; undefined otherwise. */
  readonly lowered: string | undefined;
}

/** Prepares a text once for any number of matchers. */
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

/** A case-insensitive regex that takes the fast path whenever the answer is provably the same. */
export class CaseInsensitiveMatcher {
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

const matchers = new WeakMap<RegExp, CaseInsensitiveMatcher>();

/**
 * The matcher of a pattern, built once per pattern object: policy patterns are compiled when the
 * policies load, so a reload brings new objects (and the old matchers are dropped with them).
 */
export function matcherFor(pattern: RegExp): CaseInsensitiveMatcher {
  let matcher = matchers.get(pattern);
  if (!matcher) {
    matcher = new CaseInsensitiveMatcher(pattern);
    matchers.set(pattern, matcher);
  }
  return matcher;
}

/** `patterns.find((pattern) => pattern.test(text.original))`, through the fast path. */
export function findMatching(patterns: readonly RegExp[], text: PreparedText): RegExp | undefined {
  return patterns.find((pattern) => matcherFor(pattern).test(text));
}
