import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { InMemoryKeyValueStore, KeyValueVaultStore } from './key-value-vault-store.js';
import { type ConversationVault, EncryptedConversationVault, InMemoryConversationVault } from './vault.js';

const card = '4111 1111 1111 1111';

describe.each<[string, () => ConversationVault]>([
  ['InMemoryConversationVault', () => new InMemoryConversationVault()],
  [
    'EncryptedConversationVault',
    () =>
      new EncryptedConversationVault({
        key: randomBytes(32),
        store: new KeyValueVaultStore(new InMemoryKeyValueStore()),
      }),
  ],
])('%s', (_name, makeVault) => {
  it('when the same value is seen twice, even reformatted, then it keeps the same token', async () => {
    const vault = makeVault();
    const first = await vault.tokenize('c1', 'CREDIT_CARD', card);
    expect(first).toBe('<CREDIT_CARD_1>');
    expect(await vault.tokenize('c1', 'CREDIT_CARD', '4111-1111-1111-1111')).toBe(first);
    expect(await vault.tokenize('c1', 'CREDIT_CARD', '5555 5555 5555 4444')).toBe('<CREDIT_CARD_2>');
    expect(await vault.tokenize('c1', 'EMAIL_ADDRESS', 'Jane@Example.com')).toBe('<EMAIL_ADDRESS_1>');
    expect(await vault.lookup('c1', 'EMAIL_ADDRESS', 'jane@example.com')).toBe('<EMAIL_ADDRESS_1>');
  });

  it('when a token is revealed in another conversation then nothing comes back', async () => {
    const vault = makeVault();
    const token = (await vault.tokenize('c1', 'CREDIT_CARD', card))!;
    await vault.tokenize('c2', 'CREDIT_CARD', '5555 5555 5555 4444');
    expect(await vault.reveal('c1', token)).toEqual({ entity: 'CREDIT_CARD', value: card });
    expect(await vault.reveal('c2', token)).toEqual({ entity: 'CREDIT_CARD', value: '5555 5555 5555 4444' });
    expect(await vault.reveal('c3', token)).toBeUndefined();
    expect(await vault.lookup('c2', 'CREDIT_CARD', card)).toBeUndefined();
  });

  it('when a conversation is forgotten then its tokens no longer reveal anything', async () => {
    const vault = makeVault();
    const token = (await vault.tokenize('c1', 'US_SSN', '078-05-1123'))!;
    await vault.forget('c1');
    expect(await vault.reveal('c1', token)).toBeUndefined();
  });

  it('when the vault is serialised or inspected then no value appears', async () => {
    const vault = makeVault();
    await vault.tokenize('c1', 'CREDIT_CARD', card);
    await vault.tokenize('c1', 'PASSWORD', 'hunter2');
    for (const shown of [
      JSON.stringify(vault),
      inspect(vault, { depth: 10, showHidden: true }),
      String(vault),
      `${vault}`,
    ]) {
      expect(shown).not.toContain('4111');
      expect(shown).not.toContain('hunter2');
    }
  });
});

