/**
 * Recognizers for identity and contact details: SSN, email, phone, IP, date of birth and
 * addresses (secrets such as PINs and one-time codes are in `secrets.ts`).
 */
import type { Recognizer } from '../types.js';
import { digitsOf, isIpv4, isIpv6, isPlausibleBirthDate, isUkPostcode, isUsSsn } from '../validators.js';
import { createPatternRecognizer, lowerHasAny } from './pattern-recognizer.js';

/** US SSNs: 3-2-4 with one kind of separator (or none); SSA area/group/serial rules decide. */
export function createUsSsnRecognizer(): Recognizer {
  return createPatternRecognizer({
    name: 'us_ssn',
    entity: 'US_SSN',
    context: ['ssn', 'social security', 'social', 'security number', 'ss#', 'ssid', 'tax'],
    applies: (input) => input.hasDigit,
    patterns: [
      { name: 'ssn_delimited', regex: /(?<![\d.-])\d{3}[ .-]?\d{2}[ .-]?\d{4}(?![\d-]|\.\d)/g, score: 0.05 },
    ],
    validate: (value) => {
      if (!isUsSsn(value)) return false;
      return /[ .-]/.test(value)
        ? { score: 0.5, reason: 'SSA area, group and serial rules' }
        : { score: 0.4, reason: 'SSA area, group and serial rules, no separators' };
    },
  });
}

/** Email addresses, including punycode domains; bounded parts keep the scan linear. */
export function createEmailRecognizer(): Recognizer {
  return createPatternRecognizer({
    name: 'email',
    entity: 'EMAIL_ADDRESS',
    context: ['email', 'e-mail', 'mail'],
    applies: (input) => input.hasAt,
    patterns: [
      {
        name: 'email',
        regex:
          /(?<![\w.%+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}(?:[A-Za-z]{2,24}|xn--[A-Za-z0-9]{1,59})(?![\w-])/g,
        score: 1,
      },
    ],
  });
}

/** Phone candidates: optional + or 00, then digits, spaces, dots, dashes and parentheses. */
const PHONE_CANDIDATE = /(?<![\w+.-])(?:\+|00)?\(?\d[\d ().-]{4,22}\d(?!\d|-\d|\.\d)/g;

/**
 * Decides whether a phone candidate is a phone number and how likely. Eight or nine bare digits
 * are left alone (UK account numbers, SSNs, routing numbers); dates and IP-like shapes are refused.
 */
export function scorePhoneCandidate(value: string): { score: number; reason: string } | false {
  const digits = digitsOf(value);
  if (digits.length < 6 || digits.length > 15) return false;
  // Short local numbers (555 0123, 33 93 31) only count with a phone word nearby.
  if (digits.length <= 7) {
    if (/^\d{3}[ -]\d{4}$|^\d{2} \d{2} \d{2}$|^\d{2}-\d{2}-\d{2}-\d{2}$/.test(value)) {
      return { score: 0.3, reason: 'short local number' };
    }
    return false;
  }
  if (/[ .()-]{2,}/.test(value.replace(/\) |\( | \(|\)-/g, 'x'))) return false;
  const opens = value.split('(').length - 1;
  const closes = value.split(')').length - 1;
  if (opens !== closes || opens > 1) return false;
  if (/^\d{4}[-.]\d{1,2}[-.]\d{1,2}$|^\d{1,2}[-.]\d{1,2}[-.]\d{2,4}$/.test(value)) return false;
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(value)) return false;
  const international = value.startsWith('+') || value.startsWith('00');
  const groups = value.split(/[ .()-]+/).filter((group) => group.length > 0);
  if (international) {
    return digits.length >= 8 ? { score: 0.7, reason: 'international format' } : false;
  }
  if (groups.length === 1) {
    // Bare digits: only 10-11 digit numbers look like phones (07xxx..., 415..., 138...).
    if (digits.length < 10 || digits.length > 11) return false;
    return digits.startsWith('0')
      ? { score: 0.5, reason: 'national format, trunk prefix 0' }
      : { score: 0.4, reason: 'bare 10-11 digits' };
  }
  if (groups.some((group) => group.length === 1) && !/^\(/.test(value)) return false;
  if (digits.length < 8 || digits.length > 12) return false;
  if (/^\(?\d{3}\)?[ .-]?\d{3}[ .-]\d{4}$/.test(value) || /^0\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}$/.test(value)) {
    return { score: 0.6, reason: 'US or UK national format' };
  }
  return { score: 0.45, reason: 'grouped digits' };
}

/** International and national phone numbers (US, UK and most European layouts). */
export function createPhoneRecognizer(): Recognizer {
  return createPatternRecognizer({
    name: 'phone',
    entity: 'PHONE_NUMBER',
    context: [
      'phone',
      'call',
      'mobile',
      'tel',
      'telephone',
      'cell',
      'contact',
      'text me',
      'whatsapp',
      'fax',
      'number',
      'ring',
    ],
    applies: (input) => input.hasDigit,
    patterns: [{ name: 'phone', regex: PHONE_CANDIDATE, score: 0.1 }],
    validate: (value) => scorePhoneCandidate(value),
  });
}

/**
 * Necessary for an IPv6 match: the repeated group always ends with ':', and what follows it is
 * ':' or a hex digit, so every match holds ':' followed by ':' or a hex digit. A colon in prose
 * ("Note: ...") is followed by a space and fails this at once, sparing the full pattern's scan.
 */
export const IPV6_HINT = /:[0-9A-Fa-f:]/;

/** IPv6 candidates (full, compressed and IPv4-suffixed forms); the validator decides. */
export const IPV6_CANDIDATE =
  /(?<![\w:])(?:[0-9A-Fa-f]{1,4}:|:){1,7}(?::|[0-9A-Fa-f]{1,4}(?:\.\d{1,3}){0,3}|(?::[0-9A-Fa-f]{1,4}){1,7})(?![\w:])/g;

/** IPv4 and IPv6 addresses, validated octet by octet and group by group. */
export function createIpRecognizer(): Recognizer {
  return createPatternRecognizer({
    name: 'ip_address',
    entity: 'IP_ADDRESS',
    context: ['ip', 'address', 'server', 'host', 'login from'],
    applies: (input) => input.hasDigit,
    patterns: [
      {
        name: 'ipv4',
        regex: /(?<![\d.])\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\d.]|\.\d)/g,
        score: 0.1,
        applies: (input) => /\d\.\d/.test(input.text),
      },
      {
        name: 'ipv6',
        regex: IPV6_CANDIDATE,
        score: 0.1,
        applies: (input) => input.hasColon && IPV6_HINT.test(input.text),
      },
    ],
    validate: (value) => {
      if (value.includes(':')) {
        return isIpv6(value) && /[0-9A-Fa-f]/.test(value) && (value.match(/:/g)?.length ?? 0) >= 2
          ? { score: 0.7, reason: 'valid IPv6' }
          : false;
      }
      return isIpv4(value) ? { score: 0.6, reason: 'valid IPv4 octets' } : false;
    },
  });
}

