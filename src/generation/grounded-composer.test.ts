import { describe, expect, it } from 'vitest';
import { committedPolicies } from '../testing/committed-policies.js';
import type { GenerationInput } from '../turn/stages.js';
import type { RetrievedPassage } from '../turn/types.js';
import { GENERIC_DECLINE, honestDecline } from './clarification.js';
import { GroundedComposer } from './grounded-composer.js';

const passage = (documentId: string, text: string, score = 1): RetrievedPassage => ({
  chunkId: `${documentId}#0`,
  documentId,
  title: documentId,
  version: '1.0',
  section: 'Section',
  text,
  score,
});

function input(
  text: string,
  passages: RetrievedPassage[],
  overrides: Partial<GenerationInput> = {},
): GenerationInput {
  return {
    principal: { subject: 'c_1', roles: ['customer'], stepUp: false },
    conversationId: 'conv_1',
    requestId: 'req_1',
    text,
    history: [],
    route: { intent: 'knowledge.fees', confidence: 0.9, kind: 'knowledge' },
    passages,
    toolOutcomes: [],
    ...overrides,
  };
}

describe('GroundedComposer', () => {
  const fees = passage(
    'fees-international-payments',
    'We charge £15 per outgoing international (SWIFT) payment. Incoming payments over £100 cost £7. Our branches open at 9am.',
  );

  it('when a passage answers then it quotes the matching sentences with a citation marker', async () => {
    const draft = await new GroundedComposer().generate(
      input('What does an outgoing SWIFT payment cost?', [fees]),
    );
    expect(draft.text).toContain('We charge £15 per outgoing international (SWIFT) payment');
    expect(draft.text).toContain('[1]');
    expect(draft.text).not.toContain('branches');
    expect(draft.citations).toEqual([
      {
        documentId: 'fees-international-payments',
        title: 'fees-international-payments',
        version: '1.0',
        section: 'Section',
      },
    ]);
  });

  it('when it answers then every sentence comes verbatim from a passage', async () => {
    const other = passage(
      'fees-tariff',
      'A CHAPS payment costs £20. Cash withdrawals abroad cost £1.50 each.',
    );
    const draft = await new GroundedComposer().generate(
      input('How much do SWIFT and CHAPS payments cost?', [fees, other]),
    );
    const sources = `${fees.text} ${other.text}`;
    for (const sentence of draft.text.replace(/\s*\[\d+\]/g, '').split(/(?<=[.!?])\s+/)) {
      expect(sources).toContain(sentence.trim());
    }
  });

  it('when nothing was retrieved then it says it does not know, with zero confidence', async () => {
    const draft = await new GroundedComposer().generate(input('What is the meaning of life?', []));
    expect(draft.confidence).toBe(0);
    expect(draft.citations).toEqual([]);
    expect(draft.text).toMatch(/don't have information on that here/);
  });

  it('when tools ran then it states their facts and nothing else', async () => {
    const draft = await new GroundedComposer().generate(
      input('balance', [fees], {
        route: { intent: 'account_balance', confidence: 0.9, kind: 'tool' },
        toolOutcomes: [
          { tool: 'account_balance', status: 'ok', facts: ['Everyday Current ••••4567: balance £10.00'] },
        ],
      }),
    );
    expect(draft.text).toBe('Everyday Current ••••4567: balance £10.00');
  });
});

describe('questions about another period', () => {
  it('when a question names another year then the answer says it gives today’s terms', async () => {
    const rate = passage(
      'overdrafts-how-they-work',
      'We charge interest at 39.9% EAR (variable) on arranged overdrafts.',
    );
    const composer = new GroundedComposer({ now: () => new Date('2026-11-25T10:00:00Z') });
    const future = await composer.generate(
      input('What will the overdraft interest rate be from March 2027?', [rate]),
    );
    expect(future.text).toMatch(/^I'm sorry, I don't have approved terms for that period, only today's\./);
    expect(future.text).toContain('39.9% EAR');
    const today = await composer.generate(input('What is the overdraft interest rate in 2026?', [rate]));
    expect(today.text).not.toMatch(/for that period/);
  });
});

describe('choosing the passage that answers the question', () => {
  const section = (documentId: string, heading: string, text: string): RetrievedPassage => ({
    ...passage(documentId, text),
    chunkId: `${documentId}#${heading}`,
    section: heading,
  });
  const payingIn = section(
    'cheques',
    'Paying in cheques',
    'You can pay in a cheque in the app up to £5,000. Cheques paid in by 3:30pm clear the next working day.',
  );
  const charges = section(
    'tariff',
    'Other service charges',
    'Stopping a cheque is free in the app and £5 by phone. A banker’s draft costs £15.',
  );

  it('when a lower-ranked passage holds the question’s key term then it answers from that passage', async () => {
    const draft = await new GroundedComposer().generate(
      input('How much does it cost to stop a cheque?', [payingIn, charges]),
    );
    expect(draft.text).toContain('Stopping a cheque is free in the app');
    expect(draft.citations.map((citation) => citation.section)).toEqual(['Other service charges']);
  });

  it('when the quoted passages miss what the question is about then it declines honestly', async () => {
    const draft = await new GroundedComposer().generate(
      input('Can I open a Junior ISA for my daughter in the app?', [payingIn, charges]),
    );
    expect(draft.declined).toBe(true);
    expect(draft.citations).toEqual([]);
  });

  it('when a policy question starts like "what do you do" then it is answered, not taken for small talk', async () => {
    const recall = section(
      'recall',
      'What we do',
      'To recover money sent to the wrong person, we contact the receiving bank on the same working day.',
    );
    const composer = new GroundedComposer();
    const policy = await composer.generate(
      input('What do you do to recover money sent to the wrong person?', [recall]),
    );
    expect(policy.citations.map((citation) => citation.section)).toEqual(['What we do']);
    const smallTalk = await composer.generate(input('What can you do?', [recall]));
    expect(smallTalk.text).toMatch(/^Would you like help with your accounts/);
  });

  it('when the question is misspelt then it is read as retrieval corrected it', async () => {
    const overdraft = section('overdrafts', 'How much it costs', 'The overdraft interest rate is 39.9% EAR.');
    const savings = section('savings', 'Rates', 'Savings interest rates are shown as AER.');
    // A test double of the retriever's typo correction.
    const correctWord = (word: string) => (word === 'overdarft' ? 'overdraft' : word);
    const cited = async (composer: GroundedComposer) =>
      (await composer.generate(input('overdarft interest rate', [savings, overdraft]))).citations.map(
        (citation) => citation.documentId,
      );
    expect(await cited(new GroundedComposer({ correctWord }))).toContain('overdrafts');
    expect(await cited(new GroundedComposer())).not.toContain('overdrafts');
  });

  it('when it declines then it says where to get the answer, in the wording it was given', async () => {
    const composer = new GroundedComposer({
      decline: (question) => honestDecline(question, committedPolicies()).text,
    });
    const insurance = await composer.generate(
      input('Is my phone covered by insurance?', [payingIn, charges]),
    );
    expect(insurance).toMatchObject({ declined: true, citations: [] });
    expect(insurance.text).toMatch(
      /^I'm sorry, I don't have information on insurance here\. You can find it/,
    );
    const other = await composer.generate(input('Do you sponsor the local football club?', [payingIn]));
    expect(other.text).toBe(GENERIC_DECLINE);
  });

  it('when sentences come from two sections of one document then both sections are cited', async () => {
    const timing = section(
      'transfers',
      'How long payments take',
      'SEPA payments arrive within 1 working day.',
    );
    const details = section('transfers', 'Details you need', 'For a SEPA payment you need the IBAN.');
    const draft = await new GroundedComposer().generate(
      input('How long does a SEPA payment take and what details do I need?', [timing, details]),
    );
    expect(draft.citations.map((citation) => citation.section)).toEqual([
      'How long payments take',
      'Details you need',
    ]);
  });
});
