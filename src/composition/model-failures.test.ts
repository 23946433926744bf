import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_JWT_SECRET } from '../config/config.js';
import { LangChainChatModel } from '../generation/langchain-chat-model.js';
import { signDevelopmentToken } from '../server/auth/token-verifier.js';
import {
  type HostileBehaviour,
  type ScriptedHostileModelServer,
  startScriptedHostileModelServer,
} from '../testing/scripted-hostile-model-server.js';
import { createTempTellerHome, TEST_NOW } from '../testing/temp-teller.js';
import { jsonRequest } from '../testing/test-app.js';
import { buildTeller, type Teller } from './build-teller.js';

const TURN_BUDGET_MS = 1500;

/**
 * The model path against a hostile OpenAI-compatible server, through the real LangChain adapter:
 * every way the model can fail still gives the customer a 200 with an answer, stored after their
 * message, within the turn budget.
 */
describe('model failures fall back to the grounded composer', () => {
  let teller: Teller;
  let hostile: ScriptedHostileModelServer;
  const home = createTempTellerHome('teller-model-failures-', {
    MODEL_TURN_BUDGET_MS: String(TURN_BUDGET_MS),
    MODEL_MAX_ANSWER_CHARACTERS: '2000',
  });

  beforeAll(async () => {
    hostile = await startScriptedHostileModelServer(() => ({ kind: 'status', status: 500 }));
    const chatModel = new LangChainChatModel({
      apiKey: 'hostile-key',
      baseUrl: hostile.baseUrl,
      model: 'hostile-model',
      // Per attempt: with two retries this alone would allow 12 s; the turn budget must win.
      timeoutMs: 4000,
      maxTokens: home.config.model.maxTokens,
    });
    teller = await buildTeller(home.config, { now: TEST_NOW, chatModel });
  }, 60_000);
  afterAll(async () => {
    await teller?.close();
    await hostile?.close();
    home.remove();
  });

  async function ask(text: string) {
    const token = await signDevelopmentToken(DEVELOPMENT_JWT_SECRET, { subject: 'c_123' });
    const created = await teller.app.request('/v1/conversations', jsonRequest('POST', token));
    const { id } = (await created.json()) as { id: string };
    const started = performance.now();
    const response = await teller.app.request(
      `/v1/conversations/${id}/messages`,
      jsonRequest('POST', token, { text }),
    );
    const elapsedMs = performance.now() - started;
    const body = (await response.json()) as { text: string; outcome: string };
    const stored = await teller.app.request(`/v1/conversations/${id}`, jsonRequest('GET', token));
    const { messages } = (await stored.json()) as { messages: Array<{ author: string; text: string }> };
    return { status: response.status, body, elapsedMs, messages };
  }

  const failures: Array<[string, HostileBehaviour]> = [
    ['HTTP 500', { kind: 'status', status: 500 }],
    ['HTTP 429', { kind: 'status', status: 429 }],
    ['an HTML page', { kind: 'html' }],
    ['malformed JSON', { kind: 'malformed_json' }],
    ['empty choices', { kind: 'empty_choices' }],
    ['an empty answer', { kind: 'answer', content: '' }],
    [
      'no answer within the budget',
      { kind: 'slow', delayMs: 10_000, afterwards: { kind: 'answer', content: 'late' } },
    ],
  ];

  it.each(failures)(
    'when the model gives %s then the customer gets a grounded 200 in budget',
    async (_name, behaviour) => {
      hostile.script(() => behaviour);
      const result = await ask('What is the fee for an international SWIFT payment?');
      expect(result.status).toBe(200);
      expect(result.body.outcome).toBe('answer');
      expect(result.body.text).toContain('£15');
      // The budget plus the rest of the turn; retries of a 4 s timeout took 17 s before.
      expect(result.elapsedMs).toBeLessThan(TURN_BUDGET_MS + 3000);
      expect(result.messages.map((message) => message.author)).toEqual(['customer', 'assistant']);
      expect(result.messages[1]!.text).toBe(result.body.text);
      const fallbacks = teller.database
        .prepare("SELECT details FROM audit_log WHERE action = 'generation.fallback'")
        .all() as Array<{ details: string }>;
      expect(fallbacks.length).toBeGreaterThan(0);
    },
  );

  it('when the model writes a huge answer then it is neither shown nor stored', async () => {
    const huge = `We charge £15 per outgoing international (SWIFT) payment [1]. ${'Lorem ipsum. '.repeat(20_000)}`;
    hostile.script(() => ({ kind: 'answer', content: huge }));
    const result = await ask('What is the fee for an international SWIFT payment?');
    expect(result.status).toBe(200);
    expect(result.body.text.length).toBeLessThan(2000);
    expect(result.body.text).not.toContain('Lorem');
    expect(result.messages.every((message) => message.text.length < 2000)).toBe(true);
  });

  it('asks the model for a bounded number of tokens', async () => {
    hostile.script(() => ({
      kind: 'answer',
      content: 'We charge £15 per outgoing international (SWIFT) payment [1].',
    }));
    await ask('What is the fee for an international SWIFT payment?');
    const sent = hostile.requests.at(-1)!.body;
    expect(sent.max_tokens ?? sent.max_completion_tokens).toBe(home.config.model.maxTokens);
  });
});
