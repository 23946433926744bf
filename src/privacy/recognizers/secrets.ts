/**
 * Secrets customers type by mistake: PINs, card security codes, one-time codes and passwords.
 * They are never shown back, so the guard redacts them irreversibly (see `IRREVERSIBLE_ENTITIES`).
 *
 * A keyword is always part of the pattern, so a bare number is never taken for a secret. After the
 * keyword the value may be written as people actually type it: "4719", "4 7 1 9", "4-7-1-9",
 * "47 19" or "four seven one nine"; `spokenDigits` turns it back into digits so the validator can
 * count them.
 */
import type { Recognizer } from '../types.js';
import { createPatternRecognizer, lowerHasAny } from './pattern-recognizer.js';

const DIGIT_WORDS: Readonly<Record<string, string>> = {
  zero: '0',
  nought: '0',
  oh: '0',
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
};

/** One digit, typed or said. Longest words first is not needed: no word is a prefix of another. */
const DIGIT_TOKEN = `(?:\\d|${Object.keys(DIGIT_WORDS).join('|')})`;

/**
 * A code of `min` to `max` digits: tokens joined by at most two separator characters (none needed
 * between typed digits). Starts after a non-alphanumeric and ends before one, so "done" never
 * yields "one" and a longer number is not cut short.
 */
function codeOf(min: number, max: number): string {
  return `(?<![A-Za-z0-9])(${DIGIT_TOKEN}(?:[ ,.-]{0,2}${DIGIT_TOKEN}){${min - 1},${max - 1}})(?![A-Za-z0-9]|[.,-]\\d)`;
}

/**
 * Words allowed between a keyword and its value ("pin number is now", "code you sent me was").
 * Kept to a closed list so "PIN for the card ending 4821" never reaches the card's last four.
 */
const FILLER = String.raw`(?:[ \t]{0,3}(?:'s|number|no\.?|code|is|was|now|to|of|it's|its|be|been|set|changed|reset|should|would|new|old|you|sent|me|i|got|received|texted|are|were)\b){0,5}[ \t:=#-]{1,4}`;

/** The digits a spoken or typed code stands for ("four 7 one-9" → "4719"). */
export function spokenDigits(value: string): string {
  let digits = '';
  for (const token of value.toLowerCase().match(/\d|[a-z]+/g) ?? []) {
    digits += /\d/.test(token) ? token : (DIGIT_WORDS[token] ?? '');
  }
  return digits;
}

/** Keeps a candidate whose digit count is within bounds. */
function digitCount(min: number, max: number) {
  return (value: string) => {
    const count = spokenDigits(value).length;
    return count >= min && count <= max ? undefined : (false as const);
  };
}

const PIN_KEYWORDS = ['pin', 'passcode'];

/** PINs: 4-8 digits after "PIN", "PIN number", "passcode". */
export function createPinRecognizer(): Recognizer {
  return createPatternRecognizer({
    name: 'pin',
    entity: 'PIN',
    keywords: PIN_KEYWORDS,
    applies: (input) => lowerHasAny(input, PIN_KEYWORDS),
    patterns: [
      {
        name: 'pin_with_keyword',
        regex: new RegExp(
          `\\b(?:pin(?:[ -]?code)?|pincode|passcode)\\b(?<!one[- ]time passcode)${FILLER}${codeOf(4, 8)}`,
          'gi',
        ),
        score: 0.85,
        group: 1,
      },
    ],
    validate: digitCount(4, 8),
  });
}

/** Words before "code" that make it something other than a secret ("sort code", "error code"). */
const NOT_SECRET_CODE =
  'sort|post|zip|postal|error|promo|promotion|discount|area|country|dialling|dialing|swift|bic|branch|bank|reference|ref|tax|product|voucher|gift|qr|bar|source|status|reason|transaction|merchant|mcc|iso|currency|security|verification|confirmation|auth|authentication|sms|2fa|one[- ]time|access|login|text';

const ONE_TIME_CODE_KEYWORDS = ['otp', 'code', 'pass', 'pin'];

