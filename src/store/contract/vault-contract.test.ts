import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrivacyGuard } from '../../privacy/guard.js';
import { EncryptedConversationVault } from '../../privacy/vault.js';
import { purgeExpiredVault } from '../../privacy/vault-retention.js';
import { backendsUnderTest } from '../../testing/store-backends.js';
import type { StateBackend } from '../ports.js';

const DAY = 24 * 60 * 60 * 1000;
const card = '4111 1111 1111 1111';

/**
 * The sealed redaction vault on each backend's storage (`StateBackend.vault`), through the real
 * EncryptedConversationVault: what one vault stores another on the same store, with the same key,
 * reveals (another worker or host), values are sealed at rest, concurrent tokenizing never gives
 * one value two tokens or one token two values, and retention forgets by last use.
 */
for (const backend of await backendsUnderTest()) {
  const title = `${backend.name} redaction vault${backend.skipReason ? ` (skipped: ${backend.skipReason})` : ''}`;
  describe.skipIf(backend.skipReason)(title, () => {
    let store: StateBackend & { readonly url?: string };
    let clock = Date.parse('2026-11-01T09:00:00Z');
    const key = randomBytes(32);
    const vaultOn = (options: { key?: Buffer; maxEntriesPerConversation?: number } = {}) =>
      new EncryptedConversationVault({
        key: options.key ?? key,
        store: store.vault,
        now: () => clock,
        ...(options.maxEntriesPerConversation && {
          maxEntriesPerConversation: options.maxEntriesPerConversation,
        }),
      });
    beforeAll(async () => {
      store = await backend.open();
    });
    afterAll(async () => store?.close());

    it('when one vault tokenizes then another on the same store reveals, per conversation and only with the key', async () => {
      const minting = vaultOn();
      const first = await minting.tokenize('conv_a', 'CREDIT_CARD', card);
      expect(first).toBe('<CREDIT_CARD_1>');
      expect(await minting.tokenize('conv_a', 'CREDIT_CARD', '4111-1111-1111-1111')).toBe(first);
      expect(await minting.tokenize('conv_a', 'CREDIT_CARD', '5555 5555 5555 4444')).toBe('<CREDIT_CARD_2>');
      expect(await minting.tokenize('conv_a', 'EMAIL_ADDRESS', 'jane@example.com')).toBe('<EMAIL_ADDRESS_1>');
      expect(await minting.tokenize('conv_b', 'CREDIT_CARD', '5555 5555 5555 4444')).toBe('<CREDIT_CARD_1>');

      const other = vaultOn();
      expect(await other.reveal('conv_a', '<CREDIT_CARD_1>')).toEqual({ entity: 'CREDIT_CARD', value: card });
      expect(await other.reveal('conv_b', '<CREDIT_CARD_1>')).toEqual({
        entity: 'CREDIT_CARD',
        value: '5555 5555 5555 4444',
      });
      expect(await other.reveal('conv_c', '<CREDIT_CARD_1>')).toBeUndefined();
      expect(await other.lookup('conv_a', 'EMAIL_ADDRESS', 'Jane@Example.com')).toBe('<EMAIL_ADDRESS_1>');
      expect(await other.lookup('conv_b', 'EMAIL_ADDRESS', 'jane@example.com')).toBeUndefined();
      expect(await vaultOn({ key: randomBytes(32) }).reveal('conv_a', '<CREDIT_CARD_1>')).toBeUndefined();
    });

    it.skipIf(backend.name !== 'postgres')(
      'when values are stored then the table holds neither values nor their digits',
      async () => {
        await vaultOn().tokenize('conv_raw', 'IBAN_CODE', 'GB29 NWBK 6016 1331 9268 19');
        const client = new pg.Client({ connectionString: store.url });
        await client.connect();
        try {
          const { rows } = await client.query('SELECT * FROM vault_values');
          const raw = JSON.stringify(rows);
          expect(raw).toContain('<IBAN_CODE_1>');
          expect(raw).not.toMatch(/NWBK|6016|1331/);
        } finally {
          await client.end();
        }
      },
    );

    it('when several vaults tokenize one conversation at once then every value has one token and every token one value', async () => {
      const vaults = [vaultOn(), vaultOn(), vaultOn()];
      const values = Array.from({ length: 12 }, (_, index) => `07700 900${String(100 + index)}`);
      // Every value is tokenized by all three at once, interleaved with the others.
      const tokens = await Promise.all(
        values.flatMap((value) => vaults.map((vault) => vault.tokenize('conv_race', 'PHONE_NUMBER', value))),
      );
      const byValue = values.map((_, index) => new Set(tokens.slice(index * 3, index * 3 + 3)));
      expect(byValue.every((set) => set.size === 1)).toBe(true);
      const distinct = byValue.map((set) => [...set][0]!);
      expect(new Set(distinct).size).toBe(values.length);
      expect(distinct.map((token) => Number(/_(\d+)>$/.exec(token)?.[1])).sort((a, b) => a - b)).toEqual(
        values.map((_, index) => index + 1),
      );
      const reader = vaultOn();
      for (const [index, token] of distinct.entries())
        expect((await reader.reveal('conv_race', token))?.value).toBe(values[index]);
    });

    it('when a conversation holds the maximum number of values then a new value gets no token', async () => {
      const vault = vaultOn({ maxEntriesPerConversation: 2 });
      expect(await vault.tokenize('conv_full', 'PHONE_NUMBER', '07700 900001')).toBe('<PHONE_NUMBER_1>');
      expect(await vault.tokenize('conv_full', 'EMAIL_ADDRESS', 'a@example.com')).toBe('<EMAIL_ADDRESS_1>');
      expect(await vault.tokenize('conv_full', 'PHONE_NUMBER', '07700 900002')).toBeUndefined();
      expect(await vault.tokenize('conv_full', 'PHONE_NUMBER', '07700 900001')).toBe('<PHONE_NUMBER_1>');
    });

    it('when a conversation is past retention then the purge forgets it and keeps the recent one', async () => {
      clock = Date.parse('2027-01-01T09:00:00Z');
      const guard = createPrivacyGuard({ vault: vaultOn() });
      const old = (await guard.redactMessage('conv_old', 'card 4111 1111 1111 1111')).redactedText;
      clock += 20 * DAY;
      const recent = (await guard.redactMessage('conv_recent', 'email jane@example.com')).redactedText;
      clock += 11 * DAY;
      // Everything stored before 2027 (the other tests) is past retention too.
      const report = await purgeExpiredVault(guard, { retentionDays: 30, now: () => new Date(clock) });
      expect(report.forgotten).toBeGreaterThanOrEqual(1);
      expect(await guard.restoreForCustomer('conv_old', old, ['CREDIT_CARD'])).toBe(old);
      expect(await guard.restoreForCustomer('conv_recent', recent, ['EMAIL_ADDRESS'])).toBe(
        'email jane@example.com',
      );
      expect(await store.vault.idleBefore(clock, clock)).toEqual(['conv_recent']);
      await guard.forgetConversation('conv_recent');
      expect(await store.vault.idleBefore(clock + DAY, clock)).toEqual([]);
      // A forgotten conversation starts again from number 1.
      expect(await vaultOn().tokenize('conv_old', 'CREDIT_CARD', '5555 5555 5555 4444')).toBe(
        '<CREDIT_CARD_1>',
      );
    });
  });
}
