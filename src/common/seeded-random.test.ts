import { describe, expect, it } from 'vitest';
import { createRandom, mulberry32, sample, shuffle } from './seeded-random.js';

describe('mulberry32', () => {
  it('when given the same seed then yields the same sequence', () => {
    const first = mulberry32(42);
    const second = mulberry32(42);
    const a = Array.from({ length: 20 }, () => first());
    const b = Array.from({ length: 20 }, () => second());
    expect(a).toEqual(b);
  });

  it('when given different seeds then yields different sequences in [0, 1)', () => {
    const a = Array.from({ length: 1000 }, mulberry32(1));
    const b = Array.from({ length: 1000 }, mulberry32(2));
    expect(a).not.toEqual(b);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a)).toBeLessThan(1);
    // Roughly uniform: the mean of 1000 draws is close to 0.5.
    expect(a.reduce((sum, value) => sum + value, 0) / a.length).toBeGreaterThan(0.45);
    expect(a.reduce((sum, value) => sum + value, 0) / a.length).toBeLessThan(0.55);
  });
});

describe('sample', () => {
  const items = Array.from({ length: 100 }, (_, index) => `case-${index}`);

  it('when called twice with the same seed then returns the same items', () => {
    expect(sample(items, 10, 7)).toEqual(sample(items, 10, 7));
  });

  it('when the seed changes then the selection changes', () => {
    expect(sample(items, 10, 7)).not.toEqual(sample(items, 10, 8));
  });

  it('returns distinct items in their original order without touching the input', () => {
    const copy = [...items];
    const picked = sample(items, 25, 3);
    expect(new Set(picked).size).toBe(25);
    const positions = picked.map((item) => items.indexOf(item));
    expect(positions).toEqual([...positions].sort((left, right) => left - right));
    expect(items).toEqual(copy);
  });

  it('when asked for more than there is then returns a copy of everything', () => {
    const all = sample(items, 500, 1);
    expect(all).toEqual(items);
    expect(all).not.toBe(items);
  });

  it('when the count is negative or fractional then throws', () => {
    expect(() => sample(items, -1, 1)).toThrow(RangeError);
    expect(() => sample(items, 1.5, 1)).toThrow(RangeError);
  });

  it('picks every item with similar frequency across seeds', () => {
    const counts = new Map<string, number>();
    for (let seed = 0; seed < 2000; seed++) {
      for (const item of sample(items.slice(0, 10), 3, seed)) counts.set(item, (counts.get(item) ?? 0) + 1);
    }
    // Each of 10 items is expected 600 times; allow generous sampling noise.
    for (const count of counts.values()) expect(count).toBeGreaterThan(480);
    expect(counts.size).toBe(10);
  });
});

describe('shuffle and createRandom', () => {
  it('shuffle is a deterministic permutation', () => {
    const items = [1, 2, 3, 4, 5, 6, 7, 8];
    const shuffled = shuffle(items, 11);
    expect(shuffled).toEqual(shuffle(items, 11));
    expect([...shuffled].sort()).toEqual(items);
    expect(shuffled).not.toEqual(items);
  });

  it('pick refuses an empty array', () => {
    expect(() => createRandom(1).pick([])).toThrow(RangeError);
  });
});
