/**
 * Reciprocal Rank Fusion as Qdrant computes it (`lib/segment/src/common/reciprocal_rank_fusion.rs`):
 * each list contributes `1 / ((position + 1) / weight + k - 1)` with a 0-based position, which is
 * `1 / (position + k)` at weight 1; only order matters, and Qdrant's default `k` is 2. Ties keep
 * the order of first appearance.
 */
export function reciprocalRankFusion<T>(
  lists: ReadonlyArray<ReadonlyArray<T>>,
  keyOf: (item: T) => string,
  k = DEFAULT_RRF_K,
  weights?: readonly number[],
): Array<{ item: T; score: number }> {
  const fused = new Map<string, { item: T; score: number }>();
  for (const [listIndex, list] of lists.entries()) {
    const weight = weights?.[listIndex] ?? 1;
    if (weight <= 0) continue;
    list.forEach((item, position) => {
      const key = keyOf(item);
      const contribution = 1 / ((position + 1) / weight + k - 1);
      const existing = fused.get(key);
      if (existing) existing.score += contribution;
      else fused.set(key, { item, score: contribution });
    });
  }
  return [...fused.values()].sort((left, right) => right.score - left.score);
}

/** Qdrant's default RRF constant (used when a query says `fusion: 'rrf'`). */
export const DEFAULT_RRF_K = 2;