/**
 * One-time codes. Named codes ("OTP", "verification code", "one-time passcode") take 4-8 digits
 * at high confidence; a bare "code" followed by a 4-8 digit value is one too, less surely, unless
 * the word before it names another kind of code.
 */
export function createOneTimeCodeRecognizer(): Recognizer {
  return createPatternRecognizer({
    name: 'one_time_code',
    entity: 'OTP',
    keywords: ONE_TIME_CODE_KEYWORDS,
    applies: (input) => lowerHasAny(input, ONE_TIME_CODE_KEYWORDS),
    patterns: [
      {
        name: 'otp_with_keyword',
        regex: new RegExp(
          `\\b(?:otp|one[- ]time (?:pass ?code|passcode|code|password|pin)|verification code|auth(?:entication)? code|2fa code|sms code|text code|login code|access code|confirmation code)\\b${FILLER}${codeOf(4, 8)}`,
          'gi',
        ),
        score: 0.85,
        group: 1,
      },
      {
        name: 'bare_code',
        regex: new RegExp(`\\bcode\\b(?<!\\b(?:${NOT_SECRET_CODE})[ -]?code)${FILLER}${codeOf(4, 8)}`, 'gi'),
        score: 0.6,
        group: 1,
      },
    ],
    validate: digitCount(4, 8),
  });
}

const CVV_KEYWORDS = ['cv', 'cid', 'csc', 'security', 'verification', 'digit', 'on the back'];

/** Card security codes: 3-4 digits after CVV, CVC, CID, "security code", "three-digit code". */
export function createCvvRecognizer(): Recognizer {
  return createPatternRecognizer({
    name: 'cvv',
    entity: 'CVV',
    keywords: CVV_KEYWORDS,
    applies: (input) => lowerHasAny(input, CVV_KEYWORDS),
    patterns: [
      {
        name: 'cvv_with_keyword',
        regex: new RegExp(
          `\\b(?:cvv2?|cvc2?|cid|csc|(?:card )?security (?:code|number|digits)|card verification(?: value| code| number)?|(?:three|3|four|4)[- ]digit (?:code|number)|(?:digits|numbers?) on the back(?: of (?:the|my) card)?)\\b${FILLER}${codeOf(3, 4)}`,
          'gi',
        ),
        score: 0.85,
        group: 1,
      },
    ],
    validate: digitCount(3, 4),
  });
}

/** Words that follow "password is" without being a password. */
const NOT_A_SECRET = new Set([
  'not',
  'wrong',
  'incorrect',
  'expired',
  'locked',
  'correct',
  'the',
  'my',
  'a',
  'too',
  'reset',
  'changed',
  'blocked',
  'invalid',
  'same',
  'still',
]);

const PASSWORD_KEYWORDS = ['pass', 'pwd', 'memorable'];

/** Passwords and memorable words, after "password is" / "password:". */
export function createPasswordRecognizer(): Recognizer {
  return createPatternRecognizer({
    name: 'password',
    entity: 'PASSWORD',
    keywords: PASSWORD_KEYWORDS,
    applies: (input) => lowerHasAny(input, PASSWORD_KEYWORDS),
    patterns: [
      {
        name: 'password_with_keyword',
        regex:
          /\b(?:password|passwd|pwd|passphrase|pass word|memorable word)\b(?: (?:is|was)[: ]{1,3}|[ ]?[:=][ ]?)([^\s<]{1,64}?)(?=[.,;!?)"']{0,3}(?:\s|$))/gi,
        score: 0.85,
        group: 1,
      },
    ],
    validate: (value) => {
      const trimmed = value.replace(/[.,;!?)"']+$/, '');
      if (trimmed.length < 3 || NOT_A_SECRET.has(trimmed.toLowerCase())) return false;
      return undefined;
    },
  });
}

/** The secret recognizers, in the order they run. */
export function createSecretRecognizers(): Recognizer[] {
  return [
    createPinRecognizer(),
    createCvvRecognizer(),
    createOneTimeCodeRecognizer(),
    createPasswordRecognizer(),
  ];
}
