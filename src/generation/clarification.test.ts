import { describe, expect, it } from 'vitest';
import { assessOutOfScope } from '../guardrails/input/out-of-scope.js';
import { committedPolicies } from '../testing/committed-policies.js';
import type { RetrievedPassage, StoredMessage } from '../turn/types.js';
import { GENERIC_DECLINE, resolveClarificationReply, unsureReply } from './clarification.js';

function passage(documentId: string, title: string, section = 'Overview'): RetrievedPassage {
  return {
    chunkId: `${documentId}#1`,
    documentId,
    title,
    version: '1.0',
    section,
    text: 'Some text.',
    score: 1,
  };
}

const knowledgeRoute = { intent: 'policy_question', confidence: 0.9, kind: 'knowledge' } as const;
const offered = [
  passage('cards-limits', 'Daily Card Spending and Cash Withdrawal Limits'),
  passage('accounts-cash-deposits', 'Paying In Cash and Cheques'),
  passage('accounts-closing', 'Closing Your Account'),
];

function clarifyHistory(): StoredMessage[] {
  const reply = unsureReply(
    { text: 'the thing with my money', route: knowledgeRoute, passages: offered, retrievalConfidence: 0.1 },
    committedPolicies(),
  )!;
  return [
    { id: 'm1', author: 'customer', text: 'the thing with my money', createdAt: '2026-06-01T10:00:00Z' },
    {
      id: 'm2',
      author: 'assistant',
      text: reply.text,
      createdAt: '2026-06-01T10:00:01Z',
      metadata: { kind: reply.kind, options: reply.options, question: reply.question, outcome: 'answer' },
    },
  ] as StoredMessage[];
}

describe('unsureReply', () => {
  it('when a banking product has no document then it declines with where to get it, and near phrasings are answered', () => {
    const reply = (text: string) =>
      unsureReply(
        { text, route: knowledgeRoute, passages: offered, retrievalConfidence: 0.9 },
        committedPolicies(),
      );
    for (const [text, rule] of [
      ['Do you do bridging loans?', 'referral.loans'],
      ['could i get a loan secured against my van', 'referral.loans'],
      ['is there a 30-day notice account', 'referral.savings_accounts'],
      ['Can I open a Junior ISA for my son?', 'referral.savings_accounts'],
      ['what are your best 5 year fixed mortgage rates', 'referral.mortgage_products'],
      ['we want a card payment terminal for our cafe', 'referral.business_services'],
      ['do you sell gold coins', 'referral.precious_metals'],
    ] as const) {
      expect(reply(text), text).toMatchObject({ kind: 'declined', rule });
      expect(reply(text)?.text, text).toMatch(/^I'm sorry, I don't have information on .+ here\. /);
    }
    for (const text of [
      'the card machine asked if I want to pay in euros',
      'Can I switch to a new mortgage deal when mine ends?',
      'What are the early repayment charges on my fixed rate mortgage?',
    ]) {
      expect(reply(text), text).toBeUndefined();
    }
  });

  it('when retrieval is weak then it asks about the closest distinct document titles', () => {
    const reply = unsureReply(
      {
        text: 'the thing with my money',
        route: knowledgeRoute,
        passages: [...offered.slice(0, 1), ...offered],
        retrievalConfidence: 0.1,
      },
      committedPolicies(),
    );
    expect(reply?.kind).toBe('clarify');
    expect(reply?.options?.map((option) => option.documentId)).toEqual([
      'cards-limits',
      'accounts-cash-deposits',
      'accounts-closing',
    ]);
    expect(reply?.text).toContain('"Paying In Cash and Cheques"');
    expect(reply?.text.trim().endsWith('.')).toBe(true);
  });

  it('when retrieval is weak and only one document came back then it declines honestly', () => {
    const reply = unsureReply(
      { text: 'the thing', route: knowledgeRoute, passages: offered.slice(0, 1), retrievalConfidence: 0.1 },
      committedPolicies(),
    );
    expect(reply).toMatchObject({ kind: 'declined', text: GENERIC_DECLINE });
  });

  it('when retrieval is confident and no banking referral applies then it lets the answer be drafted', () => {
    const reply = unsureReply(
      { text: 'what is my card limit', route: knowledgeRoute, passages: offered, retrievalConfidence: 0.9 },
      committedPolicies(),
    );
    expect(reply).toBeUndefined();
  });

  it('when the question is about insurance and no retrieved title covers it then it says where to go', () => {
    const reply = unsureReply(
      {
        text: 'how do I claim on my travel insurance',
        route: knowledgeRoute,
        passages: offered,
        retrievalConfidence: 0.9,
      },
      committedPolicies(),
    );
    expect(reply?.kind).toBe('declined');
    expect(reply?.rule).toBe('referral.insurance');
    expect(reply?.text).toMatch(/don't have information on insurance here\. .*insurance page/);
  });

  it('when a retrieved title covers the referral topic then the document answers instead', () => {
    const reply = unsureReply(
      {
        text: 'what is the euro travel money rate',
        route: knowledgeRoute,
        passages: [passage('fx', 'Travel Money and Foreign Exchange Rates')],
        retrievalConfidence: 0.9,
      },
      committedPolicies(),
    );
    expect(reply).toBeUndefined();
  });
});

describe('resolveClarificationReply', () => {
  it.each([
    ['the second one', 'accounts-cash-deposits'],
    ['2', 'accounts-cash-deposits'],
    ['first please', 'cards-limits'],
    ['the last one', 'accounts-closing'],
    ['cheques', 'accounts-cash-deposits'],
    ['closing my account', 'accounts-closing'],
  ])('when the customer answers "%s" then the topic %s is chosen', (text, documentId) => {
    const resolved = resolveClarificationReply(text, clarifyHistory());
    expect(resolved?.documentId).toBe(documentId);
    expect(resolved?.query).toContain('the thing with my money');
  });

  it('when the reply names two positions then nothing is chosen', () => {
    expect(resolveClarificationReply('the first or the second', clarifyHistory())).toBeUndefined();
  });

  it('when the reply is a new, longer question then nothing is chosen', () => {
    const text = 'actually what is the fee for sending money abroad to my sister in the second week of May';
    expect(resolveClarificationReply(text, clarifyHistory())).toBeUndefined();
  });

  it('when the last assistant message asked nothing then nothing is chosen', () => {
    const history = clarifyHistory().map((message) =>
      message.author === 'assistant' ? { ...message, metadata: { outcome: 'answer' } } : message,
    );
    expect(resolveClarificationReply('the second one', history)).toBeUndefined();
  });
});

describe('banking topics without documents are in scope', () => {
  it.each([
    'how do i claim on my travel insurance',
    'can I buy shares through you',
    'How long is an OTP valid?',
  ])('"%s" is not refused as out of scope', (text) => {
    expect(assessOutOfScope(text, committedPolicies()).outOfScope).toBe(false);
  });

  it('a non-banking question is still out of scope', () => {
    expect(assessOutOfScope('what is the weather tomorrow', committedPolicies()).outOfScope).toBe(true);
  });
});
