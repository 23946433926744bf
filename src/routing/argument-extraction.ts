/**
 * Extracts tool arguments from a customer's message with small, bounded regular expressions:
 * date ranges ("last week", "yesterday", "in March", "since 1 May"), amounts ("over £50"),
 * merchants ("at Tesco"), counts ("last 5 transactions"), card and account choice. All dates are
 * computed in UTC from an injected `now`, so results are reproducible.
 */

/** Everything the router can extract; `routeToToolCall` keeps only what the chosen tool accepts. */
export interface ExtractedArguments {
  from?: string;
  to?: string;
  minAmount?: string;
  maxAmount?: string;
  merchant?: string;
  direction?: 'in' | 'out';
  limit?: number;
  card?: 'debit' | 'credit';
  cardLast4?: string;
  account?: 'current' | 'savings';
  currency?: 'GBP' | 'EUR';
  accountLast4?: string;
  circumstance?: 'lost' | 'stolen';
  transactionRef?: string;
  reason?:
    | 'not_recognised'
    | 'charged_twice'
    | 'wrong_amount'
    | 'goods_not_received'
    | 'refund_missing'
    | 'other';
  kind?: 'standing_orders' | 'direct_debits' | 'all';
}

const months = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const monthPattern =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const weekdays = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const numberWords: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
};

/** Merchants recognised anywhere in a message, with their canonical spelling. */
export const DEFAULT_MERCHANTS: readonly string[] = [
  'Tesco',
  "Sainsbury's",
  'TfL',
  'Amazon',
  'Netflix',
  'Pret A Manger',
  'Octopus Energy',
  'Carrefour',
  'SNCF',
  'Spotify',
  'Uber',
  'Deliveroo',
  'Starbucks',
  'Asda',
  'Lidl',
  'Aldi',
  'Waitrose',
  'Boots',
  'City Council',
];
const merchantAliases: Record<string, string> = {
  pret: 'Pret A Manger',
  sainsburys: "Sainsbury's",
  octopus: 'Octopus Energy',
  'transport for london': 'TfL',
  tube: 'TfL',
  'council tax': 'City Council',
};
/** Words after "at/on/from" that are never merchants. */
const notMerchants = new Set([
  ...months,
  ...weekdays,
  'the',
  'my',
  'a',
  'an',
  'all',
  'least',
  'most',
  'last',
  'this',
  'that',
  'it',
  'home',
  'work',
  'weekend',
  'weekends',
  'card',
  'account',
  'groceries',
  'food',
  'travel',
  'shopping',
  'average',
  'me',
  'once',
  'today',
  'yesterday',
]);

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function addDays(date: Date, days: number): Date {
  const copy = new Date(date.getTime());
  copy.setUTCDate(copy.getUTCDate() + days);
  return copy;
}

function startOfDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

function monthIndex(word: string): number {
  return months.findIndex((month) => month.startsWith(word.slice(0, 3)));
}

/** The most recent occurrence of a month on or before today (or of an explicit year). */
function monthRange(month: number, today: Date, year?: number): { from: string; to: string } {
  const resolvedYear =
    year ?? (month > today.getUTCMonth() ? today.getUTCFullYear() - 1 : today.getUTCFullYear());
  const from = new Date(Date.UTC(resolvedYear, month, 1));
  const to = new Date(Date.UTC(resolvedYear, month + 1, 0));
  return { from: isoDate(from), to: isoDate(to > today ? today : to) };
}

/** A day and month like "1 May" or "May 1st", in the most recent past year. */
function dayOfMonth(day: number, month: number, today: Date): Date | undefined {
  if (day < 1 || day > 31) return undefined;
  let candidate = new Date(Date.UTC(today.getUTCFullYear(), month, day));
  if (candidate.getUTCMonth() !== month) return undefined;
  if (candidate > today) candidate = new Date(Date.UTC(today.getUTCFullYear() - 1, month, day));
  return candidate;
}

function readNumber(word: string): number | undefined {
  if (/^\d{1,3}$/.test(word)) return Number(word);
  return numberWords[word];
}

