import { describe, expect, it } from 'vitest';
import { createTestApp, jsonRequest } from '../../testing/test-app.js';

/** A conversation with two customer messages, handed off, claimed by `agent_a`. */
async function claimedHandoff() {
  const test = createTestApp();
  const conversation = test.conversations.create('c_1');
  const first = test.conversations.appendMessage(conversation.id, 'customer', 'hello there');
  test.conversations.appendMessage(conversation.id, 'assistant', 'Hello, how can I help?');
  const second = test.conversations.appendMessage(
    conversation.id,
    'customer',
    'how do I switch my current account to <EMAIL_ADDRESS_1> statements',
  );
  const handoff = test.handoffQueue.open({
    conversationId: conversation.id,
    customerId: 'c_1',
    reason: 'low_confidence',
    priority: 'normal',
    explanation: 'unsure',
    summary: 'summary',
    intent: null,
    emotions: [],
  });
  const agent = await test.tokenFor('agent_a', ['agent']);
  expect(
    (await test.app.request(`/v1/agent/handoffs/${handoff.id}/claim`, jsonRequest('POST', agent))).status,
  ).toBe(200);
  return { ...test, handoff, agent, messages: [first, second] };
}

describe('learning from agents', () => {
  it('when an agent resolves with an intent then the redacted customer messages become candidates, approved only by a second person', async () => {
    const { app, tokenFor, handoff, agent, messages, audit } = await claimedHandoff();
    const resolved = await app.request(
      `/v1/agent/handoffs/${handoff.id}/resolve`,
      jsonRequest('POST', agent, {
        intent: 'knowledge.accounts',
        shouldHaveHandled: true,
        messageIds: [messages[1]!.id],
      }),
    );
    expect(resolved.status).toBe(200);
    const { trainingExamples: ids } = (await resolved.json()) as { trainingExamples: string[] };
    expect(ids).toHaveLength(1);

    const officer = await tokenFor('officer_b', ['compliance']);
    const listed = await app.request(
      '/v1/admin/training-examples?status=candidate',
      jsonRequest('GET', officer),
    );
    const { trainingExamples } = (await listed.json()) as {
      trainingExamples: Array<{ id: string; text: string; intent: string; proposedBy: string }>;
    };
    expect(trainingExamples).toEqual([
      expect.objectContaining({
        id: ids[0],
        text: messages[1]!.text,
        intent: 'knowledge.accounts',
        proposedBy: 'agent_a',
        shouldHaveHandled: true,
      }),
    ]);

    // The proposing agent, also holding the compliance role, may not approve their own label.
    const sameAgent = await tokenFor('agent_a', ['agent', 'compliance']);
    const ownApproval = await app.request(
      `/v1/admin/training-examples/${ids[0]}/approve`,
      jsonRequest('POST', sameAgent),
    );
    expect(ownApproval.status).toBe(403);

    const approved = await app.request(
      `/v1/admin/training-examples/${ids[0]}/approve`,
      jsonRequest('POST', officer),
    );
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ status: 'approved', reviewedBy: 'officer_b' });
    const again = await app.request(
      `/v1/admin/training-examples/${ids[0]}/reject`,
      jsonRequest('POST', officer),
    );
    expect(again.status).toBe(409);

    const actions = audit.list({ limit: 20 }).map((record) => record.action);
    expect(actions).toContain('training_example.approved');
    const resolvedRecord = audit.list({ actionPrefix: 'handoff.resolved' })[0];
    expect(resolvedRecord?.details).toMatchObject({ intent: 'knowledge.accounts', trainingExamples: ids });
  });

  it('when no message is named then the customer messages up to the handoff are proposed; without an intent none are', async () => {
    const { app, handoff, agent, messages, tokenFor } = await claimedHandoff();
    const resolved = await app.request(
      `/v1/agent/handoffs/${handoff.id}/resolve`,
      jsonRequest('POST', agent, { intent: 'knowledge.accounts' }),
    );
    expect(((await resolved.json()) as { trainingExamples: string[] }).trainingExamples).toHaveLength(2);
    const officer = await tokenFor('officer_b', ['compliance']);
    const listed = (await (
      await app.request('/v1/admin/training-examples', jsonRequest('GET', officer))
    ).json()) as { trainingExamples: Array<{ messageId: string }> };
    // Proposed in the same millisecond, they may list in either order.
    expect(listed.trainingExamples.map((example) => example.messageId).sort()).toEqual(
      messages.map((message) => message.id).sort(),
    );

    const other = await claimedHandoff();
    const topicOnly = await other.app.request(
      `/v1/agent/handoffs/${other.handoff.id}/resolve`,
      jsonRequest('POST', other.agent, { topic: 'mortgage_overpayments', shouldHaveHandled: false }),
    );
    expect(topicOnly.status).toBe(200);
    expect(((await topicOnly.json()) as { trainingExamples: string[] }).trainingExamples).toEqual([]);
  });

  it('when the label is not valid then the handoff stays claimed', async () => {
    const { app, handoff, agent, handoffQueue } = await claimedHandoff();
    for (const body of [
      { intent: 'not_an_intent' },
      { topic: 'card 4111111111111111' },
      { shouldHaveHandled: true },
      { messageIds: ['msg_00000000000000000000000000000000'], intent: 'knowledge.fees' },
      { intent: 'knowledge.fees', extra: 1 },
    ]) {
      const response = await app.request(
        `/v1/agent/handoffs/${handoff.id}/resolve`,
        jsonRequest('POST', agent, body),
      );
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    expect(handoffQueue.get(handoff.id)?.status).toBe('claimed');
    // An agent is not a compliance officer.
    const agentList = await app.request('/v1/admin/training-examples', jsonRequest('GET', agent));
    expect(agentList.status).toBe(403);
    // Resolving without a body still works.
    const plain = await app.request(`/v1/agent/handoffs/${handoff.id}/resolve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent}` },
    });
    expect(plain.status).toBe(200);
  });

  it('when storing the labelled examples fails then the handoff stays claimed and nothing is stored', async () => {
    const { app, database, handoff, agent, handoffQueue, conversations, tokenFor } = await claimedHandoff();
    conversations.setStatus(handoff.conversationId, 'handed_off');
    // A storage failure on the last write of the resolve: the insert of a training example.
    database.exec(
      "CREATE TEMP TRIGGER refuse_examples BEFORE INSERT ON training_examples BEGIN SELECT RAISE(ABORT, 'disk full'); END",
    );
    const failed = await app.request(
      `/v1/agent/handoffs/${handoff.id}/resolve`,
      jsonRequest('POST', agent, { intent: 'knowledge.accounts' }),
    );
    expect(failed.status).toBe(500);
    expect(handoffQueue.get(handoff.id)?.status).toBe('claimed');
    expect(conversations.find(handoff.conversationId)?.status).toBe('handed_off');

    database.exec('DROP TRIGGER refuse_examples');
    const retried = await app.request(
      `/v1/agent/handoffs/${handoff.id}/resolve`,
      jsonRequest('POST', agent, { intent: 'knowledge.accounts' }),
    );
    expect(retried.status).toBe(200);
    const officer = await tokenFor('officer_b', ['compliance']);
    const listed = (await (
      await app.request('/v1/admin/training-examples', jsonRequest('GET', officer))
    ).json()) as { trainingExamples: unknown[] };
    expect(listed.trainingExamples).toHaveLength(2);
  });
});
