/**
 * Remembers a yes/no decision per key, bounded: retrieved passages change only when a document is
 * republished and the same bank facts are listed turn after turn, so screening each text once keeps
 * the injection screen off the hot path. The memory is dropped whole when it is full.
 */
export function rememberVerdicts<Item>(
  decide: (item: Item) => boolean,
  keyOf: (item: Item) => string,
  maxEntries = 50_000,
): (item: Item) => boolean {
  const verdicts = new Map<string, boolean>();
  return (item) => {
    const key = keyOf(item);
    const known = verdicts.get(key);
    if (known !== undefined) return known;
    const verdict = decide(item);
    if (verdicts.size >= maxEntries) verdicts.clear();
    verdicts.set(key, verdict);
    return verdict;
  };
}
