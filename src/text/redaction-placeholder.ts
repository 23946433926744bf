/**
 * A redaction placeholder as the privacy layer writes it into text: `<EMAIL_ADDRESS_1>` (vault
 * token), `<CREDIT_CARD>` or `<PERSON:3fa2…>` (anonymised). It stands for a value the customer
 * gave, not for words the customer wrote. The prompt escaper (src/generation/prompts.ts) keeps
 * its own stricter pattern on purpose: it lets only numbered tokens through unescaped, so that
 * no bare `<SOURCES>` can open a block.
 */
const REDACTION_PLACEHOLDER = /<[A-Z][A-Z]*(?:_[A-Z]+)*(?:_\d{1,6}|:[0-9a-f]+)?>/g;

/** The text with every redaction placeholder replaced by a space. */
export function withoutRedactionPlaceholders(text: string): string {
  return text.replace(REDACTION_PLACEHOLDER, ' ');
}
