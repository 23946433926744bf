import { describe, expect, it } from 'vitest';
import { compileMerchantList, extractArguments } from './argument-extraction.js';

// Wednesday 20 May 2026.
const now = new Date('2026-05-20T12:00:00Z');
const extract = (text: string) => extractArguments(text, { now });

describe('extractArguments: dates', () => {
  it.each([
    ['what did I spend yesterday', { from: '2026-05-19', to: '2026-05-19' }],
    ['anything today?', { from: '2026-05-20', to: '2026-05-20' }],
    ['payments last week', { from: '2026-05-11', to: '2026-05-17' }],
    ['payments this week', { from: '2026-05-18', to: '2026-05-20' }],
    ['spending last month', { from: '2026-04-01', to: '2026-04-30' }],
    ['spending in March', { from: '2026-03-01', to: '2026-03-31' }],
    ['spending in December', { from: '2025-12-01', to: '2025-12-31' }],
    ['what have I spent this month', { from: '2026-05-01', to: '2026-05-20' }],
    ['transactions since 1 May', { from: '2026-05-01' }],
    ['transactions since May 3rd', { from: '2026-05-03' }],
    ['transactions since the 2nd of April', { from: '2026-04-02' }],
    ['what came in since Monday', { from: '2026-05-18' }],
    ['what did I pay on 14 May', { from: '2026-05-14', to: '2026-05-14' }],
    ['last 7 days of payments', { from: '2026-05-14', to: '2026-05-20' }],
    ['the past two weeks', { from: '2026-05-07', to: '2026-05-20' }],
  ])('when "%s" then %o', (text, expected) => {
    const result = extract(text);
    expect({ from: result.from, to: result.to }).toEqual(
      Object.assign({ from: undefined, to: undefined }, expected),
    );
  });
});

describe('extractArguments: amounts, merchants, counts and choices', () => {
  it('when "over £50" then the minimum is strictly above £50', () => {
    expect(extract('payments over £50')).toMatchObject({ minAmount: '50.01' });
  });

  it('when "at least 20 pounds" then the minimum is inclusive', () => {
    expect(extract('at least 20 pounds')).toMatchObject({ minAmount: '20.00' });
  });

  it('when "under £10.50" then the maximum is strictly below', () => {
    expect(extract('spending under £10.50')).toMatchObject({ maxAmount: '10.49' });
  });

  it('when "between £10 and £20" then both bounds are inclusive', () => {
    expect(extract('between £10 and £20')).toMatchObject({ minAmount: '10.00', maxAmount: '20.00' });
  });

  it.each([
    ['what did I spend at Tesco last week?', 'Tesco'],
    ['how much went to sainsburys', "Sainsbury's"],
    ['my Netflix payments', 'Netflix'],
    ['coffee at Pret', 'Pret A Manger'],
    ['what did I pay at Joe Bloggs Cafe', 'Joe Bloggs Cafe'],
  ])('when "%s" then the merchant is %s', (text, merchant) => {
    expect(extract(text).merchant).toBe(merchant);
  });

  it('when a month follows "in" then it is not taken for a merchant', () => {
    expect(extract('what did I spend in March').merchant).toBeUndefined();
  });

  it('when salary is asked then it searches money in for "salary"', () => {
    expect(extract('is my salary in yet?')).toMatchObject({ merchant: 'salary', direction: 'in' });
  });

  it.each([
    ['show me my last 5 transactions', 5],
    ['last five payments', 5],
    ['3 most recent transactions', 3],
    ['my latest transaction', 1],
  ])('when "%s" then the limit is %d', (text, limit) => {
    expect(extract(text).limit).toBe(limit);
  });

  it('when a card is described then kind and last four are extracted', () => {
    expect(extract('freeze my credit card')).toMatchObject({ card: 'credit' });
    expect(extract('freeze the card ending 4821')).toMatchObject({ cardLast4: '4821' });
    expect(extract('my debit card was stolen')).toMatchObject({ card: 'debit', circumstance: 'stolen' });
  });

  it('when a dispute is described then the reference and reason are extracted', () => {
    expect(extract("I don't recognise transaction 0142")).toMatchObject({
      transactionRef: '0142',
      reason: 'not_recognised',
    });
    expect(extract('I was charged twice, ref ••••0150')).toMatchObject({
      transactionRef: '0150',
      reason: 'charged_twice',
    });
  });

  it('when the message is huge then extraction stays bounded', () => {
    const started = performance.now();
    extract(`${'at Tesco over £5 '.repeat(20_000)}`);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('compileMerchantList', () => {
  it('when a router has its own merchant list then the longest matching name wins, as written in the list', () => {
    const merchants = compileMerchantList(['Corner Shop', 'Corner Shop Express']);
    expect(extractArguments('what did I spend at corner shop express?', { now, merchants }).merchant).toBe(
      'Corner Shop Express',
    );
    expect(extractArguments('payments to corner shop this week', { now, merchants }).merchant).toBe(
      'Corner Shop',
    );
  });
});
