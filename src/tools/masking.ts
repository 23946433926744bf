/**
 * Masking of identifiers for anything returned to the model or the customer: only the last four
 * characters of an account number, card number or reference ever leave the tools.
 */

/** "41234567" → "••••4567". Short identifiers are fully masked rather than shown. */
export function maskIdentifier(identifier: string): string {
  const compact = identifier.replace(/[\s-]/g, '');
  if (compact.length <= 4) return '••••';
  return `••••${compact.slice(-4)}`;
}

/** Last four characters, used to let a customer refer to "the card ending 4821". */
export function lastFour(identifier: string): string {
  return identifier.replace(/[\s-]/g, '').slice(-4);
}

/** "amelia.hart@example.com" → "a••••@example.com". */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at <= 0) return '••••';
  return `${email[0]}••••${email.slice(at)}`;
}

/** "+44 7700 900123" → "••••0123". */
export function maskPhone(phone: string): string {
  return maskIdentifier(phone.replace(/\D/g, ''));
}

/** Keeps only the postcode's outward part: "SW1A 1AA" → "SW1A •••". */
export function maskPostcode(postcode: string): string {
  const [outward] = postcode.trim().split(/\s+/);
  return `${outward ?? ''} •••`.trim();
}
