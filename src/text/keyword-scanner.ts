/**
 * Which of a fixed vocabulary of keywords occur in a text, found by one regex scan instead of one
 * `includes` per keyword (each a pass over the whole text). Built once from the vocabulary; the
 * answers are exactly what `text.includes(keyword)` gives.
 */

/** Presence of keywords in one text. */
export interface KeywordPresence {
  /** Whether the text contains `keyword`, exactly as `text.includes(keyword)` would say. */
  has(keyword: string): boolean;
  /** Whether the text contains any of `keywords`. */
  hasAny(keywords: readonly string[]): boolean;
}

/** A scanner for one vocabulary of keywords. */
export interface KeywordScanner {
  /** The keywords the scan finds; others are answered by `includes`. */
  readonly vocabulary: ReadonlySet<string>;
  /** Every vocabulary keyword that `text` contains. */
  scan(text: string): Set<string>;
  /** Presence for one text; the scan runs on the first question about a vocabulary keyword. */
  presence(text: string): KeywordPresence;
}

/** `text` with every regex metacharacter escaped, to be matched literally. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Builds a scanner for `keywords`. Alternatives are tried longest first, so at each position the
 * match is the longest keyword starting there; every other keyword starting there is one of its
 * prefixes and is recorded with it. Resuming one character after each match start visits every
 * position where a keyword starts, so the result is exactly the set of keywords `includes` finds.
 */
export function createKeywordScanner(keywords: readonly string[]): KeywordScanner {
  // The empty keyword is in every text; `includes` answers it without a scan.
  const ordered = [...new Set(keywords)]
    .filter((keyword) => keyword.length > 0)
    .sort((left, right) => right.length - left.length);
  const vocabulary: ReadonlySet<string> = new Set(ordered);
  const pattern = ordered.length > 0 ? new RegExp(ordered.map(escapeRegex).join('|'), 'g') : undefined;
  const prefixes = new Map(
    ordered.map((keyword) => [keyword, ordered.filter((other) => keyword.startsWith(other))]),
  );
  function scan(text: string): Set<string> {
    const found = new Set<string>();
    if (!pattern) return found;
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      for (const keyword of prefixes.get(match[0])!) found.add(keyword);
      pattern.lastIndex = match.index + 1;
    }
    return found;
  }
  return {
    vocabulary,
    scan,
    presence(text) {
      let found: Set<string> | undefined;
      const has = (keyword: string): boolean => {
        if (!vocabulary.has(keyword)) return text.includes(keyword);
        found ??= scan(text);
        return found.has(keyword);
      };
      return {
        has,
        hasAny: (candidates) => candidates.some(has),
      };
    },
  };
}