// Date and amount patterns, compiled once (none is global or sticky, so sharing them is safe).
const DAY_MONTH = new RegExp(`(\\d{1,2})(?:st|nd|rd|th)?(?: of)? ${monthPattern}\\b`);
const MONTH_DAY = new RegExp(`\\b${monthPattern} (\\d{1,2})(?:st|nd|rd|th)?\\b`);
const IN_MONTH = new RegExp(`\\b(?:in|during|for|over|throughout) ${monthPattern}(?: (\\d{4}))?\\b`);
const AMOUNT =
  '(?:[£€$] ?(\\d[\\d,]{0,9}(?:\\.\\d{1,2})?)|(\\d[\\d,]{0,9}(?:\\.\\d{1,2})?) ?(?:pounds?|quid|gbp|euros?|eur))';
const BETWEEN_AMOUNTS = new RegExp(`\\bbetween ${AMOUNT} and ${AMOUNT}`);
const OVER_AMOUNT = new RegExp(
  `\\b(over|more than|above|greater than|bigger than|larger than|exceeding|at least|minimum of) ${AMOUNT}`,
);
const UNDER_AMOUNT = new RegExp(
  `\\b(under|less than|below|smaller than|up to|at most|no more than|maximum of) ${AMOUNT}`,
);

function extractDates(text: string, today: Date): Pick<ExtractedArguments, 'from' | 'to'> {
  const readDayMonth = (fragment: string): Date | undefined => {
    const first = DAY_MONTH.exec(fragment);
    if (first) return dayOfMonth(Number(first[1]), monthIndex(first[2]!), today);
    const second = MONTH_DAY.exec(fragment);
    if (second) return dayOfMonth(Number(second[2]), monthIndex(second[1]!), today);
    return undefined;
  };

  const since = /\b(?:since|from|after) (?:the )?([^,.?!]{1,24})/.exec(text);
  if (since) {
    const fragment = since[1]!;
    const date = readDayMonth(fragment);
    if (date) return { from: isoDate(date) };
    const weekday = weekdays.findIndex((name) => fragment.startsWith(name));
    if (weekday >= 0) {
      const back = (today.getUTCDay() - weekday + 7) % 7 || 7;
      return { from: isoDate(addDays(today, -back)) };
    }
  }
  const on = /\bon (?:the )?(.{1,20})/.exec(text);
  if (on) {
    const date = readDayMonth(on[1]!);
    if (date) return { from: isoDate(date), to: isoDate(date) };
  }
  if (/\btoday\b/.test(text)) return { from: isoDate(today), to: isoDate(today) };
  if (/\byesterday\b/.test(text)) {
    const yesterday = addDays(today, -1);
    return { from: isoDate(yesterday), to: isoDate(yesterday) };
  }
  const lastSpan = /\b(?:last|past|previous) (\d{1,3}|[a-z]+) (day|week|month)s?\b/.exec(text);
  if (lastSpan) {
    const count = readNumber(lastSpan[1]!);
    if (count) {
      const days = lastSpan[2] === 'day' ? count : lastSpan[2] === 'week' ? count * 7 : count * 30;
      return { from: isoDate(addDays(today, -(days - 1))), to: isoDate(today) };
    }
  }
  const mondayThisWeek = addDays(today, -((today.getUTCDay() + 6) % 7));
  if (/\blast week\b/.test(text)) {
    return { from: isoDate(addDays(mondayThisWeek, -7)), to: isoDate(addDays(mondayThisWeek, -1)) };
  }
  if (/\bthis week\b/.test(text)) return { from: isoDate(mondayThisWeek), to: isoDate(today) };
  if (/\blast month\b/.test(text)) {
    const month = today.getUTCMonth() === 0 ? 11 : today.getUTCMonth() - 1;
    const year = today.getUTCMonth() === 0 ? today.getUTCFullYear() - 1 : today.getUTCFullYear();
    return monthRange(month, today, year);
  }
  if (/\bthis month\b/.test(text)) {
    return {
      from: isoDate(new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1))),
      to: isoDate(today),
    };
  }
  const inMonth = IN_MONTH.exec(text);
  if (inMonth) {
    return monthRange(monthIndex(inMonth[1]!), today, inMonth[2] ? Number(inMonth[2]) : undefined);
  }
  return {};
}

