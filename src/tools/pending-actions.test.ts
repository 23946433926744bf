import { describe, expect, it } from 'vitest';
import { InMemoryPendingActionStore } from '../store/pending-action-store.js';
import { classifyConfirmationReply, createPendingAction, hashToolArguments } from './pending-actions.js';

describe('classifyConfirmationReply', () => {
  it.each(['yes', 'Yes.', 'yes freeze it', 'YES PLEASE', 'confirm', 'go ahead', 'ok', 'sure, do it', 'yep'])(
    'when "%s" then it confirms',
    (text) => expect(classifyConfirmationReply(text)).toBe('confirm'),
  );
  it.each(['no', 'No thanks', 'cancel', "don't", 'stop', 'wait', 'never mind'])(
    'when "%s" then it declines',
    (text) => expect(classifyConfirmationReply(text)).toBe('decline'),
  );
  it.each([
    'yes, no wait',
    'yes but do not freeze it',
    'what is my balance',
    '',
    'I said yes earlier',
    `yes ${'a'.repeat(100)}`,
  ])('when "%s" then it is unclear and nothing runs', (text) =>
    expect(classifyConfirmationReply(text)).toBe('unclear'),
  );
});

describe('pending actions', () => {
  const base = {
    customerId: 'c_123',
    conversationId: 'conv_1',
    tool: 'freeze_card',
    arguments: { card: 'debit' },
    summary: 'freeze your card',
    ttlMs: 300_000,
  };

  it('when arguments differ only in key order then the hash is the same; when values differ it changes', () => {
    expect(hashToolArguments('t', { a: 1, b: 2 })).toBe(hashToolArguments('t', { b: 2, a: 1 }));
    expect(hashToolArguments('t', { a: 1 })).not.toBe(hashToolArguments('t', { a: 2 }));
    expect(hashToolArguments('t', { a: 1 })).not.toBe(hashToolArguments('u', { a: 1 }));
  });

  it('when created then the id is random and the expiry is five minutes later', () => {
    const now = new Date('2026-05-20T12:00:00Z');
    const first = createPendingAction({ ...base, now });
    const second = createPendingAction({ ...base, now });
    expect(first.id).not.toBe(second.id);
    expect(first.id).toMatch(/^pa_[0-9a-f-]{36}$/);
    expect(first.expiresAt).toBe('2026-05-20T12:05:00.000Z');
  });

  it('when a conversation asks again then the older question is replaced, and long-expired actions are dropped', async () => {
    const store = new InMemoryPendingActionStore();
    const old = createPendingAction({
      ...base,
      conversationId: 'conv_old',
      now: new Date('2026-05-20T09:00:00Z'),
    });
    const first = createPendingAction({ ...base, now: new Date('2026-05-20T12:00:00Z') });
    const second = createPendingAction({ ...base, now: new Date('2026-05-20T12:01:00Z') });
    await store.save(old);
    await store.save(first);
    await store.save(second);
    expect(await store.get(first.id)).toBeUndefined();
    expect(await store.get(old.id)).toBeUndefined();
    expect(await store.latestFor('conv_1')).toEqual(second);
  });
});
