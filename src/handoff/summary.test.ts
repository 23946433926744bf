import { describe, expect, it } from 'vitest';
import { committedPolicies } from '../testing/committed-policies.js';
import type { StoredMessage } from '../turn/types.js';
import { buildHandoffSummary } from './summary.js';

const at = new Date(0).toISOString();
const messages: StoredMessage[] = [
  {
    id: '1',
    conversationId: 'c',
    author: 'customer',
    text: 'Why was my card 4111 1111 1111 1111 declined?',
    createdAt: at,
  },
  {
    id: '2',
    conversationId: 'c',
    author: 'assistant',
    text: 'Cards can be declined when a payment looks unusual.',
    createdAt: at,
  },
  {
    id: '3',
    conversationId: 'c',
    author: 'customer',
    text: "This is ridiculous, I'm furious. Email me at jo@example.com",
    createdAt: at,
  },
];
// Stand-in for the privacy module: masks card numbers and e-mail addresses.
const redactForLog = (text: string) =>
  text.replace(/\b\d(?:[ -]?\d){12,18}\b/g, '<CREDIT_CARD>').replace(/\S+@\S+/g, '<EMAIL_ADDRESS>');

describe('buildHandoffSummary', () => {
  it('when messages slipped through with PII then the summary still carries none', () => {
    const summary = buildHandoffSummary({
      messages,
      decision: { reason: 'emotional_distress', priority: 'normal', explanation: 'Customer sounds upset.' },
      policies: committedPolicies(),
      redactForLog,
      intent: 'card_declined',
      topic: 'cards',
    });
    expect(summary.text).not.toMatch(/4111|jo@example\.com/);
    expect(summary.lastCustomerAsks).toEqual([
      'Why was my card <CREDIT_CARD> declined?',
      "This is ridiculous, I'm furious. Email me at <EMAIL_ADDRESS>",
    ]);
  });

  it('when built then it names intent, emotions, reason and what Teller answered', () => {
    const summary = buildHandoffSummary({
      messages,
      decision: { reason: 'emotional_distress', priority: 'normal', explanation: 'Customer sounds upset.' },
      policies: committedPolicies(),
      redactForLog,
      intent: 'card_declined',
    });
    expect(summary.emotions).toContain('anger');
    expect(summary.lastAssistantAnswer).toBe('Cards can be declined when a payment looks unusual.');
    expect(summary.text).toMatch(/Handoff: emotional_distress \(normal priority\)/);
    expect(summary.text).toMatch(/Intent: card_declined/);
  });

  it('when a message is long then it is clipped', () => {
    const long: StoredMessage = {
      id: '9',
      conversationId: 'c',
      author: 'customer',
      text: 'word '.repeat(200),
      createdAt: at,
    };
    const summary = buildHandoffSummary({
      messages: [long],
      decision: { reason: 'explicit_request', priority: 'normal', explanation: 'asked' },
      policies: committedPolicies(),
      redactForLog: (text) => text,
      maxQuoteLength: 50,
    });
    expect(summary.lastCustomerAsks[0]).toHaveLength(50);
  });
});
