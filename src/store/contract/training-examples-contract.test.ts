import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendsUnderTest } from '../../testing/store-backends.js';
import type { StateBackend } from '../ports.js';
import { type NewTrainingExample, TrainingExampleReviewError } from '../training-examples.js';

function candidate(messageId: string, overrides: Partial<NewTrainingExample> = {}): NewTrainingExample {
  return {
    handoffId: 'hnd_1',
    conversationId: 'conv_1',
    messageId,
    text: `how do I change my address ${messageId}`,
    intent: 'knowledge.accounts',
    topic: null,
    shouldHaveHandled: true,
    proposedBy: 'agent_a',
    ...overrides,
  };
}

for (const backend of await backendsUnderTest()) {
  const title = `${backend.name} training examples${backend.skipReason ? ` (skipped: ${backend.skipReason})` : ''}`;
  describe.skipIf(backend.skipReason)(title, () => {
    let store: StateBackend;
    beforeAll(async () => {
      store = await backend.open();
    });
    afterAll(async () => store?.close());

    it('when candidates are proposed then they list as candidates, and a message is proposed once per handoff', async () => {
      const first = await store.trainingExamples.propose([candidate('msg_1'), candidate('msg_2')]);
      expect(first.map((example) => example.status)).toEqual(['candidate', 'candidate']);
      expect(first[0]).toMatchObject({
        intent: 'knowledge.accounts',
        shouldHaveHandled: true,
        reviewedBy: null,
      });
      const again = await store.trainingExamples.propose([candidate('msg_2'), candidate('msg_3')]);
      expect(again.map((example) => example.messageId)).toEqual(['msg_3']);
      const listed = await store.trainingExamples.list({ status: 'candidate' });
      expect(listed.map((example) => example.messageId)).toEqual(['msg_1', 'msg_2', 'msg_3']);
    });

    it('when a candidate is reviewed then a second review is a conflict and an unknown id is not found', async () => {
      const [example] = await store.trainingExamples.propose([candidate('msg_9', { handoffId: 'hnd_2' })]);
      const approved = await store.trainingExamples.review(example!.id, 'approved', 'officer_b');
      expect(approved).toMatchObject({ status: 'approved', reviewedBy: 'officer_b' });
      expect(approved.reviewedAt).not.toBeNull();
      await expect(store.trainingExamples.review(example!.id, 'rejected', 'officer_c')).rejects.toMatchObject(
        {
          code: 'conflict',
        },
      );
      await expect(
        store.trainingExamples.review('tex_missing', 'approved', 'officer_c'),
      ).rejects.toBeInstanceOf(TrainingExampleReviewError);
      expect((await store.trainingExamples.list({ status: 'approved' })).map((row) => row.id)).toEqual([
        example!.id,
      ]);
      expect(await store.trainingExamples.get(example!.id)).toEqual(approved);
    });

    it('when a resolve and its candidates share a transaction that fails then neither is stored', async () => {
      const conversation = await store.conversations.create('c_tx');
      const handoff = await store.handoffs.open({
        conversationId: conversation.id,
        customerId: 'c_tx',
        reason: 'low_confidence',
        priority: 'normal',
        explanation: 'unsure',
        summary: 'summary',
        intent: null,
        emotions: [],
      });
      await store.handoffs.claim(handoff.id, 'agent_a');
      const work = store.atomically(async () => {
        await store.handoffs.resolve(handoff.id, 'agent_a');
        await store.trainingExamples.propose([candidate('msg_tx', { handoffId: handoff.id })]);
        throw new Error('the request failed after both writes');
      });
      await expect(work).rejects.toThrow('the request failed after both writes');
      expect((await store.handoffs.get(handoff.id))?.status).toBe('claimed');
      const all = await store.trainingExamples.list();
      expect(all.filter((example) => example.handoffId === handoff.id)).toEqual([]);
    });
  });
}
