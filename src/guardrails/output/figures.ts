/**
 * Figures as an answer states them: a value with its currency or unit. "£3" and "£15" differ by
 * value, "€15" and "£15" by currency, "15%" and "£15" by unit, and "we do not charge anything"
 * states a price of zero as surely as "£0" does. Groundedness compares figures, not digits.
 */

/** One figure: a normalised value and the unit it is in (`''` for a bare number). */
export interface Figure {
  /** The number without separators or trailing zeros ("1250", "2.5"); `0` for a stated zero price. */
  readonly value: string;
  /** `GBP`, `EUR`, `USD`, `pence`, `percent`, a time unit (`day`, `month`…), `price` or `''`. */
  readonly unit: string;
  /** As written, for explanations. */
  readonly text: string;
}

const CURRENCY_BEFORE: Record<string, string> = {
  '£': 'GBP',
  '€': 'EUR',
  $: 'USD',
  gbp: 'GBP',
  eur: 'EUR',
  usd: 'USD',
};

function unitAfter(word: string | undefined): string {
  if (word === undefined) return '';
  const lower = word.toLowerCase().replace(/\s+/g, ' ');
  if (lower === '%' || lower === 'percent' || lower === 'per cent') return 'percent';
  if (lower === 'p' || lower === 'pence') return 'pence';
  if (/^(?:pounds?|gbp)$/.test(lower)) return 'GBP';
  if (/^(?:euros?|eur)$/.test(lower)) return 'EUR';
  if (/^(?:dollars?|usd)$/.test(lower)) return 'USD';
  // "5 working days" and "5 days" are the same unit; the qualifier is not a different figure.
  const time = /(day|week|month|year|hour|minute)s?$/.exec(lower);
  return time ? time[1]! : '';
}

const FIGURE =
  /(?<before>[£€$]|\b(?:GBP|EUR|USD)\s?)?(?<number>\d(?:[\d,]*\d)?(?:\.\d+)?)(?:\s?(?<after>%|per cent\b|percent\b|p\b|pence\b|pounds?\b|euros?\b|dollars?\b|GBP\b|EUR\b|USD\b|(?:(?:working|business|calendar) )?(?:days?|weeks?|months?|years?|hours?|minutes?)\b))?/giu;

/**
 * Wordings that state a zero price: "free", "no fee", "no charge", "we do not charge anything",
 * "costs nothing". One pattern, bounded (no nested quantifiers), over one sentence at a time.
 */
const ZERO_PRICE =
  /\b(?:free(?: of charge)?|no (?:fees?|charges?|cost)|(?:do|does|will) not charge|(?:don't|doesn't|won't) charge|charges? nothing|costs? nothing|nothing to pay|(?:is|are) waived|waive[sd]? (?:the|your|any|all) (?:fees?|charges?))\b/iu;

function normalise(number: string): string {
  const value = Number(number.replace(/,/g, ''));
  return Number.isFinite(value) ? String(value) : number;
}

/** Every figure stated in `text`, zero prices included. */
export function figuresIn(text: string): Figure[] {
  const figures: Figure[] = [];
  for (const match of text.matchAll(FIGURE)) {
    const { before, number, after } = match.groups as { before?: string; number: string; after?: string };
    const currency = before ? CURRENCY_BEFORE[before.trim().toLowerCase()] : undefined;
    figures.push({ value: normalise(number), unit: currency ?? unitAfter(after), text: match[0].trim() });
  }
  const zero = ZERO_PRICE.exec(text);
  if (zero) figures.push({ value: '0', unit: 'price', text: zero[0] });
  return figures;
}

/**
 * True when `source` states `figure`: the same value in the same unit. A bare number in the claim
 * ("15 per payment") matches the value in any unit; a figure with a unit needs that unit.
 */
export function statesFigure(source: readonly Figure[], figure: Figure): boolean {
  return source.some(
    (candidate) => candidate.value === figure.value && (figure.unit === '' || candidate.unit === figure.unit),
  );
}
