import { describe, expect, it } from 'vitest';
import { KeywordHandoffFake } from '../testing/fake-stages.js';
import { createTestApp, jsonRequest } from '../testing/test-app.js';

const LIMIT = { count: 3, windowSeconds: 600 };

/** One customer's app session: every `say` opens a new conversation unless one is given. */
async function customerSession() {
  const harness = createTestApp({ handoff: new KeywordHandoffFake(), handoffLimit: LIMIT });
  const token = await harness.tokenFor('c_flooder');
  const open = async () => {
    const created = await harness.app.request('/v1/conversations', jsonRequest('POST', token));
    return ((await created.json()) as { id: string }).id;
  };
  const say = async (text: string, conversationId?: string) => {
    const id = conversationId ?? (await open());
    const response = await harness.app.request(
      `/v1/conversations/${id}/messages`,
      jsonRequest('POST', token, { text }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { outcome: string; text: string; handoff?: { priority: string } };
    return { id, ...body };
  };
  const records = () => harness.handoffQueue.list(undefined, 1000);
  const audited = (action: string) =>
    harness.database.prepare('SELECT details FROM audit_log WHERE action = ?').all(action) as Array<{
      details: string;
    }>;
  return { harness, say, records, audited };
}

describe('per-customer handoff limit', () => {
  it('when one customer asks for a person in conversation after conversation then at most the limit are queued', async () => {
    const { say, records, audited } = await customerSession();

    const replies = [];
    for (let attempt = 0; attempt < 8; attempt += 1) replies.push(await say('I want a human please'));

    expect(records()).toHaveLength(LIMIT.count);
    expect(replies.slice(0, LIMIT.count).every((reply) => reply.outcome === 'handoff')).toBe(true);
    for (const reply of replies.slice(LIMIT.count)) {
      expect(reply.outcome).toBe('agent_pending');
      expect(reply.handoff).toBeUndefined();
      expect(reply.text).toContain('will contact you about your earlier request');
    }
    const limited = audited('handoff.rate_limited').map((row) => JSON.parse(row.details));
    expect(limited).toHaveLength(8 - LIMIT.count);
    expect(limited[0]).toMatchObject({
      openedInWindow: LIMIT.count,
      limit: LIMIT.count,
      joinedHandoff: null,
    });
  });

  it('when the limit is reached then an urgent handoff still opens', async () => {
    const { say, records } = await customerSession();
    for (let attempt = 0; attempt < LIMIT.count + 1; attempt += 1) await say('get me a human');

    const urgent = await say('I feel unsafe');

    expect(urgent.outcome).toBe('handoff');
    expect(urgent.handoff?.priority).toBe('urgent');
    expect(records()).toHaveLength(LIMIT.count + 1);
  });

  it('when the limit is reached in a conversation already waiting for a person then the message joins that handoff', async () => {
    const { harness, say, records, audited } = await customerSession();
    const first = await say('a human, please');
    for (let attempt = 1; attempt < LIMIT.count; attempt += 1) await say('a human, please');
    // The conversation is reopened while its handoff still waits (as after a status change elsewhere).
    harness.conversations.setStatus(first.id, 'active');

    const again = await say('still want a human', first.id);

    expect(again.outcome).toBe('agent_pending');
    expect(again.text).toContain('added to the conversation');
    expect(records()).toHaveLength(LIMIT.count);
    const [limited] = audited('handoff.rate_limited').map((row) => JSON.parse(row.details));
    expect(limited.joinedHandoff).toBe(harness.handoffQueue.activeForConversation(first.id)?.id);
  });
});
