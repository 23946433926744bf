/**
 * Checksums and format rules that turn a pattern's guess into a decision. Each takes the matched
 * text (separators allowed) and returns whether it is a real identifier.
 */

/** Keeps only ASCII digits. */
export function digitsOf(text: string): string {
  let digits = '';
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 48 && code <= 57) digits += text[index];
  }
  return digits;
}

/** Luhn (mod 10) check used by payment card numbers. */
export function isLuhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index--) {
    let value = digits.charCodeAt(index) - 48;
    if (value < 0 || value > 9) return false;
    if (double) {
      value *= 2;
      if (value > 9) value -= 9;
    }
    sum += value;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** Maestro issues cards as short as 12 digits (IIN ranges 50, 56-69; 0604 in older tables). */
const MAESTRO_PREFIXES = /^(?:50|5[6-9]|6|0604)/;

/**
 * A payment card number: 13 to 19 digits (12 for Maestro prefixes), Luhn-valid, not one repeated digit, and a major industry
 * identifier (first digit) of a card network: 1 (UATP, 15 digits), 2-6. Numbers starting 0, 7, 8
 * or 9 belong to other industries (petroleum, telecom, national schemes).
 */
export function isCreditCardNumber(text: string): boolean {
  const digits = digitsOf(text);
  if (digits.length === 12 && MAESTRO_PREFIXES.test(digits)) return isLuhnValid(digits);
  if (digits.length < 13 || digits.length > 19) return false;
  if (/^(\d)\1+$/.test(digits)) return false;
  const first = digits[0]!;
  if (first === '0' || first >= '7' || (first === '1' && digits.length !== 15)) return false;
  return isLuhnValid(digits);
}

/** IBAN length per ISO 3166 country code (SWIFT IBAN registry). */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BI: 27,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DJ: 27,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FK: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MN: 20,
  MR: 27,
  MT: 31,
  MU: 30,
  NI: 28,
  NL: 18,
  NO: 15,
  OM: 23,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  RU: 33,
  SA: 24,
  SC: 31,
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  SO: 23,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
  YE: 30,
};

/** ISO 7064 mod 97-10 over an IBAN without separators (country and check digits moved to the end). */
export function ibanChecksumValid(compact: string): boolean {
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (let index = 0; index < rearranged.length; index++) {
    const code = rearranged.charCodeAt(index);
    if (code >= 48 && code <= 57) {
      remainder = (remainder * 10 + (code - 48)) % 97;
    } else if (code >= 65 && code <= 90) {
      remainder = (remainder * 100 + (code - 55)) % 97;
    } else {
      return false;
    }
  }
  return remainder === 1;
}

/** A full IBAN: known country, that country's length, BBAN alphanumeric, mod-97 valid. */
export function isIban(text: string): boolean {
  const compact = text.replace(/[ -]/g, '').toUpperCase();
  const length = IBAN_LENGTHS[compact.slice(0, 2)];
  if (length === undefined || compact.length !== length) return false;
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(compact)) return false;
  return ibanChecksumValid(compact);
}

/** ABA routing number prefixes in use: Federal Reserve districts, thrifts, electronic, traveller's cheques. */
function abaPrefixValid(prefix: number): boolean {
  return prefix <= 12 || (prefix >= 21 && prefix <= 32) || (prefix >= 61 && prefix <= 72) || prefix === 80;
}

/** US ABA routing transit number: 9 digits, valid prefix, 3-7-1 weighted checksum. */
export function isAbaRoutingNumber(text: string): boolean {
  const digits = digitsOf(text);
  if (digits.length !== 9 || /^(\d)\1+$/.test(digits)) return false;
  if (!abaPrefixValid(Number(digits.slice(0, 2)))) return false;
  const d = Array.from(digits, (character) => character.charCodeAt(0) - 48) as number[];
  const sum = 3 * (d[0]! + d[3]! + d[6]!) + 7 * (d[1]! + d[4]! + d[7]!) + (d[2]! + d[5]! + d[8]!);
  return sum % 10 === 0;
}

/**
 * US Social Security Number rules: one kind of separator at most, area not 000, 666 or 9xx (ITIN
 * range), group not 00, serial not 0000, not one repeated digit, not a well-known sample number.
 */
