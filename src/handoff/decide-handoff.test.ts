import { describe, expect, it } from 'vitest';
import { committedPolicies } from '../testing/committed-policies.js';
import { CustomerMessage } from '../turn/turn-context.js';
import type { StoredMessage } from '../turn/types.js';
import { collectHandoffProposals, decideHandoff } from './decide-handoff.js';
import { isNonAnswer } from './triggers.js';

const policies = committedPolicies();
const decide = (text: string, extra: Partial<Parameters<typeof decideHandoff>[0]> = {}) =>
  decideHandoff({ message: new CustomerMessage(text), history: [], ...extra }, { policies });

let sequence = 0;
function message(author: StoredMessage['author'], text: string, outcome?: string): StoredMessage {
  sequence += 1;
  return {
    id: `m${sequence}`,
    conversationId: 'c',
    author,
    text,
    createdAt: new Date(0).toISOString(),
    metadata: outcome ? { outcome } : undefined,
  };
}

describe('decideHandoff', () => {
  it.each([
    ['I want to speak to a real person', 'explicit_request', 'normal'],
    ['agent please', 'explicit_request', 'normal'],
    ['My husband died last week and I need to sort his accounts', 'vulnerability', 'high'],
    ["I can't pay my rent this month", 'vulnerability', 'high'],
    ['I think I have been scammed out of £2,000', 'vulnerability', 'high'],
    ["There's a payment on my statement I didn't make", 'sensitive_topic', 'high'],
    ['I want to raise a complaint about my branch', 'sensitive_topic', 'normal'],
    ["I'm absolutely livid, this is unacceptable", 'emotional_distress', 'normal'],
    ["I'm panicking, my wages haven't arrived", 'emotional_distress', 'high'],
  ])('when the customer writes %j then the reason is %s with %s priority', (text, reason, priority) => {
    expect(decide(text)).toMatchObject({ reason, priority });
  });

  it.each([
    'How do I change my PIN?',
    'What is the overdraft fee?',
    'thanks, that helped',
    'Can I speak Spanish with the app?',
  ])('when the customer writes %j then no handoff is proposed', (text) => {
    expect(decide(text)).toBeUndefined();
  });

  it('when a self-harm verdict is present then the handoff is urgent, whatever else fired', () => {
    const decision = decide('I want a human, I cannot go on', {
      verdicts: [{ guardrail: 'abuse', tripped: true, action: 'handoff', rule: 'abuse.self_harm' }],
    });
    expect(decision).toMatchObject({ reason: 'vulnerability', priority: 'urgent' });
    expect(decision?.explanation).toMatch(/Also: explicit_request/);
  });

  it('when several triggers fire then the highest priority wins and the others are listed', () => {
    const decision = decide("I'm furious, I want to talk to a manager about my husband's death");
    expect(decision?.reason).toBe('vulnerability');
    expect(decision?.explanation).toMatch(/explicit_request/);
    expect(
      collectHandoffProposals({ message: new CustomerMessage('agent please'), history: [] }, { policies }),
    ).toHaveLength(1);
  });

  it('when Teller is unsure for the first time then it does not hand off', () => {
    expect(
      decide('What is the rule for ISA bonuses?', { retrievalConfidence: 0.1, history: [] }),
    ).toBeUndefined();
  });

  it('when retrieval, intent or groundedness is weak after an unanswered attempt then a low-priority handoff explains which', () => {
    const history = [
      message('customer', 'hello there'),
      message('assistant', "I'm not sure I understood: is it about savings or fees?", 'refusal'),
    ];
    expect(decide('What is the rule for ISA bonuses?', { retrievalConfidence: 0.1, history })).toMatchObject({
      reason: 'low_confidence',
      priority: 'low',
    });
    expect(decide('What is the rule for ISA bonuses?', { groundedness: 0.2, history })?.explanation).toMatch(
      /groundedness 0.20/,
    );
    expect(
      decide('What is the rule for ISA bonuses?', {
        retrievalConfidence: 0.9,
        intentConfidence: 0.9,
        groundedness: 1,
      }),
    ).toBeUndefined();
  });
});

describe('low confidence from verdicts', () => {
  it('when only the groundedness verdict carries the score then it is used', () => {
    const verdicts = [{ guardrail: 'groundedness', tripped: true, action: 'refuse' as const, score: 0.25 }];
    const history = [message('assistant', 'I could not find that in our policies.', 'refusal')];
    expect(decide('What does the ISA bonus rule say?', { verdicts, history })).toMatchObject({
      reason: 'low_confidence',
    });
  });
});

describe('repeated failure', () => {
  it('when the customer rephrases after a non-answer then a person takes over', () => {
    const history = [
      message('customer', 'Why was I charged a fee on 3 March?'),
      message('assistant', 'I could not find that in our policies.', 'refusal'),
    ];
    expect(decide('Why did I get charged a fee on the 3rd of March?', { history })?.reason).toBe(
      'repeated_failure',
    );
  });

  it('when the customer asks the same thing a third time then a person takes over even after answers', () => {
    const history = [
      message('customer', 'How do I get my money back for a cancelled flight?'),
      message('assistant', 'Contact the merchant first.', 'answer'),
      message('customer', 'How can I get money back for a cancelled flight?'),
      message('assistant', 'Merchants usually refund within 14 days.', 'answer'),
    ];
    expect(decide('how do I get my money back for the cancelled flight', { history })?.reason).toBe(
      'repeated_failure',
    );
  });

  it('when the customer moves on to a new question then there is no repeated failure', () => {
    const history = [
      message('customer', 'How do I set up a standing order?'),
      message('assistant', 'I am not able to answer that.', 'refusal'),
    ];
    expect(decide('What is the contactless limit?', { history })).toBeUndefined();
  });

  it('when an assistant message is worded as a non-answer then it counts even without metadata', () => {
    expect(isNonAnswer(message('assistant', "I'm not sure I understood. Could you rephrase?"))).toBe(true);
    expect(isNonAnswer(message('assistant', 'Your card will arrive in 3 days.'))).toBe(false);
  });

  it('when a clarifying question or an honest decline was answered as such then it counts as unanswered', () => {
    const reply = (kind: string) => ({
      ...message('assistant', 'Is your question about "Card Limits" or "Closing Your Account"?', 'answer'),
      metadata: { outcome: 'answer', kind },
    });
    expect(isNonAnswer(reply('clarify'))).toBe(true);
    expect(isNonAnswer(reply('declined'))).toBe(true);
    expect(isNonAnswer(reply('answered'))).toBe(false);
  });
});
