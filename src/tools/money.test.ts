import { describe, expect, it } from 'vitest';
import { absoluteMoney, formatMoney, money, parseMinorUnits, sumMoney } from './money.js';

describe('formatMoney', () => {
  it.each([
    [0, 'GBP', '£0.00'],
    [5, 'GBP', '£0.05'],
    [99, 'GBP', '£0.99'],
    [100, 'GBP', '£1.00'],
    [123456, 'GBP', '£1,234.56'],
    [-1050, 'GBP', '-£10.50'],
    [100000000, 'EUR', '€1,000,000.00'],
    [Number.MAX_SAFE_INTEGER, 'USD', '$90,071,992,547,409.91'],
  ] as const)('when %d %s then %s', (minor, currency, expected) => {
    expect(formatMoney(money(minor, currency))).toBe(expected);
  });
});

describe('sumMoney', () => {
  it('when ten thousand 10p amounts are added then the total is exactly £1,000.00', () => {
    const amounts = Array.from({ length: 10_000 }, () => money(10, 'GBP'));
    expect(formatMoney(sumMoney(amounts, 'GBP'))).toBe('£1,000.00');
  });

  it('when 0.10 and 0.20 are added then the total is exactly £0.30 (no float drift)', () => {
    expect(formatMoney(sumMoney([money(10, 'GBP'), money(20, 'GBP')], 'GBP'))).toBe('£0.30');
  });

  it('when many mixed-sign small amounts are added then the sum equals the integer sum', () => {
    const minors = Array.from({ length: 997 }, (_, index) => ((index * 7919) % 2001) - 1000);
    const expected = minors.reduce((total, value) => total + value, 0);
    expect(
      sumMoney(
        minors.map((minor) => money(minor, 'GBP')),
        'GBP',
      ).minor,
    ).toBe(expected);
  });

  it('when currencies are mixed then it throws', () => {
    expect(() => sumMoney([money(1, 'GBP'), money(1, 'EUR')], 'GBP')).toThrow(/Cannot add EUR/);
  });

  it('when the total overflows then it throws', () => {
    expect(() => sumMoney([money(Number.MAX_SAFE_INTEGER, 'GBP'), money(1, 'GBP')], 'GBP')).toThrow(
      /overflow/,
    );
  });

  it('when a non-integer is given then money() refuses it', () => {
    expect(() => money(10.5, 'GBP')).toThrow(RangeError);
    expect(absoluteMoney(money(-250, 'GBP'))).toEqual({ minor: 250, currency: 'GBP' });
  });
});

describe('parseMinorUnits', () => {
  it.each([
    ['50', 5000],
    ['£50', 5000],
    ['12.99', 1299],
    ['12.9', 1290],
    ['1,234.56', 123456],
    ['0.01', 1],
  ])('when "%s" then %d', (text, expected) => {
    expect(parseMinorUnits(text)).toBe(expected);
  });

  it.each(['-5', '1.234', 'abc', '1e3', '12,34', ''])('when "%s" then undefined', (text) => {
    expect(parseMinorUnits(text)).toBeUndefined();
  });
});
