import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPrivacyGuard, IRREVERSIBLE_ENTITIES } from './guard.js';
import { InMemoryKeyValueStore, KeyValueVaultStore } from './key-value-vault-store.js';
import { EncryptedConversationVault } from './vault.js';

function sealedGuard() {
  const table = new InMemoryKeyValueStore();
  const store = new KeyValueVaultStore(table);
  const guard = createPrivacyGuard({
    vault: new EncryptedConversationVault({ key: randomBytes(32), store }),
  });
  return { guard, table };
}

describe('secrets that are never shown back', () => {
  it('when a message holds a PIN, CVV, password and code then each becomes its label and the vault stores none', async () => {
    const { guard, table } = sealedGuard();
    const { redactedText, findings } = await guard.redactMessage(
      'c1',
      'pin is 4 7 1 9, security code 917, password: Tr0ub4dor&3 and the code 48 29 13',
    );
    expect(redactedText).toBe('pin is <PIN>, security code <CVV>, password: <PASSWORD> and the code <OTP>');
    expect(findings.map((finding) => finding.token)).toEqual(['<PIN>', '<CVV>', '<PASSWORD>', '<OTP>']);
    expect(table.dump()).toEqual([]);
  });

  it('when secrets sit beside a card then only the card reaches the vault', async () => {
    const { guard, table } = sealedGuard();
    const { redactedText } = await guard.redactMessage(
      'c1',
      'card 4111/1111/1111/1111 pin four seven one nine',
    );
    expect(redactedText).toBe('card <CREDIT_CARD_1> pin <PIN>');
    expect(table.dump().filter((entry) => entry.includes(':token:'))).toHaveLength(1);
    expect(
      await guard.restoreForCustomer('c1', redactedText, ['CREDIT_CARD', ...IRREVERSIBLE_ENTITIES]),
    ).toBe('card 4111/1111/1111/1111 pin <PIN>');
  });

  it('when a caller asks to remember a secret then it is refused', async () => {
    const { guard, table } = sealedGuard();
    for (const entity of IRREVERSIBLE_ENTITIES)
      expect(await guard.rememberOwnValue('c1', entity, '4719')).toBeUndefined();
    expect(table.dump()).toEqual([]);
  });

  it('when the customer names a card by its last four then the tools can still read it back', async () => {
    const { guard } = sealedGuard();
    const { redactedText } = await guard.redactMessage(
      'c1',
      'freeze my card ending 4821, pin 4821 is blocked too',
    );
    expect(redactedText).toBe('freeze my card ending <CREDIT_CARD_1>, pin <PIN> is blocked too');
    expect(await guard.restoreForCustomer('c1', redactedText, ['CREDIT_CARD'])).toBe(
      'freeze my card ending 4821, pin <PIN> is blocked too',
    );
  });
});
