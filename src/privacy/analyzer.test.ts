import { describe, expect, it } from 'vitest';
import { createAnalyzer, resolveOverlaps } from './analyzer.js';
import { createRecognizerRegistry } from './registry.js';
import type { EntityType, RecognizerResult } from './types.js';

const analyzer = createAnalyzer();

/** The entity and exact text of every finding. */
function found(text: string): Array<[EntityType, string]> {
  return analyzer.analyze(text).map((result) => [result.entity, text.slice(result.start, result.end)]);
}

describe('recognizers through the analyzer', () => {
  it.each<[string, EntityType, string]>([
    ['pay with 4111 1111 1111 1111 please', 'CREDIT_CARD', '4111 1111 1111 1111'],
    ['odd separators 4111 1111-1111 1111 here', 'CREDIT_CARD', '4111 1111-1111 1111'],
    ['my card ending in 4242 was declined', 'CREDIT_CARD', '4242'],
    ['charged on ****1234 yesterday', 'CREDIT_CARD', '****1234'],
    ['XXXX-XXXX-XXXX-9876 is blocked', 'CREDIT_CARD', 'XXXX-XXXX-XXXX-9876'],
    ['IBAN GB29 NWBK 6016 1331 9268 19 thanks', 'IBAN_CODE', 'GB29 NWBK 6016 1331 9268 19'],
    ['send it to DE89370400440532013000.', 'IBAN_CODE', 'DE89370400440532013000'],
    ['routing number 121000358', 'US_ROUTING_NUMBER', '121000358'],
    ['SWIFT code NWBKGB2L', 'SWIFT_CODE', 'NWBKGB2L'],
    ['the BIC is DEUTDEFF', 'SWIFT_CODE', 'DEUTDEFF'],
    ['my account number is 31926819', 'BANK_ACCOUNT', '31926819'],
    ['sort code 60-16-13', 'UK_SORT_CODE', '60-16-13'],
    ['SSN 078-05-1123', 'US_SSN', '078-05-1123'],
    ['write to jane.doe+bank@example.co.uk today', 'EMAIL_ADDRESS', 'jane.doe+bank@example.co.uk'],
    ['call me on +44 7911 123456', 'PHONE_NUMBER', '+44 7911 123456'],
    ['my mobile is 07911 123456', 'PHONE_NUMBER', '07911 123456'],
    ['ring 020 7946 0958 after 5', 'PHONE_NUMBER', '020 7946 0958'],
    ['US office (415) 555-0132', 'PHONE_NUMBER', '(415) 555-0132'],
    ['My name is Jane Doe', 'PERSON', 'Jane Doe'],
    ["I'm Priya Sharma and I need help", 'PERSON', 'Priya Sharma'],
    ['This is Tom Baker speaking', 'PERSON', 'Tom Baker'],
    ['Thanks,\nJane Doe', 'PERSON', 'Jane Doe'],
    ['Hi John Smith, quick question', 'PERSON', 'John Smith'],
    ['I live at 221 Baker Street now', 'ADDRESS', '221 Baker Street'],
    ['postcode SW1A 1AA', 'ADDRESS', 'SW1A 1AA'],
    ['Springfield, IL 62704', 'ADDRESS', 'IL 62704'],
    ['my zip code is 94105', 'ADDRESS', '94105'],
    ['DOB 12/03/1985', 'DATE_OF_BIRTH', '12/03/1985'],
    ['I was born on 3 March 1990', 'DATE_OF_BIRTH', '3 March 1990'],
    ['the CVV is 123', 'CVV', '123'],
    ['my PIN is 4821', 'PIN', '4821'],
    ['OTP 123456', 'OTP', '123456'],
    ['password: hunter2', 'PASSWORD', 'hunter2'],
    ['my password is Tr0ub4dor&3.', 'PASSWORD', 'Tr0ub4dor&3'],
    ['login from 203.0.113.7', 'IP_ADDRESS', '203.0.113.7'],
    ['from 2001:db8::8a2e:370:7334 today', 'IP_ADDRESS', '2001:db8::8a2e:370:7334'],
    ['What is the limit for card 501864667909?', 'CREDIT_CARD', '501864667909'],
    ['Kind regards,\nJane Doe', 'PERSON', 'Jane Doe'],
    ['Gregory Kudryashov\n\n233 Erzsébet tér 19.\nSuite 282', 'PERSON', 'Gregory Kudryashov'],
    ['Gregory Kudryashov\n\n233 Erzsébet tér 19.\nSuite 282', 'ADDRESS', '233 Erzsébet tér 19.'],
    ['the beneficiary is Anna Karenina', 'PERSON', 'Anna Karenina'],
    ['please add my wife Priya Sharma to the account', 'PERSON', 'Priya Sharma'],
    ['meet at the corner of Main St and 5th Ave', 'ADDRESS', 'Main St and 5th Ave'],
    ['PSC 1437, Box 3833\nAPO AA 66791', 'ADDRESS', 'PSC 1437, Box 3833\nAPO AA 66791'],
    ['his address: 64 Schaarsteinweg 97, Hunderdorf', 'ADDRESS', '64 Schaarsteinweg 97'],
    ['Flat 4, 16 Via Raffaele Conforti 74', 'ADDRESS', '16 Via Raffaele Conforti 74'],
  ])('when "%s" then %s "%s" is found', (text, entity, value) => {
    expect(found(text)).toContainEqual([entity, value]);
  });

  it.each([
    ['an invalid card 4012-8888-8888-1882', 'CREDIT_CARD'],
    ['an invalid IBAN GB29 NWBK 6016 1331 9268 10', 'IBAN_CODE'],
    ['mixed case IBAN GB29 nWBK 6016 1331 9268 19', 'IBAN_CODE'],
    ['an SSN with bad area 666-12-3456', 'US_SSN'],
    ['an SSN with zero group 078-00-1123', 'US_SSN'],
    ['a routing number with bad checksum 121000359', 'US_ROUTING_NUMBER'],
    ['PLEASE HELP URGENTLY', 'SWIFT_CODE'],
    ['version 999.1.2.3 shipped', 'IP_ADDRESS'],
    ['my email is info@presidio.', 'EMAIL_ADDRESS'],
    ['the meeting is at 12:30:45', 'IP_ADDRESS'],
    ["I'm Sorry about that", 'PERSON'],
    ['Hi Team, thanks', 'PERSON'],
    ['my password is wrong', 'PASSWORD'],
    ['the date 12/03/1985 with no birth context', 'DATE_OF_BIRTH'],
    ['a code 123 with no keyword', 'CVV'],
    ['I paid 250 GBP on 12 March 2024 at the shop', 'ADDRESS'],
    ['I have 2 Visa Cards 4 years old', 'ADDRESS'],
    ['Order number 12345', 'ADDRESS'],
    ['Hello,\nReference 123456\nThanks', 'PERSON'],
    ['pay Council Tax today', 'PERSON'],
    ['a reference 012345678912 with no card', 'CREDIT_CARD'],
  ])('when "%s" then no %s is found', (text, entity) => {
    expect(found(text).map(([kind]) => kind)).not.toContain(entity);
  });

  it('when lower-casing changes the text length then names are still found at the right offsets', () => {
    // 'İ' lower-cases to two code units; trigger offsets found in the lower-cased text must still line up.
    expect(found('İstanbul trip with my colleague Jane Doe')).toContainEqual(['PERSON', 'Jane Doe']);
  });

  it('when a town sits further down an address block then only the name at its head is a person', () => {
    const text = 'Jane Doe\n1 Main Street\nGrand Rapids\nUnited States 21959';
    expect(found(text).filter(([kind]) => kind === 'PERSON')).toEqual([['PERSON', 'Jane Doe']]);
  });

  it('when an 8-digit account number has context then it is an account and not a phone', () => {
    const findings = found('account number 12345678');
    expect(findings).toEqual([['BANK_ACCOUNT', '12345678']]);
    expect(found('reference 12345678').map(([kind]) => kind)).not.toContain('PHONE_NUMBER');
  });

  it('when a context word is near a weak span then its score rises above the threshold', () => {
    const bare = analyzer.analyze('code DEUTDEFF');
    const withContext = analyzer.analyze('swift DEUTDEFF');
    expect(bare.filter((result) => result.entity === 'SWIFT_CODE')).toEqual([]);
    const swift = withContext.find((result) => result.entity === 'SWIFT_CODE');
    expect(swift?.score).toBeGreaterThan(0.6);
    expect(swift?.explanation).toContain("context word 'swift'");
  });

  it('when a sort code has its keyword then it outranks the bare dashed pattern', () => {
    const [result] = analyzer.analyze('12-34-56');
    expect(result).toBeUndefined();
    expect(found('my sort code: 12-34-56')).toEqual([['UK_SORT_CODE', '12-34-56']]);
  });
});

