/**
 * Recognizers for payment and banking identifiers. Checksums decide wherever one exists, so an
 * invalid card or IBAN is never flagged; identifiers without a checksum need context words.
 */

import type { Recognizer, RecognizerResult } from '../types.js';
import {
  IBAN_LENGTHS,
  ibanChecksumValid,
  isAbaRoutingNumber,
  isCreditCardNumber,
  isSwiftCode,
} from '../validators.js';
import { createPatternRecognizer, hasAny, lowerHasAny } from './pattern-recognizer.js';

/**
 * Digit groups joined by separators people put in card numbers: one space, dot, dash, slash or
 * underscore, a dash or slash with a space either side, or a few spaces. Starts only where no
 * digit precedes (linear scan).
 */
const DIGIT_RUN = /(?<![\d+])\d{1,19}(?:(?:[ ./_-]| ?[/_-] ?| {2,3})\d{1,19}){0,9}(?!\d)/g;

/**
 * Slashes also join dates ("25/05/2024 26/05/2024" is 16 digits): a run with one counts only
 * when written in the four-digit groups printed on cards (the last group may be shorter).
 */
const SLASHED_CARD_GROUPS = /^\d{4}(?: ?\/ ?\d{4})*(?: ?\/ ?\d{1,4})?$/;

/**
 * Card numbers: a run of digit groups is split at group boundaries into the longest Luhn-valid
 * 12-19 digit stretches, so "4012888888881881 4012-8888-8888-1881" yields two cards, and mixed
 * separators ("4111 1111-1111 1111", "4111/1111/1111/1111", "4111 - 1111 - 1111 - 1111") still count.
 */
export function createCreditCardRecognizer(): Recognizer {
  const name = 'credit_card';
  return {
    name,
    entities: ['CREDIT_CARD'],
    context: ['card', 'credit', 'debit', 'visa', 'mastercard', 'amex', 'cc', 'pan'],
    applies: (input) => input.hasDigit,
    analyze(input) {
      const results: RecognizerResult[] = [];
      DIGIT_RUN.lastIndex = 0;
      for (let match = DIGIT_RUN.exec(input.text); match !== null; match = DIGIT_RUN.exec(input.text)) {
        const run = match[0];
        // A card needs at least 12 digits; a run with fewer (dates, amounts, most phone numbers)
        // can yield no candidate, so its groups are not even split out.
        let digitCount = 0;
        for (let index = 0; index < run.length; index++) {
          const code = run.charCodeAt(index);
          if (code >= 48 && code <= 57) digitCount++;
        }
        if (digitCount < 12) continue;
        if (run.includes('/') && !SLASHED_CARD_GROUPS.test(run)) continue;
        const groups: { start: number; end: number; digits: string }[] = [];
        for (let index = 0; index < run.length; ) {
          const code = run.charCodeAt(index);
          if (code < 48 || code > 57) {
            index++;
            continue;
          }
          const groupStart = index;
          while (index < run.length && run.charCodeAt(index) >= 48 && run.charCodeAt(index) <= 57) index++;
          groups.push({
            start: match.index + groupStart,
            end: match.index + index,
            digits: run.slice(groupStart, index),
          });
        }
        let first = 0;
        while (first < groups.length) {
          let accepted = -1;
          let digits = '';
          const candidates: string[] = [];
          for (let last = first; last < groups.length; last++) {
            digits += groups[last]!.digits;
            candidates.push(digits);
            if (digits.length > 19) break;
          }
          for (let last = first + candidates.length - 1; last >= first; last--) {
            const candidate = candidates[last - first]!;
            if (candidate.length >= 12 && candidate.length <= 19 && isCreditCardNumber(candidate)) {
              accepted = last;
              break;
            }
          }
          if (accepted === -1) {
            first++;
            continue;
          }
          // Twelve digits is a Maestro length but also a common reference length: less certain.
          const short = candidates[accepted - first]!.length === 12;
          results.push({
            entity: 'CREDIT_CARD',
            start: groups[first]!.start,
            end: groups[accepted]!.end,
            score: short ? 0.6 : 1,
            recognizer: name,
            explanation: short
              ? 'pattern digit_run; 12-digit Maestro range, Luhn valid'
              : 'pattern digit_run; Luhn checksum valid',
          });
          first = accepted + 1;
        }
      }
      return results;
    },
  };
}

/** Masked or partial card references: "****1234", "XXXX-XXXX-XXXX-1234", "card ending in 1234". */
export function createMaskedCardRecognizer(): Recognizer {
  return createPatternRecognizer({
    name: 'masked_card',
    entity: 'CREDIT_CARD',
    context: ['card', 'credit', 'debit', 'visa', 'mastercard'],
    // Looked up by the pre-check of the "ending in" pattern below.
    keywords: ['end', 'last'],
    applies: (input) => input.hasDigit,
    patterns: [
      {
        name: 'star_mask',
        regex: /(?<![\w*•])(?:[*xX•]{4}[ -]?){1,4}\d{4}\b/g,
        score: 0.85,
        applies: (input) => hasAny(input.text, ['****', 'xxxx', 'XXXX', '••••']),
      },
      {
        name: 'ending_in',
        regex:
          /\b(?:card|visa|mastercard|amex|debit|credit|account)\b[^\n.\d]{0,30}?\b(?:ending|ends|last (?:4|four)(?: digits)?)(?: in| with| are| is|:)? ?(\d{4})\b/gi,
        score: 0.8,
        group: 1,
        applies: (input) => lowerHasAny(input, ['end', 'last']),
      },
    ],
  });
}

