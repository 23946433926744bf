/** Summary statistics for latency samples and other measured series. */

/** Count, mean and the usual percentiles of a series, in the series' own unit. */
export interface Summary {
  readonly count: number;
  readonly min: number;
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/**
 * The `fraction` quantile (0..1) of an ascending-sorted series, by linear interpolation between
 * closest ranks. NaN for an empty series so a missing measurement is never mistaken for zero.
 */
export function quantile(sortedAscending: readonly number[], fraction: number): number {
  if (sortedAscending.length === 0) return Number.NaN;
  const position = (sortedAscending.length - 1) * Math.min(Math.max(fraction, 0), 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const lowerValue = sortedAscending[lower] as number;
  const upperValue = sortedAscending[upper] as number;
  return lowerValue + (upperValue - lowerValue) * (position - lower);
}

/** Summarises a series (any order); the input is not modified. */
export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((left, right) => left - right);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    count: sorted.length,
    min: sorted[0] ?? Number.NaN,
    mean: sorted.length > 0 ? total / sorted.length : Number.NaN,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/** Rounds to a fixed number of decimals, for figures that go into reports. */
export function round(value: number, decimals = 3): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
