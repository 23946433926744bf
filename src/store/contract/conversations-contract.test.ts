import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendsUnderTest } from '../../testing/store-backends.js';
import { HandoffTransitionError } from '../handoff-queue.js';
import type { StateBackend } from '../ports.js';

for (const backend of await backendsUnderTest()) {
  const title = `${backend.name} conversations and handoffs${backend.skipReason ? ` (skipped: ${backend.skipReason})` : ''}`;
  describe.skipIf(backend.skipReason)(title, () => {
    let store: StateBackend;
    beforeAll(async () => {
      store = await backend.open();
    });
    afterAll(async () => store?.close());

    it('when a conversation is created then only its customer finds it', async () => {
      const conversation = await store.conversations.create('c_owner');
      expect(await store.conversations.find(conversation.id)).toEqual(conversation);
      expect(await store.conversations.findForCustomer(conversation.id, 'c_owner')).toEqual(conversation);
      expect(await store.conversations.findForCustomer(conversation.id, 'c_other')).toBeUndefined();
      expect(await store.conversations.find('conv_missing')).toBeUndefined();
    });

    it('when a customer has several conversations then the newest is listed first', async () => {
      const first = await store.conversations.create('c_lister');
      const second = await store.conversations.create('c_lister');
      const listed = await store.conversations.listForCustomer('c_lister');
      expect(listed.map((conversation) => conversation.id)).toEqual([second.id, first.id]);
      expect(await store.conversations.listForCustomer('c_lister', 1)).toHaveLength(1);
    });

    it('when messages are appended then they come back in order with metadata, the limit keeping the latest', async () => {
      const conversation = await store.conversations.create('c_writer');
      await store.conversations.appendMessage(conversation.id, 'customer', 'first');
      await store.conversations.appendMessage(conversation.id, 'assistant', 'second', {
        outcome: 'answered',
      });
      await store.conversations.appendMessage(conversation.id, 'customer', 'third');
      const all = await store.conversations.messages(conversation.id);
      expect(all.map((message) => message.text)).toEqual(['first', 'second', 'third']);
      expect(all[1]?.metadata).toEqual({ outcome: 'answered' });
      expect(all[0]?.metadata).toBeUndefined();
      const latest = await store.conversations.messages(conversation.id, 2);
      expect(latest.map((message) => message.text)).toEqual(['second', 'third']);
      const updated = await store.conversations.find(conversation.id);
      expect(updated?.updatedAt).toBe(all[2]?.createdAt);
    });

    it('when many messages are appended at once then none is lost and each has its own place', async () => {
      const conversation = await store.conversations.create('c_busy');
      await Promise.all(
        Array.from({ length: 25 }, (_, index) =>
          store.conversations.appendMessage(conversation.id, 'customer', `message ${index}`),
        ),
      );
      const messages = await store.conversations.messages(conversation.id);
      expect(new Set(messages.map((message) => message.text)).size).toBe(25);
    });

    it('when the status changes then it is stored', async () => {
      const conversation = await store.conversations.create('c_status');
      await store.conversations.setStatus(conversation.id, 'handed_off');
      expect((await store.conversations.find(conversation.id))?.status).toBe('handed_off');
    });

    it('when handoffs wait then the most urgent comes first, then the oldest', async () => {
      const conversation = await store.conversations.create('c_queue');
      const open = (priority: 'low' | 'normal' | 'high' | 'urgent') =>
        store.handoffs.open({
          conversationId: conversation.id,
          customerId: 'c_queue',
          reason: 'explicit_request',
          priority,
          explanation: 'asked for a person',
          summary: 'wants a person',
          intent: null,
          emotions: ['frustrated'],
        });
      const low = await open('low');
      const urgent = await open('urgent');
      const normalOld = await open('normal');
      const normalNew = await open('normal');
      const mine = (await store.handoffs.list('open')).filter(
        (record) => record.conversationId === conversation.id,
      );
      expect(mine.map((record) => record.id)).toEqual([urgent.id, normalOld.id, normalNew.id, low.id]);
      expect(urgent.emotions).toEqual(['frustrated']);
      expect((await store.handoffs.activeForConversation(conversation.id))?.id).toBe(normalNew.id);
    });

    it('when a customer opens handoffs then only theirs since the given time are counted, resolved ones too', async () => {
      const customer = `c_counted_${Date.now()}`;
      const opened = [];
      for (let index = 0; index < 3; index += 1) {
        const conversation = await store.conversations.create(customer);
        opened.push(
          await store.handoffs.open({
            conversationId: conversation.id,
            customerId: customer,
            reason: 'explicit_request',
            priority: 'normal',
            explanation: 'asked for a person',
            summary: 'summary',
            intent: null,
            emotions: [],
          }),
        );
      }
      await store.handoffs.claim(opened[0]!.id, 'agent_counter');
      await store.handoffs.resolve(opened[0]!.id, 'agent_counter');
      const other = await store.conversations.create('c_someone_else');
      await store.handoffs.open({
        conversationId: other.id,
        customerId: 'c_someone_else',
        reason: 'explicit_request',
        priority: 'normal',
        explanation: 'asked for a person',
        summary: 'summary',
        intent: null,
        emotions: [],
      });
      // The backends' clock steps one second per read, so each record has its own time.
      const openedAt = opened.map((record) => new Date(record.createdAt));
      expect(await store.handoffs.countOpenedSince(customer, openedAt[0]!)).toBe(3);
      expect(await store.handoffs.countOpenedSince(customer, openedAt[1]!)).toBe(2);
      const afterLast = new Date(openedAt[2]!.getTime() + 1);
      expect(await store.handoffs.countOpenedSince(customer, afterLast)).toBe(0);
      expect(await store.handoffs.countOpenedSince('c_nobody', openedAt[0]!)).toBe(0);
    });

    it('when two agents claim one handoff then the second is refused, and only the claimer resolves it', async () => {
      const conversation = await store.conversations.create('c_claim');
      const record = await store.handoffs.open({
        conversationId: conversation.id,
        customerId: 'c_claim',
        reason: 'explicit_request',
        priority: 'normal',
        explanation: 'asked for a person',
        summary: 'wants a person',
        intent: 'card_lost',
        emotions: [],
      });
      const results = await Promise.allSettled([
        store.handoffs.claim(record.id, 'agent_a'),
        store.handoffs.claim(record.id, 'agent_b'),
      ]);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason).toBeInstanceOf(HandoffTransitionError);
      expect((refused.reason as HandoffTransitionError).code).toBe('conflict');
      const claimer = (await store.handoffs.get(record.id))!.agentId!;
      const other = claimer === 'agent_a' ? 'agent_b' : 'agent_a';
      await expect(store.handoffs.resolve(record.id, other)).rejects.toMatchObject({ code: 'conflict' });
      expect((await store.handoffs.resolve(record.id, claimer)).status).toBe('resolved');
      expect(await store.handoffs.activeForConversation(conversation.id)).toBeUndefined();
      await expect(store.handoffs.claim('hnd_missing', 'agent_a')).rejects.toMatchObject({
        code: 'not_found',
      });
    });

    it('when a transaction fails half-way then none of its writes remain', async () => {
      const conversation = await store.conversations.create('c_atomic');
      await expect(
        store.atomically(async () => {
          await store.conversations.appendMessage(conversation.id, 'assistant', 'never stored');
          await store.handoffs.open({
            conversationId: conversation.id,
            customerId: 'c_atomic',
            reason: 'explicit_request',
            priority: 'high',
            explanation: 'x',
            summary: 'x',
            intent: null,
            emotions: [],
          });
          await store.audit.record({ actor: 'c_atomic', action: 'turn.completed', subject: conversation.id });
          throw new Error('the process died here');
        }),
      ).rejects.toThrow('the process died here');
      expect(await store.conversations.messages(conversation.id)).toEqual([]);
      expect(await store.handoffs.activeForConversation(conversation.id)).toBeUndefined();
      expect(await store.audit.list({ subject: conversation.id })).toEqual([]);

      await store.atomically(async () => {
        await store.conversations.appendMessage(conversation.id, 'assistant', 'stored');
        await store.audit.record({ actor: 'c_atomic', action: 'turn.completed', subject: conversation.id });
      });
      expect(await store.conversations.messages(conversation.id)).toHaveLength(1);
      expect(await store.audit.list({ subject: conversation.id })).toHaveLength(1);
      expect(await store.audit.verifyChain()).toBeUndefined();
    });
  });
}
