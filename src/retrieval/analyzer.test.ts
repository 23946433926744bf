import { describe, expect, it } from 'vitest';
import { analyze, analyzeTerms } from './analyzer.js';
import { Vocabulary } from './vocabulary.js';

describe('analyze', () => {
  it('when text has case, accents, possessives and stop words then only stemmed content terms remain', () => {
    expect(analyzeTerms("The Café's overdraft CHARGES are what?")).toEqual(['cafe', 'overdraft', 'charg']);
  });

  it('when words are inflected then they share a stem', () => {
    expect(analyzeTerms('payments paying paid')[0]).toBe(analyzeTerms('payment')[0]);
    expect(analyzeTerms('cancelled')).toEqual(analyzeTerms('cancel'));
  });

  it('when negations and numbers appear then they are kept', () => {
    expect(analyzeTerms('card not arrived after 5 days')).toEqual(['card', 'not', 'arriv', '5', 'dai']);
  });
});

describe('Vocabulary.correct', () => {
  const vocabulary = Vocabulary.fromTokenLists([
    analyze('arranged overdraft interest'),
    analyze('overdraft limit and international payments'),
    analyze('lost card replacement'),
  ]);

  it('when a query word is a transposition of a known word then it is corrected', () => {
    const [token] = analyze('overdarft');
    expect(vocabulary.correct(token!)).toMatchObject({
      term: 'overdraft',
      correctedFrom: 'overdarft',
      correctedTo: 'overdraft',
    });
  });

  it('when a long word has two typos then it is still corrected', () => {
    const [token] = analyze('internatinoal');
    expect(vocabulary.correct(token!).term).toBe(analyzeTerms('international')[0]);
  });

  it('when a word is known then it passes with full weight', () => {
    const [token] = analyze('overdraft');
    expect(vocabulary.correct(token!)).toEqual({ term: 'overdraft', weight: 1 });
  });

  it('when a word is short or too far from every known word then it is left alone with weight 0', () => {
    expect(vocabulary.correct(analyze('cad')[0]!).weight).toBe(0);
    expect(vocabulary.correct(analyze('mortgage')[0]!).weight).toBe(0);
  });

  it('round-trips through a snapshot', () => {
    const copy = Vocabulary.fromSnapshot(vocabulary.toSnapshot());
    expect(copy.correct(analyze('overdarft')[0]!).term).toBe('overdraft');
    expect(copy.idf('overdraft')).toBeCloseTo(vocabulary.idf('overdraft'));
  });
});