/** "50", "12.5" → "50.00"-style decimal string, shifted by `adjustMinor` pence for strict bounds. */
function decimalAmount(text: string, adjustMinor = 0): string | undefined {
  const match = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(text.replaceAll(',', ''));
  if (!match) return undefined;
  const minor = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) + adjustMinor;
  if (minor < 0) return undefined;
  return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
}

function extractAmounts(text: string): Pick<ExtractedArguments, 'minAmount' | 'maxAmount'> {
  const between = BETWEEN_AMOUNTS.exec(text);
  if (between) {
    const low = decimalAmount(between[1] ?? between[2] ?? '');
    const high = decimalAmount(between[3] ?? between[4] ?? '');
    return { ...(low ? { minAmount: low } : {}), ...(high ? { maxAmount: high } : {}) };
  }
  const result: Pick<ExtractedArguments, 'minAmount' | 'maxAmount'> = {};
  const over = OVER_AMOUNT.exec(text);
  if (over) {
    const inclusive = over[1] === 'at least' || over[1] === 'minimum of';
    const value = decimalAmount(over[2] ?? over[3] ?? '', inclusive ? 0 : 1);
    if (value) result.minAmount = value;
  }
  const under = UNDER_AMOUNT.exec(text);
  if (under) {
    const inclusive = ['up to', 'at most', 'no more than', 'maximum of'].includes(under[1]!);
    const value = decimalAmount(under[2] ?? under[3] ?? '', inclusive ? 0 : -1);
    if (value) result.maxAmount = value;
  }
  return result;
}

/** The alias patterns, compiled once. */
const aliasPatterns: ReadonlyArray<{ readonly pattern: RegExp; readonly canonical: string }> = Object.entries(
  merchantAliases,
).map(([alias, canonical]) => ({ pattern: new RegExp(`\\b${alias}\\b`), canonical }));

/** A merchant list compiled for matching: one pattern per name, longest name first. */
export interface MerchantList {
  readonly patterns: ReadonlyArray<{ readonly pattern: RegExp; readonly merchant: string }>;
}

/** Compiles a merchant list once, when the router that uses it is built. */
export function compileMerchantList(merchants: readonly string[]): MerchantList {
  return {
    patterns: [...merchants]
      .sort((left, right) => right.length - left.length)
      .map((merchant) => {
        const needle = merchant.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        return { pattern: new RegExp(`\\b${needle}\\b`), merchant };
      }),
  };
}

const DEFAULT_MERCHANT_LIST = compileMerchantList(DEFAULT_MERCHANTS);

function extractMerchant(original: string, text: string, merchants: MerchantList): string | undefined {
  for (const { pattern, canonical } of aliasPatterns) {
    if (pattern.test(text)) return canonical;
  }
  for (const { pattern, merchant } of merchants.patterns) {
    if (pattern.test(text)) return merchant;
  }
  // An unknown merchant named after "at"/"in" with a capital letter in the original text.
  const named = /\b(?:at|from|with|to) ((?:[A-Z][\w&'-]*)(?: [A-Z][\w&'-]*){0,2})/.exec(original);
  if (named) {
    const candidate = named[1]!;
    if (!notMerchants.has(candidate.toLowerCase().split(' ')[0]!) && !/^[A-Z_]+$/.test(candidate))
      return candidate;
  }
  return undefined;
}

function extractLimit(text: string): number | undefined {
  const patterns = [
    /\b(?:last|latest|recent|most recent|previous|past|first) (\d{1,3}|[a-z]+) (?:transactions?|payments?|purchases?|things|items|spends?|entries|charges|debits|credits)\b/,
    /\b(\d{1,3}|[a-z]+) (?:most )?(?:recent|latest|last) (?:transactions?|payments?|purchases?)\b/,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(text);
    if (match) {
      const count = readNumber(match[1]!);
      if (count) return Math.min(count, 50);
    }
  }
  if (/\b(?:latest|last|most recent) (?:transaction|payment|purchase)\b/.test(text)) return 1;
  return undefined;
}

/**
 * Extracts every argument the message states. `now` fixes "today"; `merchants` extends the known
 * merchant list (e.g. with names from the customer's own statement).
 */
