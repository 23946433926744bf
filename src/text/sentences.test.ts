import { describe, expect, it } from 'vitest';
import { splitSentences } from './sentences.js';

describe('splitSentences', () => {
  it.each([
    [
      'plain sentences',
      'You can cancel any time! Is that all? Yes.',
      ['You can cancel any time!', 'Is that all?', 'Yes.'],
    ],
    [
      'decimal amounts',
      'It costs £1.50 per month. You can cancel.',
      ['It costs £1.50 per month.', 'You can cancel.'],
    ],
    ['percentages', 'The rate is 2.5% AER. It is fixed.', ['The rate is 2.5% AER.', 'It is fixed.']],
    [
      'e.g. before a capital',
      'We take cards, e.g. Visa and Mastercard. Cash too.',
      ['We take cards, e.g. Visa and Mastercard.', 'Cash too.'],
    ],
    [
      'i.e. before a capital',
      'Pay by the due date, i.e. Friday. Late fees apply.',
      ['Pay by the due date, i.e. Friday.', 'Late fees apply.'],
    ],
    [
      'Mr. before a name',
      'Mr. Smith will call. He is our adviser.',
      ['Mr. Smith will call.', 'He is our adviser.'],
    ],
    [
      'No. before a number',
      'Option No. 2 is free. Option No. 3 is not.',
      ['Option No. 2 is free.', 'Option No. 3 is not.'],
    ],
    ['"No." as an answer', 'No. We cannot do that.', ['No.', 'We cannot do that.']],
    [
      'a URL at the end of a sentence',
      'See https://bank.example/fees.html. Then call us.',
      ['See https://bank.example/fees.html.', 'Then call us.'],
    ],
    [
      'a URL inside a sentence',
      'Go to www.bank.example/help for more. Thanks.',
      ['Go to www.bank.example/help for more.', 'Thanks.'],
    ],
    [
      'an e-mail address',
      'Write to help@bank.example.com. We reply in 2 days.',
      ['Write to help@bank.example.com.', 'We reply in 2 days.'],
    ],
    ['a lowercase continuation', 'The fee is £5. per month', ['The fee is £5. per month']],
    [
      'closing quotes and brackets',
      'He said "Stop." Then (see [1].) More.',
      ['He said "Stop."', 'Then (see [1].)', 'More.'],
    ],
    [
      'list lines',
      'Fees:\n- £5 a month\n- £2 per transfer.',
      ['Fees:', '- £5 a month', '- £2 per transfer.'],
    ],
    [
      'a sentence starting with a number',
      'We charge a fee. 3 free transfers a month.',
      ['We charge a fee.', '3 free transfers a month.'],
    ],
    ['empty text', '  \n ', []],
  ])('when the text has %s then it splits where a reader would', (_case, text, expected) => {
    expect(splitSentences(text)).toEqual(expected);
  });

  it('when sentences are joined back then no character other than whitespace is lost', () => {
    const text = 'See https://bank.example/a.b?c=1. Cards, e.g. Visa, cost £1.50. No. 2 is free! Done?';
    expect(splitSentences(text).join(' ')).toBe(text);
  });
});
