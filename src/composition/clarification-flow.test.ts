import { describe, expect, it } from 'vitest';
import { clarificationStage } from '../generation/clarification.js';
import { committedPolicies } from '../testing/committed-policies.js';
import { EchoGeneration, StaticRetrieval } from '../testing/fake-stages.js';
import { createTestApp, jsonRequest } from '../testing/test-app.js';
import type { RetrievedPassage } from '../turn/types.js';
import { handoffStage } from './handoff-stage.js';

function passage(documentId: string, title: string): RetrievedPassage {
  return {
    chunkId: `${documentId}#1`,
    documentId,
    title,
    version: '1.0',
    section: 'Overview',
    text: 'Text.',
    score: 1,
  };
}

const closest = [
  passage('cards-limits', 'Daily Card Spending and Cash Withdrawal Limits'),
  passage('accounts-cash-deposits', 'Paying In Cash and Cheques'),
  passage('accounts-closing', 'Closing Your Account'),
];

/** The message route over the real clarification and handoff stages, with retrieval fixed. */
async function chat(confidence: number) {
  const generation = new EchoGeneration();
  const retrieval = new StaticRetrieval(closest, confidence);
  const test = createTestApp({
    retrieval,
    generation,
    clarification: clarificationStage({ policies: committedPolicies }),
    handoff: handoffStage({ policies: committedPolicies, redactForLog: (text) => text }),
  });
  const token = await test.tokenFor('c_123');
  const created = await test.app.request('/v1/conversations', jsonRequest('POST', token));
  const { id } = (await created.json()) as { id: string };
  const send = async (text: string) => {
    const response = await test.app.request(
      `/v1/conversations/${id}/messages`,
      jsonRequest('POST', token, { text }),
    );
    expect(response.status).toBe(200);
    return (await response.json()) as { outcome: string; text: string; handoff?: { reason: string } };
  };
  const stored = () => test.conversations.messages(id, 50);
  const turnKinds = async () =>
    (await test.dependencies.turnRecords.list({ limit: 50 })).records.map((record) => record.kind);
  return { send, stored, turnKinds, generation, retrieval, handoffs: test.handoffQueue };
}

describe('POST /v1/conversations/{id}/messages when Teller is unsure', () => {
  it('when retrieval is weak then it asks one clarifying question, marked as such, and no person is called', async () => {
    const { send, stored, turnKinds, generation } = await chat(0.1);
    const reply = await send('the thing with my money');
    // Analytics and knowledge gaps count it as a clarifying question, not as an answer.
    expect(await turnKinds()).toEqual(['clarify']);
    expect(reply.outcome).toBe('answer');
    expect(reply.text).toContain('Is your question about "Daily Card Spending and Cash Withdrawal Limits"');
    expect(generation.inputs).toHaveLength(0);
    const assistant = stored().filter((message) => message.author === 'assistant');
    expect(assistant.at(-1)?.metadata).toMatchObject({
      kind: 'clarify',
      question: 'the thing with my money',
    });
  });

  it('when the customer answers "the second one" then that topic is answered, without a handoff', async () => {
    const { send, generation, retrieval } = await chat(0.1);
    await send('the thing with my money');
    const reply = await send('the second one');
    expect(reply.outcome).toBe('answer');
    expect(generation.inputs.at(-1)?.text).toBe('Paying In Cash and Cheques: the thing with my money');
    expect(retrieval.queries.at(-1)).toBe('Paying In Cash and Cheques: the thing with my money');
  });

  it('when the second attempt also goes unanswered then a person takes over for low confidence', async () => {
    const { send, stored } = await chat(0.1);
    await send('the thing with my money');
    const reply = await send('dunno, the whatsit from earlier');
    expect(reply.outcome).toBe('handoff');
    expect(reply.handoff?.reason).toBe('low_confidence');
    expect(reply.text).not.toContain('Is your question about');
    expect(stored().at(-1)?.metadata).toMatchObject({ kind: 'declined' });
  });

  it('when the customer asks for a person after a clarifying question then a person takes over', async () => {
    const { send } = await chat(0.1);
    await send('the thing with my money');
    const reply = await send('I want to speak to a human');
    expect(reply.outcome).toBe('handoff');
  });

  it('when a banking topic has no document then it says so and where to go, and no person is called', async () => {
    const { send, stored, generation } = await chat(0.9);
    const reply = await send('does my account come with car insurance?');
    expect(reply.outcome).toBe('answer');
    expect(reply.text).toMatch(/^I'm sorry, I don't have information on insurance here\./);
    expect(generation.inputs).toHaveLength(0);
    expect(stored().at(-1)?.metadata).toMatchObject({ kind: 'declined', rule: 'referral.insurance' });
  });

  it('when retrieval is confident then the answer is drafted as before', async () => {
    const { send, generation } = await chat(0.9);
    const reply = await send('what is my daily card limit');
    expect(reply.outcome).toBe('answer');
    expect(generation.inputs).toHaveLength(1);
  });
});
