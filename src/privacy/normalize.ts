/**
 * Folds text into the form recognizers expect while remembering where each character came from,
 * so spans can be reported (and replaced) in the original text. This is what defeats PII split by
 * zero-width characters or written with unicode digits: `4１11​1111…` is analysed as `41111111…`.
 */

/** Characters that render as nothing and are dropped before analysis. */
const INVISIBLE =
  /[\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u206a-\u206f\ufeff]/;

/** First code point of each run of ten decimal digits in Unicode (category Nd) we fold to ASCII. */
const DIGIT_ZEROS = [
  0x0660, 0x06f0, 0x07c0, 0x0966, 0x09e6, 0x0a66, 0x0ae6, 0x0b66, 0x0be6, 0x0c66, 0x0ce6, 0x0d66, 0x0de6,
  0x0e50, 0x0ed0, 0x0f20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50, 0x1bb0,
  0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10,
];

/** Mathematical alphanumeric digits: five styles of 0-9 back to back. */
const MATH_DIGITS_START = 0x1d7ce;
const MATH_DIGITS_END = 0x1d7ff;

/** The result of normalisation: the folded text and, when it differs, where each unit came from. */
export interface NormalizedText {
  readonly text: string;
  /** `starts[i]` is the original index of folded unit i; undefined when the text was unchanged. */
  readonly starts: readonly number[] | undefined;
  /** `ends[i]` is the original index just after folded unit i. */
  readonly ends: readonly number[] | undefined;
}

function foldCodePoint(codePoint: number): string | undefined {
  if (codePoint >= MATH_DIGITS_START && codePoint <= MATH_DIGITS_END) {
    return String((codePoint - MATH_DIGITS_START) % 10);
  }
  for (const zero of DIGIT_ZEROS) {
    if (codePoint >= zero && codePoint < zero + 10) return String(codePoint - zero);
  }
  // Dashes and minus signs used as separators.
  if (
    (codePoint >= 0x2010 && codePoint <= 0x2015) ||
    codePoint === 0x2212 ||
    codePoint === 0xfe63 ||
    codePoint === 0xff0d
  ) {
    return '-';
  }
  // Unicode spaces (no-break, thin, ideographic...) become a plain space.
  if (
    codePoint === 0x00a0 ||
    (codePoint >= 0x2000 && codePoint <= 0x200a) ||
    codePoint === 0x202f ||
    codePoint === 0x205f ||
    codePoint === 0x3000
  ) {
    return ' ';
  }
  // Full-width ASCII (letters, '@', '.') folds to ASCII.
  if (codePoint >= 0xff01 && codePoint <= 0xff5e) return String.fromCharCode(codePoint - 0xfee0);
  return undefined;
}

/** Any character `normalizeText` would change; text without one takes the fast path. */
export const FOLDABLE = new RegExp(
  `[${INVISIBLE.source.slice(1, -1)}\\u00a0\\u2000-\\u200a\\u2010-\\u2015\\u202f\\u205f\\u2212\\u3000\\ufe63\\uff01-\\uff5e${DIGIT_ZEROS.map(
    (zero) => `\\u${zero.toString(16).padStart(4, '0')}-\\u${(zero + 9).toString(16).padStart(4, '0')}`,
  ).join('')}]|\\ud835[\\udfce-\\udfff]`,
);

/** Any code unit from U+00A0 up (surrogates too): a necessary condition for FOLDABLE. */
const BEYOND_LATIN1_CONTROLS = /[\u00a0-\uffff]/;

/**
 * Folds `text`. Text with nothing to fold (ASCII, or accented letters only) is returned as is,
 * with no offset tables: the common, fast path.
 */
export function normalizeText(text: string): NormalizedText {
  // Every FOLDABLE character is U+00A0 or above (surrogates included): text without one, the
  // usual case, is settled by a plain range scan, several times cheaper than FOLDABLE's classes.
  if (!BEYOND_LATIN1_CONTROLS.test(text) || !FOLDABLE.test(text))
    return { text, starts: undefined, ends: undefined };
  let folded = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let changed = false;
  for (let index = 0; index < text.length; ) {
    const codePoint = text.codePointAt(index) ?? 0;
    const width = codePoint > 0xffff ? 2 : 1;
    const character = text.slice(index, index + width);
    if (INVISIBLE.test(character)) {
      changed = true;
    } else {
      const replacement = codePoint > 0x7f ? foldCodePoint(codePoint) : undefined;
      if (replacement !== undefined) changed = true;
      const unit = replacement ?? character;
      for (let offset = 0; offset < unit.length; offset++) {
        folded += unit[offset];
        starts.push(index);
        ends.push(index + width);
      }
    }
    index += width;
  }
  if (!changed) return { text, starts: undefined, ends: undefined };
  return { text: folded, starts, ends };
}

/** Maps a span of the folded text back to the original text. */
export function toOriginalSpan(normalized: NormalizedText, start: number, end: number): [number, number] {
  if (!normalized.starts || !normalized.ends) return [start, end];
  return [normalized.starts[start] ?? 0, normalized.ends[end - 1] ?? 0];
}
