import { describe, expect, it } from 'vitest';
import { withoutRedactionPlaceholders } from './redaction-placeholder.js';

describe('withoutRedactionPlaceholders', () => {
  it('when text holds vault tokens, bare entities and anonymised hashes then each becomes a space', () => {
    expect(
      withoutRedactionPlaceholders('mail <EMAIL_ADDRESS_12>, card <CREDIT_CARD> and <PERSON:3fa2c9> here'),
    ).toBe('mail  , card   and   here');
  });

  it('when angle brackets hold ordinary words then they are left alone', () => {
    expect(withoutRedactionPlaceholders('a <b> tag and <Not_A_Token_1>')).toBe(
      'a <b> tag and <Not_A_Token_1>',
    );
  });
});
