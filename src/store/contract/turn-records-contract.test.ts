import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendsUnderTest } from '../../testing/store-backends.js';
import type { StateBackend } from '../ports.js';
import type { NewTurnRecord } from '../turn-records.js';

function turn(id: string, createdAt: string, overrides: Partial<NewTurnRecord> = {}): NewTurnRecord {
  return {
    id,
    conversationId: 'conv_1',
    customerId: 'c_1',
    createdAt,
    outcome: 'answer',
    kind: 'answered',
    intent: 'knowledge.fees',
    topic: 'fees',
    handoffReason: null,
    handoffPriority: null,
    rules: [],
    citations: ['fees-international-payments@3.0'],
    question: 'what is the fee for <IBAN_CODE_1>?',
    routerVersion: 'v1',
    ...overrides,
  };
}

for (const backend of await backendsUnderTest()) {
  const title = `${backend.name} turn records${backend.skipReason ? ` (skipped: ${backend.skipReason})` : ''}`;
  describe.skipIf(backend.skipReason)(title, () => {
    let store: StateBackend;
    beforeAll(async () => {
      store = await backend.open();
      await store.turnRecords.record(turn('msg_1', '2026-03-01T10:00:00.000Z'));
      await store.turnRecords.record(
        turn('msg_2', '2026-03-02T10:00:00.000Z', {
          outcome: 'refusal',
          kind: 'refused',
          rules: ['injection:override_instructions'],
          citations: [],
        }),
      );
      await store.turnRecords.record(
        turn('msg_3', '2026-03-03T10:00:00.000Z', {
          customerId: 'c_2',
          conversationId: 'conv_2',
          outcome: 'handoff',
          kind: 'handoff',
          handoffReason: 'low_confidence',
          handoffPriority: 'normal',
          intent: null,
          topic: null,
          routerVersion: null,
        }),
      );
      await store.turnRecords.record(turn('msg_4', '2026-03-04T10:00:00.000Z', { kind: 'declined' }));
    });
    afterAll(async () => store?.close());

    it('when a turn is recorded then it reads back field for field, unrated', async () => {
      expect(await store.turnRecords.get('msg_2')).toEqual({
        ...turn('msg_2', '2026-03-02T10:00:00.000Z', {
          outcome: 'refusal',
          kind: 'refused',
          rules: ['injection:override_instructions'],
          citations: [],
        }),
        rating: null,
        ratingReason: null,
        ratedAt: null,
      });
      expect((await store.turnRecords.get('msg_3'))?.handoffReason).toBe('low_confidence');
      expect(await store.turnRecords.get('msg_missing')).toBeUndefined();
    });

    it('when records are listed then they come in time order, windowed, by kind and a page at a time', async () => {
      const all = await store.turnRecords.list();
      expect(all.records.map((record) => record.id)).toEqual(['msg_1', 'msg_2', 'msg_3', 'msg_4']);
      expect(all.nextCursor).toBeNull();
      const window = await store.turnRecords.list({
        since: '2026-03-02T00:00:00.000Z',
        until: '2026-03-04T00:00:00.000Z',
      });
      expect(window.records.map((record) => record.id)).toEqual(['msg_2', 'msg_3']);
      const gaps = await store.turnRecords.list({ kinds: ['declined', 'handoff'] });
      expect(gaps.records.map((record) => record.id)).toEqual(['msg_3', 'msg_4']);
      const first = await store.turnRecords.list({ limit: 3 });
      expect(first.records.map((record) => record.id)).toEqual(['msg_1', 'msg_2', 'msg_3']);
      expect(first.nextCursor).not.toBeNull();
      const second = await store.turnRecords.list({ limit: 3, cursor: first.nextCursor! });
      expect(second.records.map((record) => record.id)).toEqual(['msg_4']);
      expect(second.nextCursor).toBeNull();
    });

    it('when the owner rates a turn then the rating is stored, and rating again replaces it', async () => {
      const rated = await store.turnRecords.rate('msg_1', 'c_1', 'not_helpful', 'not_accurate');
      expect(rated).toMatchObject({ id: 'msg_1', rating: 'not_helpful', ratingReason: 'not_accurate' });
      expect(rated?.ratedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      const again = await store.turnRecords.rate('msg_1', 'c_1', 'helpful', null);
      expect(again).toMatchObject({ rating: 'helpful', ratingReason: null });
      expect((await store.turnRecords.get('msg_1'))?.rating).toBe('helpful');
    });

    it('when someone else rates a turn, or a missing one, then nothing changes', async () => {
      expect(await store.turnRecords.rate('msg_3', 'c_1', 'not_helpful', null)).toBeUndefined();
      expect(await store.turnRecords.rate('msg_missing', 'c_1', 'helpful', null)).toBeUndefined();
      expect((await store.turnRecords.get('msg_3'))?.rating).toBeNull();
    });

    it('when records are purged before a cutoff then only older ones go', async () => {
      expect(await store.turnRecords.purgeBefore(new Date('2026-03-02T00:00:00.000Z'))).toBe(1);
      expect(await store.turnRecords.get('msg_1')).toBeUndefined();
      expect(await store.turnRecords.get('msg_2')).toBeDefined();
    });

    it('when a turn is recorded inside a failed transaction then it is not stored', async () => {
      await expect(
        store.atomically(async () => {
          await store.turnRecords.record(turn('msg_rolled_back', '2026-03-05T10:00:00.000Z'));
          throw new Error('later write failed');
        }),
      ).rejects.toThrow('later write failed');
      expect(await store.turnRecords.get('msg_rolled_back')).toBeUndefined();
    });
  });
}