export function extractArguments(
  original: string,
  options: { now: Date; merchants?: MerchantList },
): ExtractedArguments {
  const clipped = original.slice(0, 500).replace(/[’‘`]/g, "'");
  const text = clipped.toLowerCase().replace(/[’‘`]/g, "'").replace(/\s+/g, ' ');
  const today = startOfDay(options.now);
  const result: ExtractedArguments = { ...extractDates(text, today), ...extractAmounts(text) };

  if (/\b(?:salary|wages|paycheque|paycheck|pay ?day|been paid|get paid|got paid|payroll)\b/.test(text)) {
    result.merchant = 'salary';
    result.direction = 'in';
  } else if (/\brent\b/.test(text) && !/\brental car\b/.test(text)) {
    result.merchant = 'rent';
    result.direction = 'out';
  } else if (/\brefunds?\b/.test(text)) {
    result.merchant = 'refund';
    result.direction = 'in';
  } else {
    const merchant = extractMerchant(clipped, text, options.merchants ?? DEFAULT_MERCHANT_LIST);
    if (merchant) result.merchant = merchant;
  }
  if (!result.direction) {
    if (
      /\b(?:spen[dt]|spending|bought|buy|paid (?:at|for|to)|pay (?:at|for)|went out|gone out|outgoings?|money out|purchases?)\b/.test(
        text,
      )
    ) {
      result.direction = 'out';
    } else if (
      /\b(?:received|came in|come in|paid in|money in|incoming|deposits?|credited|income)\b/.test(text)
    ) {
      result.direction = 'in';
    }
  }
  const limit = extractLimit(text);
  if (limit) result.limit = limit;

  const cardEnding = /\bcard (?:ending|ends|number ending)(?: in| with)? (\d{4})\b/.exec(text);
  if (cardEnding) result.cardLast4 = cardEnding[1];
  if (/\bcredit ?card\b|\bmastercard credit\b/.test(text)) result.card = 'credit';
  else if (/\bdebit ?card\b/.test(text)) result.card = 'debit';
  const accountEnding = /\baccount (?:ending|ends|number ending)(?: in| with)? (\d{4})\b/.exec(text);
  if (accountEnding) result.accountLast4 = accountEnding[1];
  if (/\bsavings?\b|\bsaver\b/.test(text)) result.account = 'savings';
  else if (/\bcurrent account\b/.test(text)) result.account = 'current';
  if (/\beuros?\b|\beur\b|€/.test(text) && /\baccount\b|\bbalance\b/.test(text)) result.currency = 'EUR';

  if (/\bstolen|\bstole\b|\btheft\b|\bthief\b|\bpickpocket|\brobbed\b|\btook\b|\btaken\b/.test(text))
    result.circumstance = 'stolen';
  else if (/\blost\b|\blose\b|\bmissing\b|\bgone\b|\bdropped\b/.test(text)) result.circumstance = 'lost';

  const reference =
    /\b(?:ref(?:erence)?|transaction)(?: number)?(?: ending)?(?: in)?:? (?:••••|\*{2,4}|x{2,4})?(\d{4})\b/.exec(
      text,
    );
  if (reference) result.transactionRef = reference[1];
  if (/\btwice\b|\bdouble\b|\btwo times\b|\bcharged 2\b|\bduplicate/.test(text))
    result.reason = 'charged_twice';
  else if (/\bwrong amount\b|\bovercharged\b|\bcharged too much\b|\bincorrect amount\b/.test(text))
    result.reason = 'wrong_amount';
  else if (
    /\bnever (?:arrived|came|received)|\b(?:didn't|did not|haven't|have not) (?:arrive|receive|get)|\bnot (?:received|delivered)/.test(
      text,
    )
  ) {
    result.reason = 'goods_not_received';
  } else if (/\brefund\b/.test(text)) result.reason = 'refund_missing';
  else if (
    /recogni[sz]e|\bdidn't make\b|\bdid not make\b|\bnot mine\b|\bunauthori[sz]ed\b|\bfraudulent\b|\bnever authori[sz]ed\b|\bwithout (?:my )?permission\b|\bunknown\b/.test(
      text,
    )
  ) {
    result.reason = 'not_recognised';
  }
  if (/\bstanding orders?\b/.test(text) && !/\bdirect debits?\b/.test(text)) result.kind = 'standing_orders';
  else if (/\bdirect debits?\b/.test(text) && !/\bstanding orders?\b/.test(text))
    result.kind = 'direct_debits';
  return result;
}
