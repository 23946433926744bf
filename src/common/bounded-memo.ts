/**
 * A memo for pure functions of a string whose inputs come from a finite but unbounded-in-principle
 * source (passage texts of the knowledge corpus, words of a vocabulary). The table holds at most
 * `maxEntries` results; when full, the least recently used entry is dropped, so a corpus change or a
 * stream of novel inputs can never grow memory without bound.
 *
 * Results are shared between callers: memoize only values that callers treat as read-only.
 */
export function boundedMemo<Value>(
  compute: (key: string) => Value,
  maxEntries: number,
): (key: string) => Value {
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError(`boundedMemo needs a positive whole number of entries, got ${maxEntries}`);
  }
  // A Map iterates in insertion order; re-inserting on a hit keeps the oldest-used entry first.
  const entries = new Map<string, Value>();
  return function memoized(key: string): Value {
    const remembered = entries.get(key);
    if (remembered !== undefined || entries.has(key)) {
      entries.delete(key);
      entries.set(key, remembered as Value);
      return remembered as Value;
    }
    const value = compute(key);
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
    entries.set(key, value);
    return value;
  };
}
