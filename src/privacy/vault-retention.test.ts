import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPrivacyGuard } from './guard.js';
import { InMemoryKeyValueStore, KeyValueVaultStore } from './key-value-vault-store.js';
import { type ConversationVault, EncryptedConversationVault, InMemoryConversationVault } from './vault.js';
import { purgeExpiredVault, schedulePurge } from './vault-retention.js';

const DAY = 24 * 60 * 60 * 1000;
const START = Date.parse('2026-11-01T09:00:00Z');

describe.each<[string, (now: () => number) => ConversationVault]>([
  ['InMemoryConversationVault', (now) => new InMemoryConversationVault({ now, ttlMs: 365 * DAY })],
  [
    'EncryptedConversationVault',
    (now) =>
      new EncryptedConversationVault({
        key: randomBytes(32),
        store: new KeyValueVaultStore(new InMemoryKeyValueStore()),
        now,
      }),
  ],
])('retention with %s', (_name, makeVault) => {
  it('when a conversation is past retention then the purge forgets it and keeps the recent one', async () => {
    let clock = START;
    const guard = createPrivacyGuard({ vault: makeVault(() => clock) });
    const old = (await guard.redactMessage('old', 'card 4111 1111 1111 1111')).redactedText;
    clock += 20 * DAY;
    const recent = (await guard.redactMessage('recent', 'email jane@example.com')).redactedText;
    clock += 11 * DAY;

    const report = await purgeExpiredVault(guard, { retentionDays: 30, now: () => new Date(clock) });

    expect(report.forgotten).toBe(1);
    expect(report.cutoff).toBe(new Date(clock - 30 * DAY).toISOString());
    expect(await guard.restoreForCustomer('old', old, ['CREDIT_CARD'])).toBe(old);
    expect(await guard.restoreForCustomer('recent', recent, ['EMAIL_ADDRESS'])).toBe(
      'email jane@example.com',
    );
  });

  it('when a conversation keeps using its values then retention runs from the last use', async () => {
    let clock = START;
    const guard = createPrivacyGuard({ vault: makeVault(() => clock) });
    await guard.redactMessage('busy', 'card 4111 1111 1111 1111');
    clock += 25 * DAY;
    await guard.redactMessage('busy', 'that card 4111-1111-1111-1111 again');
    clock += 25 * DAY;
    expect(
      (await purgeExpiredVault(guard, { retentionDays: 30, now: () => new Date(clock) })).forgotten,
    ).toBe(0);
    clock += 6 * DAY;
    expect(
      (await purgeExpiredVault(guard, { retentionDays: 30, now: () => new Date(clock) })).forgotten,
    ).toBe(1);
  });
});

describe('retention of entries stored before stamps existed', () => {
  it('when an entry has no stamp then the first purge stamps it and a later one forgets it', async () => {
    let clock = START;
    const table = new InMemoryKeyValueStore();
    const store = new KeyValueVaultStore(table);
    const key = randomBytes(32);
    const vault = new EncryptedConversationVault({ key, store, now: () => clock });
    await vault.tokenize('legacy', 'CREDIT_CARD', '4111 1111 1111 1111');
    table.delete('vault:legacy:touched');
    clock += 100 * DAY;
    const guard = createPrivacyGuard({ vault });
    expect(
      (await purgeExpiredVault(guard, { retentionDays: 30, now: () => new Date(clock) })).forgotten,
    ).toBe(0);
    clock += 31 * DAY;
    expect(
      (await purgeExpiredVault(guard, { retentionDays: 30, now: () => new Date(clock) })).forgotten,
    ).toBe(1);
    expect(table.dump()).toEqual([]);
  });
});

describe('schedulePurge', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('when the service runs then it purges at once and on every interval until stopped', async () => {
    vi.useFakeTimers();
    const purge = vi.fn();
    const stop = schedulePurge({ intervalMs: 60_000, purge, onError: () => {} });
    expect(purge).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(59_999);
    expect(purge).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(purge).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(120_000);
    expect(purge).toHaveBeenCalledTimes(4);
    stop();
    vi.advanceTimersByTime(600_000);
    expect(purge).toHaveBeenCalledTimes(4);
  });

  it('when a purge throws then the error is reported and the schedule goes on', async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    let calls = 0;
    const stop = schedulePurge({
      intervalMs: 1_000,
      purge: () => {
        calls++;
        if (calls === 1) throw new Error('database is locked');
      },
      onError: (error) => errors.push(error),
    });
    vi.advanceTimersByTime(1_000);
    expect(calls).toBe(2);
    expect(errors).toHaveLength(1);
    stop();
  });

  it('when the timer is created then it is unref’d so it never keeps the process alive', async () => {
    const unref = vi.fn();
    const cleared: unknown[] = [];
    const handle = { unref };
    const stop = schedulePurge({
      intervalMs: 1_000,
      purge: () => {},
      onError: () => {},
      timers: { setInterval: () => handle, clearInterval: (value) => cleared.push(value) },
    });
    expect(unref).toHaveBeenCalledTimes(1);
    stop();
    expect(cleared).toEqual([handle]);
  });
});