describe('overlap resolution', () => {
  const span = (entity: EntityType, start: number, end: number, score: number): RecognizerResult => ({
    entity,
    start,
    end,
    score,
    recognizer: 'test',
    explanation: 'test',
  });

  it('when two spans overlap then the higher score wins', () => {
    expect(resolveOverlaps([span('PHONE_NUMBER', 0, 19, 0.45), span('CREDIT_CARD', 0, 19, 1)])).toEqual([
      span('CREDIT_CARD', 0, 19, 1),
    ]);
  });

  it('when scores tie then the longer span wins, then the earlier one', () => {
    expect(resolveOverlaps([span('PERSON', 0, 4, 0.7), span('PERSON', 0, 8, 0.7)])).toEqual([
      span('PERSON', 0, 8, 0.7),
    ]);
    expect(resolveOverlaps([span('PERSON', 2, 6, 0.7), span('ADDRESS', 0, 4, 0.7)])).toEqual([
      span('ADDRESS', 0, 4, 0.7),
    ]);
  });

  it('when spans only touch then both are kept, sorted by start', () => {
    expect(
      resolveOverlaps([span('PERSON', 5, 9, 0.5), span('PIN', 0, 5, 0.9)]).map((result) => result.start),
    ).toEqual([0, 5]);
  });

  it('when a valid card is also shaped like a phone then the card is reported', () => {
    expect(found('4111 1111 1111 1111')).toEqual([['CREDIT_CARD', '4111 1111 1111 1111']]);
  });
});

