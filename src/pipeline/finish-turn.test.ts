import { describe, expect, it } from 'vitest';
import type { AuditSink } from '../store/audit-log.js';
import { KeywordHandoffFake } from '../testing/fake-stages.js';
import { createTestApp, jsonRequest } from '../testing/test-app.js';

/** An audit sink that fails on every write, as a full disk or a broken chain would. */
const failingAudit: AuditSink = {
  record(): void {
    throw new Error('audit write failed');
  },
};

/** A new conversation of customer c_123 whose one message asks for a person (so the turn hands off). */
async function askForAPerson(overrides: { audit?: AuditSink } = {}) {
  const harness = createTestApp({ handoff: new KeywordHandoffFake(), ...overrides });
  const token = await harness.tokenFor('c_123');
  const created = await harness.app.request('/v1/conversations', jsonRequest('POST', token));
  const { id } = (await created.json()) as { id: string };
  const response = await harness.app.request(
    `/v1/conversations/${id}/messages`,
    jsonRequest('POST', token, { text: 'I want to speak to a human agent' }),
  );
  const handoffs = () => harness.database.prepare('SELECT COUNT(*) AS count FROM handoffs').get();
  return { harness, id, response, handoffs };
}

describe('finishTurn', () => {
  it('when the audit record cannot be written then neither the question, the answer nor the handoff is stored', async () => {
    const { harness, id, response, handoffs } = await askForAPerson({ audit: failingAudit });

    expect(response.status).toBe(500);
    const authors = harness.conversations.messages(id).map((message) => message.author);
    // The customer's words are stored by the closing transaction too: a failed turn leaves nothing.
    expect(authors).toEqual([]);
    expect(handoffs()).toEqual({ count: 0 });
    expect(harness.conversations.find(id)?.status).toBe('active');
  });

  it('when the turn ends in a handoff then answer, handoff and audit record are all stored', async () => {
    const { harness, id, response, handoffs } = await askForAPerson();

    expect(response.status).toBe(200);
    expect(((await response.json()) as { outcome: string }).outcome).toBe('handoff');
    expect(harness.conversations.messages(id).map((message) => message.author)).toEqual([
      'customer',
      'assistant',
    ]);
    expect(handoffs()).toEqual({ count: 1 });
    expect(harness.conversations.find(id)?.status).toBe('handed_off');
    const audited = harness.database
      .prepare("SELECT details FROM audit_log WHERE action = 'turn.completed'")
      .all() as Array<{ details: string }>;
    expect(audited).toHaveLength(1);
    expect(JSON.parse((audited[0] as { details: string }).details).handoff).toMatchObject({
      reason: 'explicit_request',
    });
  });
});
