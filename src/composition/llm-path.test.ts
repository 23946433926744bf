import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_JWT_SECRET } from '../config/config.js';
import type { ChatRequest, ChatResponse } from '../generation/chat-model.js';
import { signDevelopmentToken } from '../server/auth/token-verifier.js';
import { ScriptedChatModel } from '../testing/scripted-chat-model.js';
import { createTempTellerHome, TEST_NOW } from '../testing/temp-teller.js';
import { jsonRequest } from '../testing/test-app.js';
import { buildTeller, type Teller } from './build-teller.js';

/** What the scripted model says, chosen by a keyword in the customer's message. */
function scriptedBehaviour(request: ChatRequest): ChatResponse {
  const last = request.messages.at(-1)!;
  if (last.role === 'tool') return { content: 'Here is what I found.', toolCalls: [] };
  const text = last.content;
  if (text.includes('refund')) {
    return {
      content: 'We will refund you in full, guaranteed. Our fee for a SWIFT payment is £99.',
      toolCalls: [],
    };
  }
  if (text.includes('SWIFT'))
    return { content: 'An outgoing international (SWIFT) payment costs £15 [1].', toolCalls: [] };
  if (text.includes('balance')) {
    // A model talked into asking for someone else's data: the tool must refuse in code.
    return {
      content: '',
      toolCalls: [{ id: 'call_1', name: 'account_balance', arguments: { customerId: 'c_456' } }],
    };
  }
  return { content: "I don't have that information.", toolCalls: [] };
}

describe('Teller with a chat model (ScriptedChatModel in place of the LLM)', () => {
  let teller: Teller;
  const home = createTempTellerHome('teller-llm-');
  const model = new ScriptedChatModel([scriptedBehaviour], { repeatLast: true });

  beforeAll(async () => {
    teller = await buildTeller(home.config, { now: TEST_NOW, chatModel: model });
  }, 60_000);
  afterAll(async () => {
    await teller?.close();
    home.remove();
  });

  async function ask(text: string) {
    const token = await signDevelopmentToken(DEVELOPMENT_JWT_SECRET, { subject: 'c_123' });
    const created = await teller.app.request('/v1/conversations', jsonRequest('POST', token));
    const { id } = (await created.json()) as { id: string };
    const response = await teller.app.request(
      `/v1/conversations/${id}/messages`,
      jsonRequest('POST', token, { text }),
    );
    return (await response.json()) as {
      text: string;
      outcome: string;
      citations: Array<{ documentId: string }>;
      rules: string[];
    };
  }

  it('sends the model redacted text and no identity, and keeps its grounded, cited answer', async () => {
    const before = model.requests.length;
    const body = await ask('Hi, this is Jane Doe. What does a SWIFT payment cost?');
    expect(body.outcome).toBe('answer');
    expect(body.text).toContain('£15');
    expect(body.citations[0]?.documentId).toBe('fees-international-payments');
    const sent = JSON.stringify(model.requests.slice(before));
    expect(sent).not.toContain('Jane Doe');
    expect(sent).toContain('<PERSON_1>');
    expect(sent).not.toContain('c_123');
  });

  it('removes promises and invented figures the model wrote', async () => {
    const body = await ask('Will I get a refund of the SWIFT fee if the payment bounces?');
    expect(body.text).not.toMatch(/guaranteed|we will refund/i);
    expect(body.text).not.toContain('£99');
    expect(body.rules.length).toBeGreaterThan(0);
  });

  it("refuses a model tool call that smuggles another customer's id", async () => {
    const body = await ask('What is my balance?');
    expect(body.text).not.toMatch(/£[\d,]+\.\d{2}/);
    const refusals = teller.database
      .prepare("SELECT details FROM audit_log WHERE action = 'tool.refused'")
      .all() as Array<{ details: string }>;
    expect(refusals.map((row) => row.details).join(' ')).toContain('identity_argument');
  });
});