describe('attacks', () => {
  it('when digits are split by zero-width characters then the card is still found, spanning the original text', () => {
    const text = 'card 4111\u200b1111\u200c1111\u200d1111 ok';
    const [result] = analyzer.analyze(text);
    expect(result?.entity).toBe('CREDIT_CARD');
    expect(text.slice(result!.start, result!.end)).toBe('4111\u200b1111\u200c1111\u200d1111');
  });

  it('when a card is written in full-width or Arabic-Indic digits then it is found', () => {
    const fullWidth =
      '\uff14\uff11\uff11\uff11 \uff11\uff11\uff11\uff11 \uff11\uff11\uff11\uff11 \uff11\uff11\uff11\uff11';
    expect(found(`pay ${fullWidth}`)).toEqual([['CREDIT_CARD', fullWidth]]);
    const arabic = '٤١١١١١١١١١١١١١١١';
    expect(found(`pay ${arabic}`)).toEqual([['CREDIT_CARD', arabic]]);
  });

  it('when an SSN uses unicode dashes and no-break spaces then it is found', () => {
    expect(found('SSN 078\u2013051123').map(([kind]) => kind)).toContain('US_SSN');
    expect(found('SSN 078\u00a005\u00a01123').map(([kind]) => kind)).toContain('US_SSN');
  });

  it('when PII sits inside JSON or a code block then it is found', () => {
    const json = '{"email":"jane@example.com","card":"4111111111111111","iban":"GB29NWBK60161331926819"}';
    expect(found(json).map(([kind]) => kind)).toEqual(['EMAIL_ADDRESS', 'CREDIT_CARD', 'IBAN_CODE']);
    const code = '```\nconst ssn = "078-05-1123"; // PIN: 4821\n```';
    expect(found(code).map(([kind]) => kind)).toEqual(expect.arrayContaining(['US_SSN', 'PIN']));
  });

  it('when the analyzer sees 100 KB hostile inputs then time grows linearly, not explosively', () => {
    const hostile = (size: number): string[] => [
      '1'.repeat(size),
      '1 '.repeat(size / 2),
      '@'.repeat(size),
      'a@'.repeat(size / 2),
      'a.'.repeat(size / 2),
      '1-'.repeat(size / 2),
      '::'.repeat(size / 2),
      'Aa '.repeat(size / 3),
      `${'a'.repeat(size - 10)}@b`,
      'my name is '.repeat(size / 11),
      'account '.repeat(size / 8),
      '1 Ab '.repeat(size / 5),
      '\nAb 12345'.repeat(size / 9),
      'corner of '.repeat(size / 10),
      'Rue Ab '.repeat(size / 7),
      'Jane '.repeat(size / 5),
      '+1 (2) '.repeat(size / 7),
      'ﬀ\u200b١'.repeat(size / 3),
      // Secrets, identity numbers and lower-case names: keyword-led patterns and thousands of findings.
      'pin is four '.repeat(size / 12),
      'code 1 2 '.repeat(size / 9),
      'passport 1 '.repeat(size / 11),
      'jg 10 '.repeat(size / 6),
      '1 / '.repeat(size / 4),
      'this is sarah '.repeat(size / 14),
    ];
    const time = (inputs: string[]): number => {
      const started = performance.now();
      for (const input of inputs) analyzer.analyze(input);
      return performance.now() - started;
    };
    time(hostile(10_000));
    const small = time(hostile(10_000));
    const large = time(hostile(100_000));
    // Ten times the input should cost about ten times the time; quadratic would be ~100x.
    expect(large).toBeLessThan(Math.max(small, 5) * 30);
    expect(large).toBeLessThan(5_000);
  });
});

