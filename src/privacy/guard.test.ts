import http from 'node:http';
import https from 'node:https';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPrivacyGuard } from './guard.js';
import {
  createOfflineRedactor,
  createRedactPiiRecognizer,
  findRedactPiiSpans,
} from './recognizers/redactpii.js';
import { PrivacyConfigurationError } from './registry.js';

describe('createPrivacyGuard', () => {
  it('when a message holds PII then it is replaced by typed tokens and findings carry no raw values', async () => {
    const guard = createPrivacyGuard();
    const text = 'My name is Jane Doe, card 4111 1111 1111 1111, email jane@example.com';
    const { redactedText, findings } = await guard.redactMessage('c1', text);
    expect(redactedText).toBe('My name is <PERSON_1>, card <CREDIT_CARD_1>, email <EMAIL_ADDRESS_1>');
    expect(findings.map((finding) => finding.token)).toEqual([
      '<PERSON_1>',
      '<CREDIT_CARD_1>',
      '<EMAIL_ADDRESS_1>',
    ]);
    expect(text.slice(findings[1]!.start, findings[1]!.end)).toBe('4111 1111 1111 1111');
    const serialised = JSON.stringify(findings);
    expect(serialised).not.toContain('4111');
    expect(serialised).not.toContain('Jane');
  });

  it('when the same value comes back in a later message then it gets the same token', async () => {
    const guard = createPrivacyGuard();
    await guard.redactMessage('c1', 'card 4111 1111 1111 1111');
    await guard.redactMessage('c1', 'and IBAN GB29 NWBK 6016 1331 9268 19');
    expect((await guard.redactMessage('c1', 'again 4111-1111-1111-1111')).redactedText).toBe(
      'again <CREDIT_CARD_1>',
    );
  });

  it('when a token of one conversation is restored in another then the other customer sees nothing of the first', async () => {
    const guard = createPrivacyGuard();
    await guard.redactMessage('alice', 'card 4111 1111 1111 1111');
    await guard.redactMessage('bob', 'my email is bob@example.com');
    expect(await guard.restoreForCustomer('bob', 'Your card <CREDIT_CARD_1>', ['CREDIT_CARD'])).toBe(
      'Your card <CREDIT_CARD_1>',
    );
    expect(await guard.restoreForCustomer('alice', 'Your card <CREDIT_CARD_1>', ['CREDIT_CARD'])).toBe(
      'Your card 4111 1111 1111 1111',
    );
  });

  it('when an entity is not allowed by policy then its token stays in place', async () => {
    const guard = createPrivacyGuard();
    await guard.redactMessage('c1', 'SSN 078-05-1123, email jane@example.com');
    expect(await guard.restoreForCustomer('c1', '<US_SSN_1> / <EMAIL_ADDRESS_1>', ['EMAIL_ADDRESS'])).toBe(
      '<US_SSN_1> / jane@example.com',
    );
  });

  it('when a customer types a token-shaped string then it is defused and can never be restored', async () => {
    const guard = createPrivacyGuard();
    await guard.redactMessage('c1', 'card 4111 1111 1111 1111');
    const { redactedText } = await guard.redactMessage('c1', 'please repeat <CREDIT_CARD_1> back to me');
    expect(redactedText).toBe('please repeat ‹CREDIT_CARD_1› back to me');
    expect(await guard.restoreForCustomer('c1', redactedText, ['CREDIT_CARD'])).not.toContain('4111');
  });

  it('when an answer holds PII the customer never gave or a token from elsewhere then it is reported as foreign', async () => {
    const guard = createPrivacyGuard();
    await guard.redactMessage('c1', 'my email is jane@example.com');
    const answer = 'We wrote to jane@example.com and to john@example.com about <CREDIT_CARD_7>.';
    const foreign = await guard.findForeignPii('c1', answer);
    expect(foreign.map((finding) => [finding.reason, answer.slice(finding.start, finding.end)])).toEqual([
      ['unknown_value', 'john@example.com'],
      ['foreign_token', '<CREDIT_CARD_7>'],
    ]);
  });

  it('when a tool returns the customer own masked card then it is not foreign once remembered', async () => {
    const guard = createPrivacyGuard();
    await guard.rememberOwnValue('c1', 'CREDIT_CARD', '****1234');
    expect(await guard.findForeignPii('c1', 'Your card ****1234 is frozen.')).toEqual([]);
    expect(await guard.findForeignPii('c2', 'Your card ****1234 is frozen.')).toHaveLength(1);
  });

  it('when text is redacted for logs then nothing is reversible and cards keep only the last four', async () => {
    const guard = createPrivacyGuard();
    const logged = guard.redactForLog('card 4111 1111 1111 1111, SSN 078-05-1123, PIN 4821');
    expect(logged).toBe('card **** **** **** 1111, SSN <US_SSN>, PIN <PIN>');
  });

  it('when log operators ask for hashes then equal values hash equally and the salt matters', async () => {
    const first = createPrivacyGuard({ hashSalt: 'salt-a', logOperators: { DEFAULT: 'hash' } });
    const second = createPrivacyGuard({ hashSalt: 'salt-b', logOperators: { DEFAULT: 'hash' } });
    const one = first.redactForLog('jane@example.com');
    expect(one).toMatch(/^<EMAIL_ADDRESS:[0-9a-f]{16}>$/);
    expect(first.redactForLog('JANE@example.com')).toBe(one);
    expect(second.redactForLog('jane@example.com')).not.toBe(one);
  });

  it('when the configuration enables an entity without a recognizer then the guard fails at start-up', async () => {
    expect(() => createPrivacyGuard({ analyzer: { entities: ['PERSON'], recognizers: ['email'] } })).toThrow(
      PrivacyConfigurationError,
    );
  });

  it('when a very long message arrives then it is redacted whole and quickly', async () => {
    const guard = createPrivacyGuard();
    const long = `${'lorem ipsum '.repeat(20_000)} card 4111111111111111`;
    const started = performance.now();
    const { redactedText } = await guard.redactMessage('c1', long);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(redactedText.endsWith('card <CREDIT_CARD_1>')).toBe(true);
  });
});

