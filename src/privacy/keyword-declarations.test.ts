import { describe, expect, it } from 'vitest';
import { RecordingKeywordPresence } from '../testing/recording-keyword-presence.js';
import { lowerSameLength } from './analyzer.js';
import { builtInRecognizers, createRecognizerRegistry } from './registry.js';
import type { AnalysisInput, Recognizer } from './types.js';

/** Texts that reach every pre-check: digits, '@', ':', dashes, masks and the keywords themselves. */
const TEXTS = [
  'my passcode is 1234',
  'pinpass a/cc cvv2 csc cid 123',
  'one-time code 123456, p.o. box 12, po apo ae 09012, corner of 5th and main',
  'd.o.b 01/02/1980 born 1 march 1980 birthday, zip 90210 postal code 12345',
  'card ending in 4242, last four 1234, **** **** **** 4242',
  'acc no 12345678 sort code 12-34-56 a/c 87654321',
  'password: hunter22, pwd abc123, memorable word: tulip',
  'security code on the back 123, verification digits 456',
  'passport number 123456789, Hello Jane Doe, email jane@example.com, ip 10.0.0.1',
  'no digits and no keywords at all',
  '',
];

function inputFor(text: string, keywords?: AnalysisInput['keywords']): AnalysisInput {
  const lower = lowerSameLength(text);
  return {
    text,
    lower,
    hasDigit: /\d/.test(text),
    hasAt: text.includes('@'),
    hasColon: text.includes(':'),
    keywords,
  };
}

/** What a recognizer says about a text: whether it applies and, if so, the spans it proposes. */
function verdict(recognizer: Recognizer, input: AnalysisInput) {
  return recognizer.applies(input) ? recognizer.analyze(input) : 'skipped';
}

describe('declared recognizer keywords', () => {
  it.each(builtInRecognizers().map((recognizer) => [recognizer.name, recognizer] as const))(
    'when %s checks keywords then it only asks for the keywords it declares',
    (_, recognizer) => {
      const asked = new Set<string>();
      for (const text of TEXTS) {
        const presence = new RecordingKeywordPresence(lowerSameLength(text));
        const input = inputFor(text, presence);
        recognizer.applies(input);
        recognizer.analyze(input);
        for (const keyword of presence.asked) asked.add(keyword);
      }
      expect([...asked].filter((keyword) => !(recognizer.keywords ?? []).includes(keyword))).toEqual([]);
      // A declared keyword that is never asked for only slows the scan down.
      expect([...(recognizer.keywords ?? [])].filter((keyword) => !asked.has(keyword))).toEqual([]);
    },
  );

  it('when the registry is built then its scanner covers the keywords of the enabled recognizers only', () => {
    const all = createRecognizerRegistry();
    expect([...all.keywordScanner.vocabulary].sort()).toEqual(
      [...new Set(builtInRecognizers().flatMap((recognizer) => recognizer.keywords ?? []))].sort(),
    );
    expect(all.keywordScanner.vocabulary.has('passcode')).toBe(true);
    const pinOnly = createRecognizerRegistry({ entities: ['PIN'], recognizers: ['pin'] });
    expect([...pinOnly.keywordScanner.vocabulary].sort()).toEqual(['passcode', 'pin']);
  });

  it('when recognizers read the registry scan instead of includes then every verdict is the same', () => {
    const registry = createRecognizerRegistry();
    for (const text of TEXTS) {
      for (const recognizer of registry.recognizers) {
        const scanned = inputFor(text, registry.keywordScanner.presence(lowerSameLength(text)));
        expect(verdict(recognizer, scanned), `${recognizer.name} on ${text}`).toEqual(
          verdict(recognizer, inputFor(text)),
        );
      }
    }
  });
});