/** Candidate IBAN: country, check digits, then alphanumerics with single space or dash separators. */
const IBAN_CANDIDATE = /\b[A-Za-z]{2}\d{2}(?:[ -]?[A-Za-z0-9]){8,34}/g;

/**
 * IBANs: the candidate is cut at the country's registered length, which must end on a group
 * boundary, then the mod-97 checksum decides. Mixed-case candidates are refused (real IBANs are
 * written in one case).
 */
export function createIbanRecognizer(): Recognizer {
  const name = 'iban';
  return {
    name,
    entities: ['IBAN_CODE'],
    context: ['iban', 'bank', 'account', 'transfer', 'wire'],
    applies: (input) => input.hasDigit,
    analyze(input) {
      const results: RecognizerResult[] = [];
      const text = input.text;
      IBAN_CANDIDATE.lastIndex = 0;
      for (let match = IBAN_CANDIDATE.exec(text); match !== null; match = IBAN_CANDIDATE.exec(text)) {
        const candidate = match[0];
        const country = candidate.slice(0, 2).toUpperCase();
        const length = IBAN_LENGTHS[country];
        if (length === undefined) continue;
        let compact = '';
        let end = -1;
        for (let index = 0; index < candidate.length; index++) {
          const character = candidate[index]!;
          if (character === ' ' || character === '-') continue;
          compact += character;
          if (compact.length === length) {
            end = index + 1;
            break;
          }
        }
        if (end === -1) continue;
        const next = text[match.index + end];
        if (next !== undefined && /[A-Za-z0-9]/.test(next)) continue;
        const hasUpper = /[A-Z]/.test(compact);
        const hasLower = /[a-z]/.test(compact);
        if (hasUpper && hasLower) continue;
        const separators = candidate.slice(0, end).match(/[ -]/g);
        if (separators && new Set(separators).size > 1) continue;
        if (!ibanChecksumValid(compact.toUpperCase())) continue;
        results.push({
          entity: 'IBAN_CODE',
          start: match.index,
          end: match.index + end,
          score: 1,
          recognizer: name,
          explanation: `pattern iban; length ${length} for ${country}; mod-97 checksum valid`,
        });
        IBAN_CANDIDATE.lastIndex = match.index + end;
      }
      return results;
    },
  };
}

/** US ABA routing numbers: 9 digits (or 4-4-1), valid prefix and weighted checksum. */
export function createRoutingNumberRecognizer(): Recognizer {
  return createPatternRecognizer({
    name: 'us_routing_number',
    entity: 'US_ROUTING_NUMBER',
    context: ['routing', 'aba', 'rtn', 'transit', 'wire', 'bank'],
    applies: (input) => input.hasDigit,
    patterns: [{ name: 'aba', regex: /(?<![\d-])(?:\d{9}|\d{4}-\d{4}-\d)(?![\d-])/g, score: 0.05 }],
    validate: (value) => (isAbaRoutingNumber(value) ? { score: 0.45, reason: 'ABA checksum valid' } : false),
  });
}

/**
 * SWIFT/BIC codes. Eight upper-case letters are common in shouted text, so an all-letter code
 * needs context ("swift", "bic") to pass the threshold; a digit in the location or branch is
 * enough on its own.
 */
export function createSwiftRecognizer(): Recognizer {
  return createPatternRecognizer({
    name: 'swift_code',
    entity: 'SWIFT_CODE',
    context: ['swift', 'bic', 'bank identifier', 'wire', 'transfer'],
    applies: (input) => /[A-Z]{6}/.test(input.text),
    patterns: [{ name: 'bic', regex: /\b[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?\b/g, score: 0.1 }],
    validate: (value) => {
      if (!isSwiftCode(value)) return false;
      return /\d/.test(value.slice(6))
        ? { score: 0.5, reason: 'BIC format with ISO country code' }
        : { score: 0.3, reason: 'BIC format with ISO country code, letters only' };
    },
  });
}

const ACCOUNT_KEYWORDS = ['acc', 'a/c'];

/** Account numbers (UK 8-digit, US 6-17 digit) only where "account" is said just before them. */
export function createBankAccountRecognizer(): Recognizer {
  return createPatternRecognizer({
    name: 'bank_account',
    entity: 'BANK_ACCOUNT',
    keywords: ACCOUNT_KEYWORDS,
    applies: (input) => input.hasDigit && lowerHasAny(input, ACCOUNT_KEYWORDS),
    patterns: [
      {
        name: 'account_with_keyword',
        regex: /\b(?:account|acct|a\/c|acc)\b[^\d\n]{0,24}?(\d(?:[ -]?\d){5,16})(?![\d-])/gi,
        score: 0.85,
        group: 1,
      },
    ],
  });
}

const SORT_CODE_KEYWORDS = ['sort'];

/** UK sort codes: 12-34-56 is suggestive, "sort code" nearby makes it certain. */
export function createSortCodeRecognizer(): Recognizer {
  return createPatternRecognizer({
    name: 'uk_sort_code',
    entity: 'UK_SORT_CODE',
    context: ['sort code', 'sort', 'sortcode', 'branch'],
    keywords: SORT_CODE_KEYWORDS,
    applies: (input) =>
      input.hasDigit && (input.text.includes('-') || lowerHasAny(input, SORT_CODE_KEYWORDS)),
    patterns: [
      { name: 'dashed', regex: /(?<![\d-])\d{2}-\d{2}-\d{2}(?![\d-])/g, score: 0.35 },
      {
        name: 'with_keyword',
        regex: /\bsort ?code\b[^\d\n]{0,12}?(\d{2}[ -]?\d{2}[ -]?\d{2})(?![\d-])/gi,
        score: 0.85,
        group: 1,
      },
    ],
  });
}