describe('@redactpii/node integration', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it('when redacting then no network call is made', async () => {
    const fetchSpy = vi.fn(() => Promise.reject(new Error('network disabled in tests')));
    vi.stubGlobal('fetch', fetchSpy);
    const httpSpy = vi.spyOn(http, 'request');
    const httpsSpy = vi.spyOn(https, 'request');
    const guard = createPrivacyGuard();
    await guard.redactMessage(
      'c1',
      'Hi David Johnson, call 555-555-5555, card 4111 1111 1111 1111, jane@example.com, 078-05-1123',
    );
    guard.redactForLog('Hello Jane Smith, my SSN is 078-05-1123');
    createOfflineRedactor().redact('Hi David Johnson, call 555-555-5555');
    // The library fires its hook without awaiting; give any pending promise a chance to run.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(httpSpy).not.toHaveBeenCalled();
    expect(httpsSpy).not.toHaveBeenCalled();
  });

  it('when the library redacts then each replacement maps back to the exact original span', async () => {
    const text = 'Hi David Johnson, call 555-555-5555 or mail a.b@example.com. SSN 078-05-1123';
    const spans = findRedactPiiSpans(createOfflineRedactor(), text);
    expect(spans.map((span) => [span.label, text.slice(span.start, span.end)])).toEqual([
      ['PERSON_NAME', 'Hi David Johnson'],
      ['PHONE_NUMBER', '555-555-5555'],
      ['EMAIL_ADDRESS', 'a.b@example.com'],
      ['US_SOCIAL_SECURITY_NUMBER', '078-05-1123'],
    ]);
  });

  it('when the library runs as a recognizer then greeting names come back as PERSON spans without the greeting', async () => {
    const text = 'Hello Anna Karenina, thanks';
    const input = { text, lower: text.toLowerCase(), hasDigit: false, hasAt: false, hasColon: false };
    const results = createRedactPiiRecognizer().analyze(input);
    expect(
      results.map((result) => [result.entity, text.slice(result.start, result.end), result.recognizer]),
    ).toEqual([['PERSON', 'Anna Karenina', 'redactpii']]);
  });

  it('when all library rules are enabled then its unvalidated numbers still pass Teller validators', async () => {
    const recognizer = createRedactPiiRecognizer({
      rules: { CREDIT_CARD: true, SSN: true, PHONE: true, EMAIL: true, NAME: true },
    });
    const text = 'cards 4012-8888-8888-1882 and 4012-8888-8888-1881, SSN 666-12-3456';
    const input = { text, lower: text.toLowerCase(), hasDigit: true, hasAt: false, hasColon: false };
    const cards = recognizer
      .analyze(input)
      .filter((result) => result.entity === 'CREDIT_CARD' || result.entity === 'US_SSN');
    expect(cards.map((result) => text.slice(result.start, result.end))).toEqual(['4012-8888-8888-1881']);
  });

  it('when nothing in the text can match its enabled rules then the library is not run', async () => {
    const recognizer = createRedactPiiRecognizer();
    const input = { text: 'card 4111', lower: 'card 4111', hasDigit: true, hasAt: false, hasColon: false };
    expect(recognizer.applies(input)).toBe(false);
  });

  it('when the library proposes a card that fails Luhn then Teller does not flag it', async () => {
    const guard = createPrivacyGuard();
    expect(
      (await guard.redactMessage('c1', 'number 4012-8888-8888-1882')).findings.map(
        (finding) => finding.entity,
      ),
    ).not.toContain('CREDIT_CARD');
  });
});
