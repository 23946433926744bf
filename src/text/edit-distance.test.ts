import { describe, expect, it } from 'vitest';
import { boundedDamerauLevenshtein } from './edit-distance.js';

describe('boundedDamerauLevenshtein', () => {
  it.each([
    ['overdarft', 'overdraft', 2, 1],
    ['kitten', 'sitting', 3, 3],
    ['kitten', 'sitting', 1, 2],
    ['same', 'same', 1, 0],
    ['a', 'abcd', 2, 3],
    ['humna', 'human', 1, 1],
    ['persn', 'person', 1, 1],
    ['agnet', 'agent', 1, 1],
    ['managed', 'manager', 1, 1],
    ['', 'abc', 3, 3],
  ])('when distance(%s, %s) is bounded by %i then it is %i', (left, right, limit, expected) => {
    expect(boundedDamerauLevenshtein(left, right, limit)).toBe(expected);
  });

  it('when the words are further apart than the limit then limit + 1 is returned early', () => {
    expect(boundedDamerauLevenshtein('complaint', 'compliant', 0)).toBe(1);
    expect(boundedDamerauLevenshtein('statement', 'settlement', 1)).toBe(2);
  });
});
