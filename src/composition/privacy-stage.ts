import type { PrivacyGuard } from '../privacy/guard.js';
import type { EntityType } from '../privacy/types.js';
import type { PrivacyStage } from '../turn/stages.js';

/**
 * What the customer may see restored in a reply: their own contact and account details. Secrets
 * (PIN, password, one-time code, CVV) are never echoed back, even to their owner.
 */
export const CUSTOMER_VISIBLE_ENTITIES: readonly EntityType[] = [
  'CREDIT_CARD',
  'IBAN_CODE',
  'BANK_ACCOUNT',
  'UK_SORT_CODE',
  'US_ROUTING_NUMBER',
  'SWIFT_CODE',
  'EMAIL_ADDRESS',
  'PHONE_NUMBER',
  'PERSON',
  'ADDRESS',
  'DATE_OF_BIRTH',
  'IP_ADDRESS',
];

/** The privacy guard seen as the pipeline's redaction stage. */
export function privacyStage(guard: PrivacyGuard): PrivacyStage {
  return {
    async redactMessage(conversationId, text) {
      const { redactedText, findings } = await guard.redactMessage(conversationId, text);
      return { redactedText, entities: findings.map((finding) => finding.entity) };
    },
    redactForLog: (text) => guard.redactForLog(text),
    findForeignPii: async (conversationId, text) =>
      (await guard.findForeignPii(conversationId, text)).map((finding) => finding.entity),
    restoreForCustomer: (conversationId, text) =>
      guard.restoreForCustomer(conversationId, text, CUSTOMER_VISIBLE_ENTITIES),
  };
}
