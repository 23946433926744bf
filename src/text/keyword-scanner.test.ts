import { describe, expect, it } from 'vitest';
import { createKeywordScanner, escapeRegex } from './keyword-scanner.js';

const KEYWORDS = [
  'pin',
  'passcode',
  'pass',
  'code',
  'd.o.b',
  'a/c',
  'po a',
  'corner of',
  'cv',
  'end',
  'last',
];

const OVERLAPS = [
  'my passcode is 1234',
  'pinpass a/cc cvv2 csc cid',
  'one-time code, p.o. box 12, po apo, corner office',
  'd.o.b born birthday zip postal sorting legend lastly accounting verification security',
  'endlast passwordpwd memorablecode',
  'dxoxb a-c',
  '',
];

describe('keyword scanner', () => {
  it('when asked about each keyword then it answers exactly as includes does', () => {
    const scanner = createKeywordScanner(KEYWORDS);
    let present = 0;
    for (const text of OVERLAPS) {
      const presence = scanner.presence(text);
      for (const keyword of KEYWORDS) {
        expect(presence.has(keyword), `${keyword} in ${text}`).toBe(text.includes(keyword));
        if (text.includes(keyword)) present++;
      }
      expect(presence.has('not a keyword')).toBe(text.includes('not a keyword'));
      expect(presence.hasAny(['zzz', 'code'])).toBe(text.includes('code'));
    }
    expect(present).toBeGreaterThan(10);
  });

  it('when keywords nest in and overlap one another then all of them are found', () => {
    const scanner = createKeywordScanner(['pass', 'passcode', 'code', 'ode', 'sco']);
    expect([...scanner.scan('passcode')].sort()).toEqual(['code', 'ode', 'pass', 'passcode', 'sco']);
    expect([...scanner.scan('pas code')].sort()).toEqual(['code', 'ode']);
  });

  it('when the vocabulary is empty or holds the empty word then includes answers', () => {
    const empty = createKeywordScanner([]);
    expect(empty.scan('anything')).toEqual(new Set());
    expect(empty.presence('anything').has('any')).toBe(true);
    const withEmpty = createKeywordScanner(['', 'pin']);
    expect([...withEmpty.vocabulary]).toEqual(['pin']);
    expect(withEmpty.presence('pin').has('')).toBe(true);
  });

  it('when a keyword has regex metacharacters then it is matched literally', () => {
    expect(new RegExp(escapeRegex('d.o.b (a/c)?')).test('d.o.b (a/c)?')).toBe(true);
    expect(new RegExp(escapeRegex('d.o.b')).test('dxoxb')).toBe(false);
  });
});