const MONTHS =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const MONTH_INDEX = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DATE = `\\d{1,2}[/.-]\\d{1,2}[/.-]\\d{2,4}|\\d{4}[/.-]\\d{1,2}[/.-]\\d{1,2}|\\d{1,2}(?:st|nd|rd|th)?(?: of)? (?:${MONTHS})\\.?,? \\d{4}|(?:${MONTHS})\\.? \\d{1,2}(?:st|nd|rd|th)?,? \\d{4}`;

/** Reads a matched date into year, month, day (day-first for ambiguous numeric dates, as in the UK). */
function parseDate(value: string): [number, number, number] | undefined {
  const lower = value.toLowerCase();
  const iso = /^(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})$/.exec(lower);
  if (iso) return [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  const numeric = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})$/.exec(lower);
  if (numeric) {
    let year = Number(numeric[3]);
    if (numeric[3]!.length === 2) year += year > new Date().getUTCFullYear() % 100 ? 1900 : 2000;
    const first = Number(numeric[1]);
    const second = Number(numeric[2]);
    // Day first unless that is impossible (US month-first dates such as 12/31/1980).
    return first > 12 ? [year, second, first] : second > 12 ? [year, first, second] : [year, second, first];
  }
  const monthIndex = MONTH_INDEX.findIndex((month) => lower.includes(month));
  const numbers = lower.match(/\d+/g);
  if (monthIndex === -1 || !numbers || numbers.length < 2) return undefined;
  const year = Number(numbers.find((number) => number.length === 4));
  const day = Number(numbers.find((number) => number.length <= 2));
  return [year, monthIndex + 1, day];
}