export function isUsSsn(text: string): boolean {
  let separator = '';
  for (const character of text) {
    if (character === '-' || character === '.' || character === ' ') {
      if (separator && separator !== character) return false;
      separator = character;
    }
  }
  const digits = digitsOf(text);
  if (digits.length !== 9 || /^(\d)\1+$/.test(digits)) return false;
  const area = digits.slice(0, 3);
  if (area === '000' || area === '666' || area[0] === '9') return false;
  if (digits.slice(3, 5) === '00' || digits.slice(5) === '0000') return false;
  return !SAMPLE_SSNS.has(digits);
}

/** Numbers published as examples (advertising, documentation) that are never anyone's SSN. */
const SAMPLE_SSNS = new Set(['078051120', '219099999', '123456789', '987654320', '987654321']);

/** ISO 3166-1 alpha-2 codes, for the country part of SWIFT/BIC codes. */
const COUNTRY_CODES = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW ' +
    'BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI ' +
    'FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN ' +
    'IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME ' +
    'MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF ' +
    'PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV ' +
    'SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK ' +
    'YE YT ZA ZM ZW'
  ).split(' '),
);

/** Whether a two-letter code is an ISO 3166-1 country (or Kosovo's XK). */
export function isCountryCode(code: string): boolean {
  return COUNTRY_CODES.has(code.toUpperCase());
}

/** SWIFT/BIC: 4-letter bank, ISO country, 2 alphanumeric location, optional 3 alphanumeric branch. */
export function isSwiftCode(text: string): boolean {
  if (!/^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/.test(text)) return false;
  // Location code '0' in second position marks test BICs; they are still identifiers, keep them.
  return COUNTRY_CODES.has(text.slice(4, 6));
}

/** Dotted-quad IPv4 with each octet 0-255 and no leading zeros beyond a single 0. */
export function isIpv4(text: string): boolean {
  const parts = text.split('.');
  if (parts.length !== 4) return false;
  for (const part of parts) {
    if (part.length === 0 || part.length > 3 || !/^\d+$/.test(part)) return false;
    if (part.length > 1 && part[0] === '0') return false;
    if (Number(part) > 255) return false;
  }
  return true;
}

/** IPv6 in full, compressed (`::`) or IPv4-embedded form. */
export function isIpv6(text: string): boolean {
  if (text.length < 2 || text.length > 45) return false;
  const doubleColon = text.indexOf('::');
  if (doubleColon !== -1 && text.indexOf('::', doubleColon + 1) !== -1) return false;
  let groups = text.split(':');
  let expected = 8;
  const last = groups[groups.length - 1] ?? '';
  if (last.includes('.')) {
    if (!isIpv4(last)) return false;
    groups = groups.slice(0, -1);
    expected = 6;
  }
  if (doubleColon === -1) {
    if (groups.length !== expected) return false;
    return groups.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group));
  }
  const nonEmpty = groups.filter((group) => group.length > 0);
  if (nonEmpty.length > expected - 1) return false;
  return nonEmpty.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group));
}

/** A calendar date that can be someone's birth date: real day of month, year 1900 to this year. */
export function isPlausibleBirthDate(year: number, month: number, day: number, now = new Date()): boolean {
  if (!Number.isInteger(year) || year < 1900 || year > now.getUTCFullYear()) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/** UK postcode, full form with a space optional (`SW1A 1AA`, `M1 1AE`, `EC1A1BB`). */
export function isUkPostcode(text: string): boolean {
  return /^(?:GIR ?0AA|[A-PR-UWYZ](?:\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKSTUW]|[A-HK-Y]\d[ABEHMNPRVWXY]) ?\d[ABD-HJLNP-UW-Z]{2})$/i.test(
    text,
  );
}

/** NINO prefixes HMRC never allocates (ZZ was used for temporary numbers). */
const UNALLOCATED_NINO_PREFIXES = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

/**
 * A UK National Insurance number by HMRC's format rules: two prefix letters (the first never D, F,
 * I, Q, U or V; the second never D, F, I, O, Q, U or V; not BG, GB, KN, NK, NT, TN or ZZ), six
 * digits and a suffix A-D. Spaces or dashes between the pairs are allowed, one kind only.
 */
export function isUkNino(text: string): boolean {
  const separators = text.match(/[ -]/g);
  if (separators && new Set(separators).size > 1) return false;
  const compact = text.replace(/[ -]/g, '').toUpperCase();
  const parts = /^([A-CEGHJ-PR-TW-Z])([A-CEGHJ-NPR-TW-Z])\d{6}[A-D]$/.exec(compact);
  if (!parts) return false;
  return !UNALLOCATED_NINO_PREFIXES.has(`${parts[1]}${parts[2]}`);
}
