/**
 * Seeded randomness for evals and benchmarks. Everything random in a suite (sampling, shuffles,
 * synthetic data) goes through these helpers so a run with the same `--seed` sees the same cases.
 */

/**
 * The mulberry32 generator: a 32-bit state, fast and good enough for sampling test cases (not for
 * anything security related). Returns a function yielding floats in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return function next() {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A seeded source of random choices built on {@link mulberry32}. */
export interface SeededRandom {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, exclusiveMax). */
  integer(exclusiveMax: number): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** A shuffled copy (Fisher–Yates); the input is left untouched. */
  shuffle<T>(items: readonly T[]): T[];
}

/** Creates a {@link SeededRandom}; the same seed always yields the same sequence. */
export function createRandom(seed: number): SeededRandom {
  const next = mulberry32(seed);
  const integer = (exclusiveMax: number): number => Math.floor(next() * exclusiveMax);
  return {
    next,
    integer,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError('pick() needs at least one item.');
      return items[integer(items.length)] as T;
    },
    shuffle<T>(items: readonly T[]): T[] {
      const copy = [...items];
      for (let index = copy.length - 1; index > 0; index--) {
        const other = integer(index + 1);
        [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
      }
      return copy;
    },
  };
}

/** A shuffled copy of `items`, deterministic for a given seed. */
export function shuffle<T>(items: readonly T[], seed: number): T[] {
  return createRandom(seed).shuffle(items);
}

/**
 * Picks `count` distinct elements of `items`, deterministically for a given seed, and returns
 * them in their original order (so a sample reads like the dataset it came from). When `count`
 * is at least the length, the whole array is returned as a copy.
 */
export function sample<T>(items: readonly T[], count: number, seed: number): T[] {
  if (!Number.isInteger(count) || count < 0)
    throw new RangeError(`sample() count must be a non-negative integer, got ${count}.`);
  if (count >= items.length) return [...items];
  const random = createRandom(seed);
  const indexes = items.map((_, index) => index);
  // Partial Fisher–Yates: only the first `count` positions need to be settled.
  for (let position = 0; position < count; position++) {
    const other = position + random.integer(indexes.length - position);
    [indexes[position], indexes[other]] = [indexes[other] as number, indexes[position] as number];
  }
  return indexes
    .slice(0, count)
    .sort((left, right) => left - right)
    .map((index) => items[index] as T);
}
