/**
 * Which of the recognizers' keywords occur in a message's lower-cased text, found by one regex
 * scan on first use instead of one `includes` per keyword per recognizer (about thirty per
 * message, each a pass over the whole text).
 */

/** Keywords the built-in recognizers look for before running their patterns. Lower-case. */
export const RECOGNIZER_KEYWORDS: readonly string[] = [
  'born',
  'dob',
  'd.o.b',
  'birth',
  'pin',
  'passcode',
  'otp',
  'code',
  'pass',
  'pwd',
  'memorable',
  'box',
  'po a',
  'corner of',
  'zip',
  'postal',
  'end',
  'last',
  'acc',
  'a/c',
  'sort',
  'cv',
  'cid',
  'csc',
  'security',
  'verification',
  'digit',
  'on the back',
  'passport',
];

/** Presence of keywords in one text. */
export interface KeywordPresence {
  /** Whether the text contains `keyword`, exactly as `text.includes(keyword)` would say. */
  has(keyword: string): boolean;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Builds a scanner for `keywords`. Alternatives are tried longest first, so at each position the
 * match is the longest keyword starting there; every other keyword starting there is one of its
 * prefixes and is recorded with it. Resuming one character after each match start visits every
 * position where a keyword starts, so the result is exactly the set of keywords `includes` finds.
 */
export function createKeywordScanner(keywords: readonly string[]): {
  readonly vocabulary: ReadonlySet<string>;
  scan(text: string): Set<string>;
} {
  const ordered = [...new Set(keywords)].sort((left, right) => right.length - left.length);
  const pattern = new RegExp(ordered.map(escapeRegex).join('|'), 'g');
  const prefixes = new Map(
    ordered.map((keyword) => [keyword, ordered.filter((other) => keyword.startsWith(other))]),
  );
  return {
    vocabulary: new Set(ordered),
    scan(text) {
      const found = new Set<string>();
      pattern.lastIndex = 0;
      for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
        for (const keyword of prefixes.get(match[0])!) found.add(keyword);
        pattern.lastIndex = match.index + 1;
      }
      return found;
    },
  };
}

const RECOGNIZER_SCANNER = createKeywordScanner(RECOGNIZER_KEYWORDS);

/**
 * Keyword presence for one analysis over its lower-cased text; the scan runs on the first
 * question. Keywords outside RECOGNIZER_KEYWORDS are answered by `includes`.
 */
export function createKeywordPresence(lower: string): KeywordPresence {
  let found: Set<string> | undefined;
  return {
    has(keyword) {
      if (!RECOGNIZER_SCANNER.vocabulary.has(keyword)) return lower.includes(keyword);
      found ??= RECOGNIZER_SCANNER.scan(lower);
      return found.has(keyword);
    },
  };
}
