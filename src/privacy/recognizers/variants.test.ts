/**
 * The ways customers actually type secrets and identifiers (spaces, separators, words, case), and
 * the near misses that must stay readable: amounts, dates, card last-four, bare references.
 */
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../analyzer.js';
import type { EntityType } from '../types.js';
import { isUkNino } from '../validators.js';
import { spokenDigits } from './secrets.js';

const analyzer = createAnalyzer();

function found(text: string): Array<[EntityType, string]> {
  return analyzer.analyze(text).map((result) => [result.entity, text.slice(result.start, result.end)]);
}

describe('when a value is typed with spaces, separators, words or odd case then it is found whole', () => {
  it.each<[string, EntityType, string]>([
    ['pin is 4 7 1 9', 'PIN', '4 7 1 9'],
    ['pin: 4-7-1-9', 'PIN', '4-7-1-9'],
    ['my pin is four seven one nine', 'PIN', 'four seven one nine'],
    ['My PIN Number Is Six Oh Two Eight', 'PIN', 'Six Oh Two Eight'],
    ['new pin 30.81', 'PIN', '30.81'],
    ['passcode=583920', 'PIN', '583920'],
    ['security code 917', 'CVV', '917'],
    ['the cvv is 3 0 4', 'CVV', '3 0 4'],
    ['three digit code: nine one two', 'CVV', 'nine one two'],
    ['card 4111/1111/1111/1111 please', 'CREDIT_CARD', '4111/1111/1111/1111'],
    ['card 4111.1111.1111.1111 please', 'CREDIT_CARD', '4111.1111.1111.1111'],
    ['card 5555 - 5555 - 5555 - 4444 thanks', 'CREDIT_CARD', '5555 - 5555 - 5555 - 4444'],
    ['card 4111_1111_1111_1111', 'CREDIT_CARD', '4111_1111_1111_1111'],
    ['card 4111  1111  1111  1111', 'CREDIT_CARD', '4111  1111  1111  1111'],
    ['my NI number is JG103759A', 'UK_NINO', 'JG103759A'],
    ['NINO: JG 10 37 59 A', 'UK_NINO', 'JG 10 37 59 A'],
    ['national insurance jg-10-37-59-a', 'UK_NINO', 'jg-10-37-59-a'],
    ['passport number 533380006', 'PASSPORT', '533380006'],
    ['my passport no. is C01X00T47', 'PASSPORT', 'C01X00T47'],
    ['Passport: 533 380 006', 'PASSPORT', '533 380 006'],
    ['code 482913', 'OTP', '482913'],
    ['OTP is 48 29 13', 'OTP', '48 29 13'],
    ['the code you sent me was four eight two nine one three', 'OTP', 'four eight two nine one three'],
    ['one-time passcode: 7731-02', 'OTP', '7731-02'],
    ['account number 55555555', 'BANK_ACCOUNT', '55555555'],
    ['acct no 1234 5678', 'BANK_ACCOUNT', '1234 5678'],
    ['my name is john smith', 'PERSON', 'john smith'],
    ['this is sarah', 'PERSON', 'sarah'],
    ["hi, i'm priya and my card is stuck", 'PERSON', 'priya'],
    ['my name is zebedee okonkwo-hart', 'PERSON', 'zebedee okonkwo-hart'],
  ])('%s → %s %s', (text, entity, value) => {
    expect(found(text)).toContainEqual([entity, value]);
  });
});

describe('when a near miss has no secret in it then nothing is redacted', () => {
  it.each<string>([
    'I paid £4,719.00 on 12/05/2024',
    'the payment of 4 7 1 9 pounds',
    'transfer 1500 on 25/05/2024 26/05/2024',
    'reference 48291344 on the letter',
    'error code 4040 on the app',
    'sort code 12 34 56 wrong? no',
    'promo code 2024 offer',
    'my passport expires 2031',
    'my pin is wrong again',
    'my name is spelled wrong on the card',
    'this is ridiculous',
    'this is will power',
    'call me back tomorrow',
    "i'm going abroad in june",
    'JG103759E is not a NINO suffix',
    'QQ123456A uses letters HMRC never allocates',
  ])('%s', (text) => {
    expect(found(text).filter(([entity]) => entity !== 'UK_SORT_CODE')).toEqual([]);
  });

  it('when a PIN or code sentence mentions the card ending then the last four stay a card, never a secret', () => {
    expect(found('pin for my card ending 4821 is blocked')).toEqual([['CREDIT_CARD', '4821']]);
    expect(found('code for card ending 4821 please')).toEqual([['CREDIT_CARD', '4821']]);
  });

  it('when "sort code" precedes six digits then it is a sort code, not a one-time code', () => {
    expect(found('sort code 123456')).toEqual([['UK_SORT_CODE', '123456']]);
  });

  it('when a number is too long for a PIN then no PIN is cut out of it', () => {
    expect(found('pin 123456789012').filter(([entity]) => entity === 'PIN')).toEqual([]);
  });
});

describe('validators', () => {
  it.each<[string, boolean]>([
    ['JG103759A', true],
    ['AB 12 34 56 C', true],
    ['jg-10-37-59-a', true],
    ['JG10 37-59A', false],
    ['DA123456A', false],
    ['AO123456A', false],
    ['GB123456A', false],
    ['ZZ123456A', false],
    ['JG103759E', false],
  ])('isUkNino(%s) is %s', (value, expected) => {
    expect(isUkNino(value)).toBe(expected);
  });

  it('spokenDigits reads typed and spoken digits alike', () => {
    expect(spokenDigits('four 7 one-9')).toBe('4719');
    expect(spokenDigits('Oh Nought Zero')).toBe('000');
  });
});
