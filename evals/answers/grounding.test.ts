import { describe, expect, it } from 'vitest';
import type { HarnessDocument } from '../framework/teller-harness.js';
import {
  figuresFoundIn,
  figuresOf,
  isHonestDontKnow,
  outOfForceOnlyFigures,
  unsupportedFigures,
} from './grounding.js';

const document = (id: string, inForce: boolean, body: string): HarnessDocument => ({
  id,
  version: '1.0',
  status: inForce ? 'approved' : 'retired',
  inForce,
  body,
});

describe('answer grounding checks', () => {
  it('when an answer states amounts and rates then each is extracted as written', () => {
    expect(figuresOf('It costs £15, or £1,027 in total; 39.9 % EAR and £1 million.')).toEqual([
      '£15',
      '£1,027',
      '39.9%',
      '£1million',
    ]);
  });

  it('when a figure is only part of a larger one in the source then it is unsupported', () => {
    expect(unsupportedFigures('The fee is £15.', ['We charge £150 per payment.'])).toEqual(['£15']);
    expect(unsupportedFigures('The rate is 9.9%.', ['We charge 39.9% EAR.'])).toEqual(['9.9%']);
    expect(unsupportedFigures('The fee is £15.', ['We charge £15 per payment.'])).toEqual([]);
  });

  it('when a figure appears in an in-force document too then it is not an out-of-force leak', () => {
    const leaks = outOfForceOnlyFigures([
      document('tariff', true, 'SWIFT costs £15 and CHAPS £20.'),
      document('tariff-2024', false, 'SWIFT cost £25 and CHAPS £20; the fee was 2.75%.'),
    ]);
    expect([...leaks.keys()].sort()).toEqual(['2.75%', '£25']);
    expect(figuresFoundIn('Our fee is 2.75% of the value', leaks.keys())).toEqual(['2.75%']);
    expect(figuresFoundIn('Our fee is 12.75% of the value', leaks.keys())).toEqual([]);
  });

  it('when Teller says it has no approved information then that counts as declining', () => {
    expect(isHonestDontKnow("I'm sorry, I don't have approved information to answer that.")).toBe(true);
    expect(isHonestDontKnow('We charge £15 per payment.')).toBe(false);
  });
});

describe('figures in a list separated by commas', () => {
  it('when a document lists "year 1, 4% in year 2" then 4% is supported and 1,4% is not', () => {
    const document = 'The charge is typically 5% in year 1, 4% in year 2, 3% in year 3.';
    expect(unsupportedFigures('The charge is 4% in year 2.', [document])).toEqual([]);
    expect(unsupportedFigures('The charge is 6% in year 2.', [document])).toEqual(['6%']);
  });
});
