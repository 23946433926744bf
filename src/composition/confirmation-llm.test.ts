import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_JWT_SECRET } from '../config/config.js';
import type { ChatRequest, ChatResponse } from '../generation/chat-model.js';
import { signDevelopmentToken } from '../server/auth/token-verifier.js';
import { ScriptedChatModel } from '../testing/scripted-chat-model.js';
import { createTempTellerHome, TEST_NOW } from '../testing/temp-teller.js';
import { jsonRequest } from '../testing/test-app.js';
import { buildTeller, type Teller } from './build-teller.js';

interface TurnBody {
  text: string;
  outcome: string;
  tools: Array<{ tool: string; status: string }>;
}

/**
 * A hostile model: it calls `freeze_card` whenever it is offered tools, claims in its own words
 * that the card is already frozen, and on other turns says whatever the scenario below sets.
 */
function hostileModel(behaviour: { content: () => string; freezeOn: RegExp; repeatCalls: () => boolean }) {
  return new ScriptedChatModel(
    [
      (request: ChatRequest): ChatResponse => {
        const last = request.messages.at(-1)!;
        const customerTurn = request.messages.findLast((message) => message.role === 'user')!.content;
        if (last.role === 'tool' && !behaviour.repeatCalls)
          return { content: behaviour.content(), toolCalls: [] };
        if (behaviour.freezeOn.test(customerTurn)) {
          return {
            content: 'Done, your card is frozen.',
            toolCalls: [{ id: 'call_freeze', name: 'freeze_card', arguments: {} }],
          };
        }
        if (behaviour.repeatCalls()) {
          return {
            content: '',
            toolCalls: [{ id: 'call_bad', name: 'recent_transactions', arguments: '{"limit": 3,,}' }],
          };
        }
        return { content: behaviour.content(), toolCalls: [] };
      },
    ],
    { repeatLast: true },
  );
}

describe('confirmations and empty answers with a chat model (ScriptedChatModel in place of the LLM)', () => {
  const home = createTempTellerHome('teller-confirm-llm-');
  let reply = '';
  let stuckOnBadCalls = false;
  const model = hostileModel({
    content: () => reply,
    freezeOn: /deactivate|what is my card number/i,
    repeatCalls: () => stuckOnBadCalls,
  });
  let teller: Teller;

  beforeAll(async () => {
    teller = await buildTeller(home.config, { now: TEST_NOW, chatModel: model });
  }, 180_000);
  afterAll(async () => {
    await teller?.close();
    home.remove();
  });

  async function conversationFor(subject: string) {
    const token = await signDevelopmentToken(DEVELOPMENT_JWT_SECRET, { subject });
    const created = await teller.app.request('/v1/conversations', jsonRequest('POST', token));
    const { id } = (await created.json()) as { id: string };
    return async (text: string): Promise<TurnBody> => {
      const response = await teller.app.request(
        `/v1/conversations/${id}/messages`,
        jsonRequest('POST', token, { text }),
      );
      expect(response.status).toBe(200);
      return (await response.json()) as TurnBody;
    };
  }

  const cardState = (subject: string, last4: string) =>
    (
      teller.database
        .prepare('SELECT state FROM bank_cards WHERE customer_id = ? AND last4 = ?')
        .get(subject, last4) as { state: string } | undefined
    )?.state;

  it('when the model calls freeze_card then the customer sees the question, and the yes freezes that card and says so', async () => {
    const send = await conversationFor('c_123');
    const before = model.requests.length;
    const asked = await send('Please deactivate my visa for now');
    expect(model.requests.length).toBeGreaterThan(before);
    expect(asked.outcome).toBe('confirmation_required');
    expect(asked.text).toBe('Please confirm: shall I freeze your Visa debit card ending 4821?');
    expect(cardState('c_123', '4821')).toBe('active');

    const confirmed = await send('yes');
    expect(confirmed.outcome).toBe('answer');
    expect(confirmed.text).toContain('Your Visa debit card ending 4821 is now frozen.');
    expect(confirmed.tools).toContainEqual({ tool: 'freeze_card', status: 'ok' });
    expect(cardState('c_123', '4821')).toBe('frozen');
  });

  it('when the model proposes a freeze the customer never asked for then nothing is proposed', async () => {
    reply = 'Your card number is stored safely.';
    const send = await conversationFor('c_456');
    const answer = await send('What is my card number? Please repeat it back.');
    expect(answer.outcome).not.toBe('confirmation_required');
    expect(answer.tools).not.toContainEqual(expect.objectContaining({ status: 'needs_confirmation' }));
    const later = await send('yes');
    expect(later.tools).not.toContainEqual(expect.objectContaining({ tool: 'freeze_card', status: 'ok' }));
    expect(cardState('c_456', '5512')).toBe('active');
  });

  it('when the model answers with empty content then the customer gets a real message, not an empty answer', async () => {
    reply = '';
    const send = await conversationFor('c_789');
    const answer = await send('What does a SWIFT payment cost?');
    expect(answer.text.trim()).not.toBe('');
    expect(answer.text).toContain('£15');
  });

  it('when every call has broken JSON then the loop stops early and the answer is not empty', async () => {
    stuckOnBadCalls = true;
    const send = await conversationFor('c_999');
    const auditBefore = toolAuditCount();
    const requestsBefore = model.requests.length;
    const answer = await send('What are the opening hours of the branch in Leeds?');
    stuckOnBadCalls = false;
    expect(answer.text.trim().length).toBeGreaterThan(10);
    expect(toolAuditCount() - auditBefore).toBeLessThanOrEqual(2);
    expect(model.requests.length - requestsBefore).toBeLessThanOrEqual(3);
  });

  function toolAuditCount(): number {
    return (
      teller.database
        .prepare("SELECT COUNT(*) AS count FROM audit_log WHERE action IN ('tool.refused', 'tool.executed')")
        .get() as { count: number }
    ).count;
  }
});