describe('InMemoryConversationVault bounds', () => {
  it('when a conversation is idle past the TTL then it is forgotten', async () => {
    let now = 0;
    const vault = new InMemoryConversationVault({ ttlMs: 1000, now: () => now });
    const token = (await vault.tokenize('c1', 'PIN', '4821'))!;
    now = 999;
    expect((await vault.reveal('c1', token))?.value).toBe('4821');
    now = 2500;
    expect(await vault.reveal('c1', token)).toBeUndefined();
  });

  it('when more conversations than allowed are open then the least recently used is evicted', async () => {
    const vault = new InMemoryConversationVault({ maxConversations: 2 });
    await vault.tokenize('a', 'PIN', '1111');
    await vault.tokenize('b', 'PIN', '2222');
    await vault.reveal('a', '<PIN_1>');
    await vault.tokenize('c', 'PIN', '3333');
    expect((await vault.reveal('a', '<PIN_1>'))?.value).toBe('1111');
    expect(await vault.reveal('b', '<PIN_1>')).toBeUndefined();
  });

  it('when the most recent conversation is used again, forgotten or expired then eviction order stays least recently used', async () => {
    let now = 0;
    const vault = new InMemoryConversationVault({ maxConversations: 2, ttlMs: 1000, now: () => now });
    await vault.tokenize('a', 'PIN', '1111');
    await vault.tokenize('b', 'PIN', '2222');
    await vault.tokenize('b', 'PIN', '2223');
    await vault.forget('b');
    await vault.tokenize('b', 'PIN', '2222');
    await vault.tokenize('a', 'PIN', '1112');
    await vault.tokenize('c', 'PIN', '3333');
    expect(await vault.reveal('b', '<PIN_1>')).toBeUndefined();
    expect((await vault.reveal('a', '<PIN_2>'))?.value).toBe('1112');
    now = 5000;
    expect(await vault.reveal('a', '<PIN_1>')).toBeUndefined();
    expect(await vault.tokenize('a', 'PIN', '9999')).toBe('<PIN_1>');
    await vault.tokenize('d', 'PIN', '4444');
    expect((await vault.reveal('a', '<PIN_1>'))?.value).toBe('9999');
    expect(await vault.reveal('c', '<PIN_1>')).toBeUndefined();
  });

  it('when a conversation holds the maximum number of values then new values get no token', async () => {
    const vault = new InMemoryConversationVault({ maxEntriesPerConversation: 1 });
    expect(await vault.tokenize('a', 'PIN', '1111')).toBe('<PIN_1>');
    expect(await vault.tokenize('a', 'PIN', '2222')).toBeUndefined();
    expect(await vault.tokenize('a', 'PIN', '1111')).toBe('<PIN_1>');
  });
});

describe('EncryptedConversationVault', () => {
  it('when values are stored then the store holds neither values nor their digits', async () => {
    const table = new InMemoryKeyValueStore();
    const store = new KeyValueVaultStore(table);
    const vault = new EncryptedConversationVault({ key: randomBytes(32), store });
    await vault.tokenize('c1', 'CREDIT_CARD', card);
    await vault.tokenize('c1', 'EMAIL_ADDRESS', 'jane@example.com');
    const raw = table.dump().join('\n');
    expect(raw).not.toContain('4111');
    expect(raw).not.toContain('jane');
  });

  it('when a sealed value is moved to another token key then it does not decrypt', async () => {
    const table = new InMemoryKeyValueStore();
    const store = new KeyValueVaultStore(table);
    const vault = new EncryptedConversationVault({ key: randomBytes(32), store });
    await vault.tokenize('c1', 'CREDIT_CARD', card);
    await vault.tokenize('c2', 'CREDIT_CARD', '5555 5555 5555 4444');
    const sealed = table.get('vault:c1:token:<CREDIT_CARD_1>')!;
    table.set('vault:c2:token:<CREDIT_CARD_1>', sealed);
    expect(await vault.reveal('c2', '<CREDIT_CARD_1>')).toBeUndefined();
  });

  it('when another key reads the store then nothing decrypts', async () => {
    const table = new InMemoryKeyValueStore();
    const store = new KeyValueVaultStore(table);
    await new EncryptedConversationVault({ key: randomBytes(32), store }).tokenize('c1', 'PIN', '4821');
    const intruder = new EncryptedConversationVault({ key: randomBytes(32), store });
    expect(await intruder.reveal('c1', '<PIN_1>')).toBeUndefined();
  });

  it('when the key is not 32 bytes then construction fails with a fix-it message', async () => {
    expect(
      () =>
        new EncryptedConversationVault({
          key: 'c2hvcnQ=',
          store: new KeyValueVaultStore(new InMemoryKeyValueStore()),
        }),
    ).toThrow(/32-byte key/);
  });
});
