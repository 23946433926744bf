import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  type ConversationVault,
  EncryptedConversationVault,
  InMemoryConversationVault,
  InMemoryKeyValueStore,
} from './vault.js';

const card = '4111 1111 1111 1111';

describe.each<[string, () => ConversationVault]>([
  ['InMemoryConversationVault', () => new InMemoryConversationVault()],
  [
    'EncryptedConversationVault',
    () => new EncryptedConversationVault({ key: randomBytes(32), store: new InMemoryKeyValueStore() }),
  ],
])('%s', (_name, makeVault) => {
  it('when the same value is seen twice, even reformatted, then it keeps the same token', () => {
    const vault = makeVault();
    const first = vault.tokenize('c1', 'CREDIT_CARD', card);
    expect(first).toBe('<CREDIT_CARD_1>');
    expect(vault.tokenize('c1', 'CREDIT_CARD', '4111-1111-1111-1111')).toBe(first);
    expect(vault.tokenize('c1', 'CREDIT_CARD', '5555 5555 5555 4444')).toBe('<CREDIT_CARD_2>');
    expect(vault.tokenize('c1', 'EMAIL_ADDRESS', 'Jane@Example.com')).toBe('<EMAIL_ADDRESS_1>');
    expect(vault.lookup('c1', 'EMAIL_ADDRESS', 'jane@example.com')).toBe('<EMAIL_ADDRESS_1>');
  });

  it('when a token is revealed in another conversation then nothing comes back', () => {
    const vault = makeVault();
    const token = vault.tokenize('c1', 'CREDIT_CARD', card)!;
    vault.tokenize('c2', 'CREDIT_CARD', '5555 5555 5555 4444');
    expect(vault.reveal('c1', token)).toEqual({ entity: 'CREDIT_CARD', value: card });
    expect(vault.reveal('c2', token)).toEqual({ entity: 'CREDIT_CARD', value: '5555 5555 5555 4444' });
    expect(vault.reveal('c3', token)).toBeUndefined();
    expect(vault.lookup('c2', 'CREDIT_CARD', card)).toBeUndefined();
  });

  it('when a conversation is forgotten then its tokens no longer reveal anything', () => {
    const vault = makeVault();
    const token = vault.tokenize('c1', 'US_SSN', '078-05-1123')!;
    vault.forget('c1');
    expect(vault.reveal('c1', token)).toBeUndefined();
  });

  it('when the vault is serialised or inspected then no value appears', () => {
    const vault = makeVault();
    vault.tokenize('c1', 'CREDIT_CARD', card);
    vault.tokenize('c1', 'PASSWORD', 'hunter2');
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
  it('when a conversation is idle past the TTL then it is forgotten', () => {
    let now = 0;
    const vault = new InMemoryConversationVault({ ttlMs: 1000, now: () => now });
    const token = vault.tokenize('c1', 'PIN', '4821')!;
    now = 999;
    expect(vault.reveal('c1', token)?.value).toBe('4821');
    now = 2500;
    expect(vault.reveal('c1', token)).toBeUndefined();
  });

  it('when more conversations than allowed are open then the least recently used is evicted', () => {
    const vault = new InMemoryConversationVault({ maxConversations: 2 });
    vault.tokenize('a', 'PIN', '1111');
    vault.tokenize('b', 'PIN', '2222');
    vault.reveal('a', '<PIN_1>');
    vault.tokenize('c', 'PIN', '3333');
    expect(vault.reveal('a', '<PIN_1>')?.value).toBe('1111');
    expect(vault.reveal('b', '<PIN_1>')).toBeUndefined();
  });

  it('when the most recent conversation is used again, forgotten or expired then eviction order stays least recently used', () => {
    let now = 0;
    const vault = new InMemoryConversationVault({ maxConversations: 2, ttlMs: 1000, now: () => now });
    vault.tokenize('a', 'PIN', '1111');
    vault.tokenize('b', 'PIN', '2222');
    vault.tokenize('b', 'PIN', '2223');
    vault.forget('b');
    vault.tokenize('b', 'PIN', '2222');
    vault.tokenize('a', 'PIN', '1112');
    vault.tokenize('c', 'PIN', '3333');
    expect(vault.reveal('b', '<PIN_1>')).toBeUndefined();
    expect(vault.reveal('a', '<PIN_2>')?.value).toBe('1112');
    now = 5000;
    expect(vault.reveal('a', '<PIN_1>')).toBeUndefined();
    expect(vault.tokenize('a', 'PIN', '9999')).toBe('<PIN_1>');
    vault.tokenize('d', 'PIN', '4444');
    expect(vault.reveal('a', '<PIN_1>')?.value).toBe('9999');
    expect(vault.reveal('c', '<PIN_1>')).toBeUndefined();
  });

  it('when a conversation holds the maximum number of values then new values get no token', () => {
    const vault = new InMemoryConversationVault({ maxEntriesPerConversation: 1 });
    expect(vault.tokenize('a', 'PIN', '1111')).toBe('<PIN_1>');
    expect(vault.tokenize('a', 'PIN', '2222')).toBeUndefined();
    expect(vault.tokenize('a', 'PIN', '1111')).toBe('<PIN_1>');
  });
});

describe('EncryptedConversationVault', () => {
  it('when values are stored then the store holds neither values nor their digits', () => {
    const store = new InMemoryKeyValueStore();
    const vault = new EncryptedConversationVault({ key: randomBytes(32), store });
    vault.tokenize('c1', 'CREDIT_CARD', card);
    vault.tokenize('c1', 'EMAIL_ADDRESS', 'jane@example.com');
    const raw = store.dump().join('\n');
    expect(raw).not.toContain('4111');
    expect(raw).not.toContain('jane');
  });

  it('when a sealed value is moved to another token key then it does not decrypt', () => {
    const store = new InMemoryKeyValueStore();
    const vault = new EncryptedConversationVault({ key: randomBytes(32), store });
    vault.tokenize('c1', 'CREDIT_CARD', card);
    vault.tokenize('c2', 'CREDIT_CARD', '5555 5555 5555 4444');
    const sealed = store.get('vault:c1:token:<CREDIT_CARD_1>')!;
    store.set('vault:c2:token:<CREDIT_CARD_1>', sealed);
    expect(vault.reveal('c2', '<CREDIT_CARD_1>')).toBeUndefined();
  });

  it('when another key reads the store then nothing decrypts', () => {
    const store = new InMemoryKeyValueStore();
    new EncryptedConversationVault({ key: randomBytes(32), store }).tokenize('c1', 'PIN', '4821');
    const intruder = new EncryptedConversationVault({ key: randomBytes(32), store });
    expect(intruder.reveal('c1', '<PIN_1>')).toBeUndefined();
  });

  it('when the key is not 32 bytes then construction fails with a fix-it message', () => {
    expect(
      () => new EncryptedConversationVault({ key: 'c2hvcnQ=', store: new InMemoryKeyValueStore() }),
    ).toThrow(/32-byte key/);
  });
});
