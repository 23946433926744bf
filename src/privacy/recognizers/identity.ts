/**
 * Government identity numbers: UK National Insurance numbers (checked against HMRC's format
 * rules) and passport numbers (no checksum customers could give, so the word "passport" is required).
 */
import type { Recognizer } from '../types.js';
import { digitsOf, isUkNino } from '../validators.js';
import { createPatternRecognizer, lowerHasAny } from './pattern-recognizer.js';

const NINO_TAIL = /\d\d[ -]?\d\d[ -]?\d\d[ -]?[A-Da-d](?![A-Za-z0-9])/;

/**
 * UK National Insurance numbers: "JG103759A", "JG 10 37 59 A", "jg-10-37-59-a". Written in capitals
 * the format alone is strong evidence (0.6); in lower case it needs "national insurance" or "NI"
 * nearby, as a lower-case word could otherwise be read as one.
 */
export function createUkNinoRecognizer(): Recognizer {
  return createPatternRecognizer({
    name: 'uk_nino',
    entity: 'UK_NINO',
    context: ['national insurance', 'nino', 'ni number', 'ni no', 'insurance number', 'n.i.', 'ni '],
    // Six digits and a suffix letter must be there; looking for them first is much cheaper than
    // trying the letter pair at every word.
    applies: (input) => input.hasDigit && NINO_TAIL.test(input.text),
    patterns: [
      {
        name: 'nino',
        regex: /\b[A-Za-z]{2}(?:[ -]?\d{2}){3}[ -]?[A-Da-d]\b/g,
        score: 0.1,
      },
    ],
    validate: (value) => {
      if (!isUkNino(value)) return false;
      const letters = value.replace(/[^A-Za-z]/g, '');
      if (letters === letters.toUpperCase()) return { score: 0.6, reason: 'HMRC NINO format rules' };
      if (letters === letters.toLowerCase()) {
        return { score: 0.3, reason: 'HMRC NINO format rules, lower case' };
      }
      return false;
    },
  });
}

/** Words allowed between "passport" and its number. */
const PASSPORT_FILLER = String.raw`(?:[ \t]{1,3}(?:number|no\.?|num|#|is|was|reads|says|:))*?`;

const PASSPORT_KEYWORDS = ['passport'];

/**
 * Passport numbers after "passport": 6-10 letters and digits, at least five of them digits (UK
 * and US passports are nine digits; many countries add one to three letters in front), with a
 * space or dash allowed between digit groups. The value must start with its letters and a digit,
 * so a following word ("passport is 533…") is never read as part of it; "passport expires 2031"
 * is too short to count.
 */
export function createPassportRecognizer(): Recognizer {
  return createPatternRecognizer({
    name: 'passport',
    entity: 'PASSPORT',
    keywords: PASSPORT_KEYWORDS,
    applies: (input) => input.hasDigit && lowerHasAny(input, PASSPORT_KEYWORDS),
    patterns: [
      {
        name: 'passport_with_keyword',
        regex: new RegExp(
          `\\bpassport(?:[ \\t]{1,3}(?:number|no\\.?|num|#|id))?\\b${PASSPORT_FILLER}[ \\t:=#-]{1,4}((?=[A-Za-z]{0,3}\\d)[A-Za-z0-9]{1,10}(?:[ -]\\d{2,9}){0,3})(?![A-Za-z0-9])`,
          'gi',
        ),
        score: 0.85,
        group: 1,
      },
    ],
    validate: (value) => {
      const compact = value.replace(/[ -]/g, '');
      const digits = digitsOf(compact).length;
      if (compact.length < 6 || compact.length > 10 || digits < 5 || compact.length - digits > 3)
        return false;
      return undefined;
    },
  });
}
