import { describe, expect, it } from 'vitest';
import { FOLDABLE, normalizeText, toOriginalSpan } from './normalize.js';

describe('normalizeText', () => {
  it('when text has nothing to fold then it is returned as is without offset tables', () => {
    const result = normalizeText('Crème brûlée, card 4111');
    expect(result.text).toBe('Crème brûlée, card 4111');
    expect(result.starts).toBeUndefined();
  });

  it('when digits are unicode or split by invisible characters then they fold to ASCII and map back', () => {
    const original = 'a\uff14\u200b\u0661\u00a0b';
    const result = normalizeText(original);
    expect(result.text).toBe('a41 b');
    expect(toOriginalSpan(result, 1, 3)).toEqual([1, 4]);
    expect(original.slice(1, 4)).toBe('\uff14\u200b\u0661');
  });

  it('when mathematical digits take two code units then the span still covers both', () => {
    const original = 'x\u{1d7d9}\u{1d7da}y';
    const result = normalizeText(original);
    expect(result.text).toBe('x12y');
    const [start, end] = toOriginalSpan(result, 1, 3);
    expect(original.slice(start, end)).toBe('\u{1d7d9}\u{1d7da}');
  });

  it('folds nothing below U+00A0, so the plain range scan may settle such text alone', () => {
    for (let unit = 0; unit <= 0xffff; unit++) {
      if (FOLDABLE.test(String.fromCharCode(unit))) expect(unit).toBeGreaterThanOrEqual(0xa0);
    }
    expect(normalizeText('plain ascii 4111\t\n\u0085').starts).toBeUndefined();
    expect(normalizeText('card 4\u200b111').text).toBe('card 4111');
  });
});
