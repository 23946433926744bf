import { describe, expect, it } from 'vitest';
import { quantile, summarize } from './statistics.js';

describe('summarize', () => {
  it('computes interpolated percentiles of an unsorted series', () => {
    const values = Array.from({ length: 101 }, (_, index) => 100 - index);
    const summary = summarize(values);
    expect(summary).toMatchObject({ count: 101, min: 0, max: 100, mean: 50, p50: 50, p95: 95, p99: 99 });
    expect(values[0]).toBe(100);
  });

  it('interpolates between ranks', () => {
    expect(quantile([10, 20], 0.5)).toBe(15);
    expect(quantile([10, 20, 30, 40], 0.95)).toBeCloseTo(38.5);
  });

  it('returns NaN for an empty series instead of a misleading zero', () => {
    expect(Number.isNaN(summarize([]).p95)).toBe(true);
  });
});