describe('registry', () => {
  it('when an entity is enabled without a recognizer for it then building fails with a fix-it message', () => {
    expect(() =>
      createRecognizerRegistry({ entities: ['CREDIT_CARD', 'IBAN_CODE'], recognizers: ['credit_card'] }),
    ).toThrow(/IBAN_CODE is enabled but no enabled recognizer detects it/);
  });

  it('when an unknown recognizer is named then building fails and lists the known ones', () => {
    expect(() => createRecognizerRegistry({ recognizers: ['credit_kard'] })).toThrow(
      /Unknown recognizer\(s\) credit_kard/,
    );
  });

  it('when only some entities are enabled then only those are reported', () => {
    const only = createAnalyzer(
      createRecognizerRegistry({ entities: ['EMAIL_ADDRESS'], recognizers: ['email'] }),
    );
    expect(only.analyze('jane@example.com 4111111111111111').map((result) => result.entity)).toEqual([
      'EMAIL_ADDRESS',
    ]);
  });

  it('when a call asks for some entities then only those are reported, and later calls see all again', () => {
    const text = 'jane@example.com card 4111111111111111 call +44 7911 123456';
    expect(analyzer.analyze(text, { entities: ['PHONE_NUMBER'] }).map((result) => result.entity)).toEqual([
      'PHONE_NUMBER',
    ]);
    expect(analyzer.analyze(text).map((result) => result.entity)).toEqual([
      'EMAIL_ADDRESS',
      'CREDIT_CARD',
      'PHONE_NUMBER',
    ]);
  });

  it('when the threshold is raised then weak spans are dropped', () => {
    const strict = createAnalyzer(createRecognizerRegistry({ scoreThreshold: 0.9 }));
    expect(strict.analyze('routing 121000358')).toEqual([]);
    expect(strict.analyze('4111111111111111')).toHaveLength(1);
  });
});