const DATE_OF_BIRTH_KEYWORDS = ['born', 'dob', 'd.o.b', 'birth'];

/** Dates of birth: a date only counts when "born", "DOB", "date of birth" or "birthday" precedes it. */
export function createDateOfBirthRecognizer(): Recognizer {
  return createPatternRecognizer({
    name: 'date_of_birth',
    entity: 'DATE_OF_BIRTH',
    keywords: DATE_OF_BIRTH_KEYWORDS,
    applies: (input) => input.hasDigit && lowerHasAny(input, DATE_OF_BIRTH_KEYWORDS),
    patterns: [
      {
        name: 'date_after_birth_keyword',
        regex: new RegExp(
          `\\b(?:born|dob|d\\.o\\.b\\.?|date of birth|birth ?date|birthday)\\b[^\\d\\n]{0,20}?(${DATE})(?!\\d)`,
          'gi',
        ),
        score: 0.85,
        group: 1,
      },
    ],
    validate: (value) => {
      const parsed = parseDate(value);
      return parsed && isPlausibleBirthDate(...parsed) ? undefined : false;
    },
  });
}

const US_STATES =
  'AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY';
const STREET_SUFFIX =
  'Street|St|Road|Rd|Avenue|Ave|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Terrace|Way|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Square|Sq|Trail|Close|Crescent|Gardens|Grove|Row|Mews|Hill|Park|Walk|Green|Rise|Plaza|Alley|Loop|Path|Pike|Ridge|Run|View|Station|Stravenue|Mall|Villages?|Crossing|Estates?|Junction|Manor|Meadows?|Point|Ports?|Springs?|Summit|Valley|Heights|Fields?|Forks?|Islands?|Lakes?';

const EUROPEAN_SUFFIXES =
  'straße|strasse|str\\.|weg|gasse|platz|allee|laan|straat|gracht|plein|vägen|gatan|gränd|vej|gade|veien|gata|katu|kuja|tie|polku|utca|ulica|cesta';
/** Cheap look-ups on the lower-cased text that gate the unicode street patterns. */
const EUROPEAN_SUFFIX_HINT = new RegExp(`(?:${EUROPEAN_SUFFIXES}) \\d`);
const EUROPEAN_PREFIX_HINT =
  /\b(?:rue|via|calle|avenida|avenue|viale|piazza|plaza|carrer|rua|ul\.|ulica|strada|boulevard|chemin|place|allee|quai) /;
const UNIT_HINT = /\b(?:Apt|Apartment|Suite|Ste|Unit|Flat)\b/;

/** Words that make a "number words number" or "words postcode" line something other than an address. */
const NOT_ADDRESS_WORDS = new RegExp(
  `^\\d{1,5} (?:${MONTHS}|mon|tue|wed|thu|fri|sat|sun)[a-z]*\\b|\\b(?:number|no|ref|reference|order|total|amount|balance|code|pin|account|id|invoice|case|ticket|page|chapter|version|year|years|items?|points|transactions?|payments?|section|article|clause|paragraph|usd|gbp|eur)\\b`,
  'i',
);

const CURRENCY_AFTER_NUMBER = /^\d{1,5} [A-Z]{3}\b/;

