import { describe, expect, it } from 'vitest';
import { isEditor, normalizePerson, samePerson } from './four-eyes.js';

describe('four-eyes identity comparison', () => {
  it.each([
    ['alice', 'ALICE'],
    ['alice', ' alice '],
    ['alice', '\talice\n'],
    ['alice', 'al\u200Bice'],
    ['alice', 'ａｌｉｃｅ'],
    ['alice@bank.example', 'Alice@Bank.Example'],
  ])('when %j and %j are compared then they are the same person', (left, right) => {
    expect(samePerson(left, right)).toBe(true);
  });

  it.each([
    ['alice', 'alice2'],
    ['alice', 'bob'],
    ['alice.smith', 'alice-smith'],
  ])('when %j and %j are compared then they are different people', (left, right) => {
    expect(samePerson(left, right)).toBe(false);
  });

  it('when the approver matches any editor after normalization then they are an editor', () => {
    expect(isEditor(' BOB', ['alice', 'bob'])).toBe(true);
    expect(isEditor('carol', ['alice', 'bob'])).toBe(false);
    expect(normalizePerson('  Mixed.Case  ')).toBe('mixed.case');
  });
});
