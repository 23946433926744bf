/**
 * The shortcuts in normalize.ts skip work on text that cannot change (ASCII text for homoglyphs and
 * mixed scripts, text without digits or symbols for leetspeak); each must give exactly what the
 * plain way gives. Texts are generated: no dataset is needed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  hasMixedScriptWord,
  hasMixedScriptWordWithoutShortcut,
  replaceHomoglyphs,
  replaceHomoglyphsWithoutShortcut,
  undoLeetspeak,
  undoLeetspeakWithoutShortcut,
} from './normalize.js';

const RUNS = { numRuns: 400, seed: 17 };

/** Mostly ASCII words, with the characters the shortcuts must not skip mixed in now and then. */
const text = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom('ignore', 'rules', 'card', 'fee', ' ', '. ', '£150', 'Hello') },
      { weight: 2, arbitrary: fc.constantFrom('1gn0re', 'r3veal', '@ll', 'rul3$', 'now!', '4', '0x') },
      { weight: 2, arbitrary: fc.constantFrom('і', 'а', 'о', 'ο', 'α', 'е', 'Щ', 'é', 'ſ', '𝐀', '\u0301') },
    ),
    { maxLength: 16 },
  )
  .map((parts) => parts.join(''));

describe('normalize shortcuts', () => {
  it('mixed-script check: the ASCII shortcut gives the plain answer', () => {
    fc.assert(
      fc.property(text, (sample) => {
        expect(hasMixedScriptWord(sample)).toBe(hasMixedScriptWordWithoutShortcut(sample));
      }),
      RUNS,
    );
  });

  it('homoglyphs: the ASCII shortcut gives the plain answer', () => {
    fc.assert(
      fc.property(text, (sample) => {
        expect(replaceHomoglyphs(sample)).toBe(replaceHomoglyphsWithoutShortcut(sample));
      }),
      RUNS,
    );
  });

  it('leetspeak: the no-digit-or-symbol shortcut gives the plain answer', () => {
    fc.assert(
      fc.property(text, (sample) => {
        expect(undoLeetspeak(sample)).toBe(undoLeetspeakWithoutShortcut(sample));
      }),
      RUNS,
    );
  });

  it('when words mix scripts or use leetspeak then the plain way does change them', () => {
    expect(replaceHomoglyphs('іgnore аll')).toBe('ignore all');
    expect(undoLeetspeak('1gn0re £150')).toBe('ignore £150');
    expect(hasMixedScriptWord('іgnore')).toBe(true);
  });
});