/** Addresses: US street lines, PO boxes, ZIP codes with context, UK postcodes. */
export function createAddressRecognizer(): Recognizer {
  return createPatternRecognizer({
    name: 'address',
    entity: 'ADDRESS',
    context: ['address', 'live', 'postcode', 'post code', 'zip', 'street', 'send', 'deliver', 'moved'],
    // Looked up by the pre-checks of the PO box, military, corner and ZIP patterns below.
    keywords: ['box', 'po a', 'corner of', 'zip', 'postal'],
    applies: (input) => input.hasDigit,
    patterns: [
      {
        name: 'us_street',
        regex: new RegExp(
          `\\b\\d{1,6}(?: \\d{1,5})?(?: [A-Z][A-Za-z'-]{0,20}){1,4} (?:${STREET_SUFFIX})\\b\\.?(?:,? (?:Apt|Apartment|Suite|Ste|Unit|Flat|#)\\.? ?[A-Za-z0-9-]{1,6}\\b)?`,
          'g',
        ),
        score: 0.6,
      },
      {
        name: 'european_street_prefix',
        regex:
          /\b(?:\d{1,5} )?(?:Rue|Via|Vila|Travessa|Calle|Avenida|Avenue|Viale|Piazza|Plaza|Carrer|Rua|ul\.|Ulica|Strada|Boulevard|Chemin|Place|Allee|Quai)(?: [\p{Lu}\p{Ll}'.-]{1,20}){1,4},? \d{1,5}[a-z]?\b/gu,
        score: 0.55,
        applies: (input) => EUROPEAN_PREFIX_HINT.test(input.lower),
      },
      {
        name: 'european_street_suffix',
        regex: new RegExp(
          `\\b(?:\\d{1,5} )?\\p{Lu}\\p{Ll}{1,20}(?:${EUROPEAN_SUFFIXES}) \\d{1,5}[a-z]?\\b`,
          'gu',
        ),
        score: 0.55,
        applies: (input) => EUROPEAN_SUFFIX_HINT.test(input.lower),
      },
      {
        name: 'po_box',
        regex: /\bP\.? ?O\.? ?Box \d{1,6}\b/gi,
        score: 0.6,
        applies: (input) => lowerHasAny(input, ['box']),
      },
      {
        name: 'unit',
        regex: /\b(?:Apt|Apartment|Suite|Ste|Unit|Flat)\.? #?\d{1,5}[A-Za-z]?\b/g,
        score: 0.5,
        applies: (input) => UNIT_HINT.test(input.text),
      },
      {
        name: 'number_words_number',
        // Only at the end of a line or before a comma, where addresses end ("64 Schaarsteinweg 97, Hunderdorf").
        regex:
          /(?<![\d.,])\d{1,5} \p{Lu}[\p{L}'’.-]{1,25}(?: [\p{L}'’.-]{1,25}){0,3} \d{1,5}[a-z]?\.?(?=[ \t]*(?:\r?\n|,|$))/gu,
        score: 0.5,
      },
      {
        name: 'military',
        regex:
          /\b(?:(?:PSC|Unit|USNS|USNV|USS|USCGC) [\p{L}\d ,]{1,30}\r?\n?[ \t]{0,4})?[AF]PO A[AEP] \d{5}\b/giu,
        score: 0.6,
        applies: (input) => lowerHasAny(input, ['po a']),
      },
      {
        name: 'street_corner',
        regex: /\bcorner of ([^\n,?!;]{3,80})/gi,
        score: 0.6,
        group: 1,
        applies: (input) => lowerHasAny(input, ['corner of']),
      },
      {
        name: 'country_postcode_line',
        regex:
          /(?:^|\n)[ \t>?*-]{0,6}(\p{Lu}[\p{L}'’.-]{2,25}(?: [\p{L}'’.-]{2,25}){0,3},? \d{4,6}(?:-\d{4})?)(?=[ \t]*(?:\r?\n|$))/gu,
        score: 0.45,
        group: 1,
      },
      {
        name: 'state_zip',
        regex: new RegExp(`\\b(?:${US_STATES}),? \\d{5}(?:-\\d{4})?\\b`, 'g'),
        score: 0.55,
        applies: (input) => /[A-Z]{2},? \d{5}/.test(input.text),
      },
      {
        name: 'zip_with_keyword',
        regex: /\b(?:zip|zip code|zipcode|postal code)\b[^\d\n]{0,10}?(\d{5}(?:-\d{4})?)(?!\d)/gi,
        score: 0.85,
        group: 1,
        applies: (input) => lowerHasAny(input, ['zip', 'postal']),
      },
      { name: 'uk_postcode', regex: /\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b/g, score: 0.1 },
    ],
    validate: (value) => {
      if (/^[A-Z]{1,2}\d/.test(value) && !/\s\w+\s/.test(value) && value.length <= 8) {
        return isUkPostcode(value) ? { score: 0.6, reason: 'UK postcode format' } : false;
      }
      // "12 March 2024", "250 GBP 100", "Order number 12345": numbers and words, but no address.
      if (NOT_ADDRESS_WORDS.test(value) || CURRENCY_AFTER_NUMBER.test(value)) return false;
      return undefined;
    },
  });
}
