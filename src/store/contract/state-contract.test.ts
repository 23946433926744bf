import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendsUnderTest } from '../../testing/store-backends.js';
import type { PendingAction } from '../pending-action-store.js';
import type { StateBackend } from '../ports.js';

const bucket = { capacity: 3, refillPerMillisecond: 1 / 1000 };

function pendingAction(id: string, conversationId: string, createdAt: string): PendingAction {
  return {
    id,
    customerId: 'c_1',
    conversationId,
    tool: 'freeze_card',
    arguments: { cardId: 'card_1' },
    argumentsHash: 'hash',
    summary: 'freeze your card',
    createdAt,
    expiresAt: new Date(Date.parse(createdAt) + 5 * 60_000).toISOString(),
  };
}

for (const backend of await backendsUnderTest()) {
  const title = `${backend.name} audit, actions, limits, leases${backend.skipReason ? ` (skipped: ${backend.skipReason})` : ''}`;
  describe.skipIf(backend.skipReason)(title, () => {
    let store: StateBackend;
    beforeAll(async () => {
      store = await backend.open();
    });
    afterAll(async () => store?.close());

    it('when events are audited then they are listed newest first, filtered, and the chain verifies', async () => {
      await store.audit.record({
        actor: 'c_1',
        action: 'turn.completed',
        subject: 'conv_a',
        requestId: 'req_1',
      });
      await store.audit.record({
        actor: 's_1',
        action: 'handoff.claimed',
        subject: 'hnd_1',
        details: { why: 'x' },
      });
      await store.audit.record({ actor: 'c_1', action: 'turn.refused', subject: 'conv_a' });
      const forConversation = await store.audit.list({ subject: 'conv_a' });
      expect(forConversation.map((record) => record.action)).toEqual(['turn.refused', 'turn.completed']);
      expect(forConversation[1]?.requestId).toBe('req_1');
      const turns = await store.audit.list({ actionPrefix: 'turn.' });
      expect(turns.every((record) => record.action.startsWith('turn.'))).toBe(true);
      expect((await store.audit.list({ subject: 'hnd_1' }))[0]?.details).toEqual({ why: 'x' });
      expect(await store.audit.verifyChain()).toBeUndefined();
    });

    it('when many appenders write at once then the chain has every record and no fork', async () => {
      const before = (await store.audit.list({ limit: 10_000 })).length;
      await Promise.all(
        Array.from({ length: 40 }, (_, index) =>
          store.audit.record({ actor: 'c_race', action: 'race.append', details: { index } }),
        ),
      );
      expect(await store.audit.list({ limit: 10_000 })).toHaveLength(before + 40);
      expect(await store.audit.verifyChain()).toBeUndefined();
    });

    it('when an action is saved then it replaces the conversation’s previous one and can be taken once', async () => {
      await store.pendingActions.save(pendingAction('cnf_1', 'conv_p', '2026-03-02T09:00:00.000Z'));
      await store.pendingActions.save(pendingAction('cnf_2', 'conv_p', '2026-03-02T09:01:00.000Z'));
      expect(await store.pendingActions.get('cnf_1')).toBeUndefined();
      expect((await store.pendingActions.latestFor('conv_p'))?.id).toBe('cnf_2');
      expect((await store.pendingActions.get('cnf_2'))?.arguments).toEqual({ cardId: 'card_1' });
      await store.pendingActions.delete('cnf_2');
      expect(await store.pendingActions.latestFor('conv_p')).toBeUndefined();
    });

    it('when long-expired actions exist then a later save sweeps them', async () => {
      await store.pendingActions.save(pendingAction('cnf_old', 'conv_old', '2026-03-01T09:00:00.000Z'));
      await store.pendingActions.save(pendingAction('cnf_new', 'conv_new', '2026-03-02T09:00:00.000Z'));
      expect(await store.pendingActions.get('cnf_old')).toBeUndefined();
    });

    it('when a subject spends its burst then it is refused until the bucket refills', async () => {
      const limits = store.rateLimits('contract');
      const at = 1_000_000;
      const decisions = [];
      for (let index = 0; index < 4; index += 1) decisions.push(await limits.take('c_spender', bucket, at));
      expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, false]);
      expect((await limits.take('c_spender', bucket, at + 1000)).allowed).toBe(true);
      // Another scope keeps its own budget.
      expect((await store.rateLimits('other').take('c_spender', bucket, at + 1000)).allowed).toBe(true);
    });

    it('when two limiters take from one bucket at once then the budget is never overspent', async () => {
      const [first, second] = [store.rateLimits('shared'), store.rateLimits('shared')];
      const decisions = await Promise.all(
        Array.from({ length: 10 }, (_, index) => (index % 2 ? first : second).take('c_racer', bucket, 5_000)),
      );
      expect(decisions.filter((decision) => decision.allowed)).toHaveLength(3);
    });

    it('when a lease is held then others are refused until it expires or is released', async () => {
      const now = Date.parse('2026-03-02T09:00:00Z');
      // The backend's clock steps from this instant, so a lease far in the future is live.
      expect(await store.leases.tryAcquire('conv_l', 'worker_a', now + 3_600_000)).toBe(true);
      expect(await store.leases.tryAcquire('conv_l', 'worker_b', now + 3_600_000)).toBe(false);
      expect(await store.leases.renew('conv_l', 'worker_a', now + 7_200_000)).toBe(true);
      expect(await store.leases.renew('conv_l', 'worker_b', now + 7_200_000)).toBe(false);
      await store.leases.release('conv_l', 'worker_b');
      expect(await store.leases.tryAcquire('conv_l', 'worker_b', now + 3_600_000)).toBe(false);
      await store.leases.release('conv_l', 'worker_a');
      expect(await store.leases.tryAcquire('conv_l', 'worker_b', now + 3_600_000)).toBe(true);
      // An expired lease is free for anyone.
      expect(await store.leases.tryAcquire('conv_e', 'worker_a', now - 1)).toBe(true);
      expect(await store.leases.tryAcquire('conv_e', 'worker_b', now + 3_600_000)).toBe(true);
      expect(await store.leases.renew('conv_e', 'worker_a', now + 3_600_000)).toBe(false);
    });

    it('when a generation is bumped then every reader sees the new value', async () => {
      expect(await store.generations.read('documents')).toBe(0);
      expect(await store.generations.bump('documents')).toBe(1);
      expect(await store.generations.bump('documents')).toBe(2);
      expect(await store.generations.read('documents')).toBe(2);
      expect(await store.generations.read('policies')).toBe(0);
    });
  });
}
