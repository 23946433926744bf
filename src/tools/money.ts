import { z } from 'zod';

/**
 * Money as an integer count of minor units (pence, cents) plus an ISO 4217 currency code.
 * No floating point is ever used: sums are integer additions guarded against overflow, and
 * formatting is string arithmetic on the integer, so "£0.10 + £0.20" is always exactly "£0.30".
 */
export const currencySchema = z.enum(['GBP', 'EUR', 'USD']);
export type Currency = z.infer<typeof currencySchema>;

export const moneySchema = z.object({
  minor: z.number().int().refine(Number.isSafeInteger, 'amount must be a safe integer'),
  currency: currencySchema,
});
export type Money = z.infer<typeof moneySchema>;

const symbols: Record<Currency, string> = { GBP: '£', EUR: '€', USD: '$' };
/** Digits after the decimal point per currency (all supported currencies use two). */
const exponents: Record<Currency, number> = { GBP: 2, EUR: 2, USD: 2 };

/** Builds a Money value, refusing anything that is not a safe integer of minor units. */
export function money(minor: number, currency: Currency): Money {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`Money needs integer minor units, got ${minor}`);
  return { minor, currency };
}

/** Adds amounts of one currency exactly; throws on mixed currencies or overflow. */
export function sumMoney(amounts: readonly Money[], currency: Currency): Money {
  let total = 0;
  for (const amount of amounts) {
    if (amount.currency !== currency) {
      throw new RangeError(`Cannot add ${amount.currency} to a ${currency} total`);
    }
    total += amount.minor;
    if (!Number.isSafeInteger(total)) throw new RangeError('Money total overflowed');
  }
  return { minor: total, currency };
}

/** Absolute value of an amount (refunds and spending are compared by size). */
export function absoluteMoney(amount: Money): Money {
  return { minor: Math.abs(amount.minor), currency: amount.currency };
}

/**
 * Formats exactly, e.g. `{ minor: 123456, currency: 'GBP' }` → "£1,234.56" and -1050 → "-£10.50".
 * Grouping and the decimal point are done on the digit string, so no rounding can occur.
 */
export function formatMoney(amount: Money): string {
  const exponent = exponents[amount.currency];
  const negative = amount.minor < 0;
  const digits = Math.abs(amount.minor)
    .toString()
    .padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const text = `${symbols[amount.currency]}${grouped}${exponent > 0 ? `.${fraction}` : ''}`;
  return negative ? `-${text}` : text;
}

/**
 * Parses a customer-typed amount such as "50", "£1,234.5" or "12.99" into minor units without
 * floating point. Returns undefined for anything that is not a plain non-negative amount.
 */
export function parseMinorUnits(text: string, currency: Currency = 'GBP'): number | undefined {
  const match = /^\s*[£€$]?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!match) return undefined;
  const exponent = exponents[currency];
  const whole = match[1]!.replaceAll(',', '');
  const fraction = (match[2] ?? '').padEnd(exponent, '0');
  const minor = Number.parseInt(`${whole}${fraction}`, 10);
  return Number.isSafeInteger(minor) ? minor : undefined;
}
