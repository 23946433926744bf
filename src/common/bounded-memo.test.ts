import { describe, expect, it } from 'vitest';
import { boundedMemo } from './bounded-memo.js';

describe('boundedMemo', () => {
  it('when a key is asked for twice then it is computed once and the same value is returned', () => {
    const computed: string[] = [];
    const length = boundedMemo((key) => {
      computed.push(key);
      return { length: key.length };
    }, 4);
    const first = length('passage');
    expect(length('passage')).toBe(first);
    expect(first).toEqual({ length: 7 });
    expect(computed).toEqual(['passage']);
  });

  it('when full then the least recently used entry is dropped and recomputed later', () => {
    const computed: string[] = [];
    const upper = boundedMemo((key) => {
      computed.push(key);
      return key.toUpperCase();
    }, 2);
    upper('a');
    upper('b');
    upper('a'); // "a" is now the most recently used, so "b" goes first
    upper('c');
    expect(upper('a')).toBe('A');
    expect(upper('b')).toBe('B');
    expect(computed).toEqual(['a', 'b', 'c', 'b']);
  });

  it('when a computed value is undefined then it is still remembered', () => {
    let calls = 0;
    const nothing = boundedMemo(() => {
      calls += 1;
      return undefined;
    }, 1);
    nothing('x');
    nothing('x');
    expect(calls).toBe(1);
  });

  it('when the bound is not a positive whole number then it refuses to build', () => {
    expect(() => boundedMemo((key) => key, 0)).toThrow(RangeError);
    expect(() => boundedMemo((key) => key, 1.5)).toThrow(RangeError);
  });
});
