import { describe, expect, it } from 'vitest';
import { createTestApp, jsonRequest } from '../../testing/test-app.js';

function appWithHandoffs(count: number, customerId = 'c_1') {
  const test = createTestApp();
  const priorities = ['low', 'urgent', 'normal', 'high'] as const;
  for (let index = 0; index < count; index += 1) {
    const conversation = test.conversations.create(customerId);
    test.handoffQueue.open({
      conversationId: conversation.id,
      customerId,
      reason: 'explicit_request',
      priority: priorities[index % priorities.length]!,
      explanation: 'asked for a person',
      summary: 'summary',
      intent: null,
      emotions: [],
    });
  }
  return test;
}

describe('agent handoff routes', () => {
  it('when the queue is read a page at a time then every handoff appears once, in queue order', async () => {
    const { app, tokenFor, handoffQueue } = appWithHandoffs(7);
    const agent = await tokenFor('agent_1', ['agent']);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await app.request(`/v1/agent/handoffs${query}`, jsonRequest('GET', agent));
      expect(response.status).toBe(200);
      const body = (await response.json()) as { handoffs: Array<{ id: string }>; nextCursor: string | null };
      expect(body.handoffs.length).toBeLessThanOrEqual(3);
      seen.push(...body.handoffs.map((handoff) => handoff.id));
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(handoffQueue.list().map((handoff) => handoff.id));
  });

  it('when limit or cursor are not valid then the request is refused with 400', async () => {
    const { app, tokenFor } = appWithHandoffs(2);
    const agent = await tokenFor('agent_1', ['agent']);
    for (const query of ['?limit=0', '?limit=101', '?limit=abc', '?cursor=***', '?cursor=bm90LWpzb24']) {
      const response = await app.request(`/v1/agent/handoffs${query}`, jsonRequest('GET', agent));
      expect(response.status, query).toBe(400);
    }
  });

  it('when a token with customer and agent roles works a handoff of its own conversation then it is forbidden', async () => {
    const { app, tokenFor, handoffQueue } = appWithHandoffs(1, 'c_1');
    const [handoff] = handoffQueue.list();
    const both = await tokenFor('c_1', ['customer', 'agent']);
    const base = `/v1/agent/handoffs/${handoff!.id}`;
    expect((await app.request(`${base}/claim`, jsonRequest('POST', both, {}))).status).toBe(403);
    expect(
      (await app.request(`${base}/messages`, jsonRequest('POST', both, { text: 'all sorted' }))).status,
    ).toBe(403);
    expect((await app.request(`${base}/resolve`, jsonRequest('POST', both, {}))).status).toBe(403);
    expect(handoffQueue.list()[0]?.status).toBe('open');
    // Another agent may.
    const agent = await tokenFor('agent_1', ['agent']);
    expect((await app.request(`${base}/claim`, jsonRequest('POST', agent, {}))).status).toBe(200);
  });
});
