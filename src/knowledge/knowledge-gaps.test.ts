import { describe, expect, it } from 'vitest';
import type { TurnRecord } from '../store/turn-records.js';
import { contentWordVectors, findKnowledgeGaps, gapDraftMarkdown, isGapSignal } from './knowledge-gaps.js';

const NOW = new Date('2026-11-25T12:00:00Z');
let sequence = 0;

function record(
  question: string,
  customerId: string,
  daysAgo: number,
  overrides: Partial<TurnRecord> = {},
): TurnRecord {
  sequence += 1;
  return {
    id: `msg_${String(sequence).padStart(4, '0')}`,
    conversationId: `conv_${sequence}`,
    customerId,
    createdAt: new Date(NOW.getTime() - daysAgo * 86_400_000).toISOString(),
    outcome: 'answer',
    kind: 'declined',
    intent: null,
    topic: null,
    handoffReason: null,
    handoffPriority: null,
    rules: [],
    citations: [],
    question,
    routerVersion: 'v1',
    rating: null,
    ratingReason: null,
    ratedAt: null,
    ...overrides,
  };
}

describe('knowledge gaps', () => {
  it('when a turn declined, asked to clarify or handed off for low confidence then it is a gap signal, otherwise not', () => {
    expect(isGapSignal({ kind: 'declined', handoffReason: null })).toBe(true);
    expect(isGapSignal({ kind: 'clarify', handoffReason: null })).toBe(true);
    expect(isGapSignal({ kind: 'handoff', handoffReason: 'low_confidence' })).toBe(true);
    expect(isGapSignal({ kind: 'handoff', handoffReason: 'explicit_request' })).toBe(false);
    expect(isGapSignal({ kind: 'answered', handoffReason: null })).toBe(false);
  });

  it('when questions share a meaning then they form one gap with its count, customers and weekly trend', async () => {
    const records = [
      record('do you rent safe deposit boxes', 'c_1', 9),
      record('safe deposit box rental price', 'c_2', 2),
      record('can I rent a safe deposit box in branch', 'c_3', 1),
      record('rent a safe deposit box', 'c_3', 1, { kind: 'handoff', handoffReason: 'low_confidence' }),
      record('how do I claim compensation for a delayed flight', 'c_4', 1),
      record('what is my balance', 'c_5', 1, { kind: 'answered' }),
    ];
    const gaps = await findKnowledgeGaps(records, { embed: contentWordVectors, now: NOW, threshold: 0.4 });
    expect(gaps).toHaveLength(2);
    const [deposit, flight] = gaps;
    expect(deposit).toMatchObject({ count: 4, customers: 3, thisWeek: 3, lastWeek: 1, trend: 'rising' });
    expect(deposit!.kinds).toEqual({ declined: 3, handoff: 1 });
    expect(deposit!.label).toContain('deposit');
    expect(deposit!.examples).toHaveLength(3);
    // One customer behind the other gap: none of its words are shown.
    expect(flight).toMatchObject({ count: 1, customers: 1, examples: [], trend: 'new' });
    expect(gapDraftMarkdown(flight!, { today: '2026-11-25' })).not.toContain('flight');
    expect(gapDraftMarkdown(deposit!, { today: '2026-11-25' })).toContain('- safe deposit box rental price');
  });

  it('when the same records are grouped again with a newer question then the gap keeps its id', async () => {
    const first = [
      record('do you rent safe deposit boxes', 'c_1', 3),
      record('safe deposit box rental', 'c_2', 2),
    ];
    const [before] = await findKnowledgeGaps(first, { embed: contentWordVectors, now: NOW, threshold: 0.4 });
    const [after] = await findKnowledgeGaps([...first, record('safe deposit box sizes', 'c_3', 1)], {
      embed: contentWordVectors,
      now: NOW,
      threshold: 0.4,
    });
    expect(after!.id).toBe(before!.id);
    expect(after!.count).toBe(3);
  });
});
