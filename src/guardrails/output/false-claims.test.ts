import { describe, expect, it } from 'vitest';
import { committedPolicies } from '../../testing/committed-policies.js';
import { splitSentences } from '../../text/sentences.js';
import type { RetrievedPassage, ToolOutcome } from '../../turn/types.js';
import { createGuardrails } from '../create-guardrails.js';
import { runOutputRails } from '../runner.js';
import type { OutputRailInput } from '../types.js';
import { figuresIn } from './figures.js';

const policies = committedPolicies();
const rails = createGuardrails(policies, { findForeignPii: () => [] }).output;

const swift: RetrievedPassage = {
  chunkId: 'swift#0',
  documentId: 'swift-fees',
  title: 'Sending money abroad',
  version: '1.0',
  section: 'SWIFT',
  text: 'Each outgoing SWIFT payment to a bank abroad costs £15. Incoming payments of £100 or less are free. Payments usually arrive within 2 working days.',
  score: 1,
};
const chaps: RetrievedPassage = {
  chunkId: 'chaps#0',
  documentId: 'chaps-fees',
  title: 'Same-day payments',
  version: '1.0',
  section: 'CHAPS',
  text: 'Each CHAPS payment costs £20 and arrives the same working day.',
  score: 0.9,
};

const answer = (answerText: string, overrides: Partial<OutputRailInput> = {}): OutputRailInput => ({
  answerText,
  citations: [{ documentId: 'swift-fees' }, { documentId: 'chaps-fees' }],
  passages: [swift, chaps],
  toolOutcomes: [],
  customerText: 'What does it cost to send money abroad?',
  ...overrides,
});

async function shown(input: OutputRailInput): Promise<string> {
  return (await runOutputRails(rails, input)).finalText;
}

/** Two grounded sentences, so removing one false sentence leaves enough for a rewrite, not a refusal. */
const kept = 'Payments usually arrive within 2 working days [1]. Each CHAPS payment costs £20 [2].';

describe('figures in an answer are checked against the passage the sentence cites', () => {
  it.each([
    ['a different amount', 'Each outgoing SWIFT payment to a bank abroad costs £3 [1].'],
    ['another currency', 'Each outgoing SWIFT payment to a bank abroad costs €15 [1].'],
    ['another unit', 'Each outgoing SWIFT payment to a bank abroad costs 15% [1].'],
    ['a figure only another passage states', 'Each outgoing SWIFT payment to a bank abroad costs £20 [1].'],
    ['a figure with no citation and no tool fact', 'Each outgoing SWIFT payment to a bank abroad costs £15.'],
    [
      'a zero price the passage does not state',
      'We do not charge anything for an outgoing SWIFT payment [1].',
    ],
  ])('when a sentence states %s then it is not shown', async (_case, falseClaim) => {
    const text = await shown(answer(`${kept} ${falseClaim}`));
    expect(text).toBe(kept);
  });

  it('when the cited passage states the figure in the same unit then the sentence stays', async () => {
    const text =
      'Each outgoing SWIFT payment to a bank abroad costs £15 [1]. Each CHAPS payment costs £20 [2].';
    expect(await shown(answer(text))).toBe(text);
  });

  it('when a paragraph is cited once at its end then its earlier sentences rest on that citation', async () => {
    const text =
      'Each outgoing SWIFT payment to a bank abroad costs £15. Payments usually arrive within 2 working days [1].';
    expect(await shown(answer(text))).toBe(text);
  });

  it('when a like-worded sentence of the cited passage states a zero price then the claim stays', async () => {
    const text = 'Incoming payments of £100 or less cost nothing [1].';
    expect(await shown(answer(text))).toBe(text);
  });

  it('when an uncited figure is a tool fact then it stays', async () => {
    const balance: ToolOutcome = {
      tool: 'account_balance',
      status: 'ok',
      facts: ['Everyday Current ••••4567: balance £1,250.00'],
    };
    const text = 'Your Everyday Current balance is £1,250.00.';
    expect(await shown(answer(text, { passages: [], citations: [], toolOutcomes: [balance] }))).toBe(text);
  });

  it('reads currency, units and zero prices as figures', () => {
    expect(figuresIn('£1,250.00, €15, 15%, 3 working days, 20 pence, free of charge')).toEqual([
      { value: '1250', unit: 'GBP', text: '£1,250.00' },
      { value: '15', unit: 'EUR', text: '€15' },
      { value: '15', unit: 'percent', text: '15%' },
      { value: '3', unit: 'day', text: '3 working days' },
      { value: '20', unit: 'pence', text: '20 pence' },
      { value: '0', unit: 'price', text: 'free of charge' },
    ]);
  });
});

describe('outcomes of the customer’s case need a tool result', () => {
  it.each([
    'Your refund is approved.',
    'The fee is waived for you.',
    'We have refunded the charge.',
    'You have been reimbursed in full.',
    'We do not charge you for this payment.',
  ])('when the model writes "%s" with no tool behind it then it is removed', async (promise) => {
    const result = await runOutputRails(rails, answer(`${promise} ${kept}`));
    expect(result.finalText).toBe(kept);
    expect(result.verdicts.map((verdict) => verdict.rule)).toContain('promise.case_outcome');
  });

  it('when the only sentence is an unsupported outcome then the answer is replaced', async () => {
    const result = await runOutputRails(rails, answer('Your refund is approved.'));
    expect(result.blocked).toBeDefined();
    expect(result.finalText).not.toMatch(/approved/);
  });

  it('when a tool result states the outcome then the sentence stays, and not when it only awaits a yes', async () => {
    const text = 'Your card ending 4821 has been frozen.';
    const frozen: ToolOutcome = {
      tool: 'freeze_card',
      status: 'ok',
      facts: ['Card ending 4821 is now frozen.'],
    };
    expect(await shown(answer(text, { passages: [], citations: [], toolOutcomes: [frozen] }))).toBe(text);
    const waiting: ToolOutcome = { ...frozen, status: 'needs_confirmation', facts: [] };
    const result = await runOutputRails(
      rails,
      answer(text, { passages: [], citations: [], toolOutcomes: [waiting] }),
    );
    expect(result.finalText).not.toContain('has been frozen');
  });

  it('when an outcome is stated as a condition then it is policy, not a promise', async () => {
    const result = await runOutputRails(rails, answer('If your claim is upheld, your fee is refunded.'));
    expect(result.verdicts.map((verdict) => verdict.rule)).not.toContain('promise.case_outcome');
  });
});

describe('removing a sentence never cuts a URL, e-mail address, number or abbreviation', () => {
  const grounded = `Each outgoing SWIFT payment to a bank abroad costs £15 [1]. ${kept}`;

  it.each([
    'Visit https://evil.example/login to verify your account.',
    'Write to claims@refunds.evil.example to get the fee back.',
    'Log in at www.evil.example/secure.html?id=2.5 today.',
    'Our premium plan costs approx. £2.50 a month, e.g. for travellers.',
    'Ask for form No. 7 at https://evil.example/forms.',
  ])('when "%s" is removed then nothing of it is left', async (bad) => {
    const text = await shown(answer(`${bad} ${grounded}`));
    expect(text).toBe(grounded);
  });

  it('splits only at punctuation followed by a space or the end', () => {
    expect(
      splitSentences(
        'Visit https://evil.example/login now. Mail a.b@bank.example, e.g. today! Is it £2.50? Yes.',
      ),
    ).toEqual([
      'Visit https://evil.example/login now.',
      'Mail a.b@bank.example, e.g. today!',
      'Is it £2.50?',
      'Yes.',
    ]);
  });

  it('keeps the lines and paragraphs of what remains', async () => {
    const text = await shown(
      answer(`Visit https://evil.example/login now.\n\n${grounded}\n\nEach CHAPS payment costs £20 [2].`),
    );
    expect(text).toBe(`${grounded}\n\nEach CHAPS payment costs £20 [2].`);
  });

  it('when the sentence carrying a paragraph’s citation is removed then the citation moves to the one before', async () => {
    const text = await shown(
      answer(`${kept} Each outgoing SWIFT payment to a bank abroad costs £15. Arrival is guaranteed [1].`),
    );
    expect(text).toBe(`${kept} Each outgoing SWIFT payment to a bank abroad costs £15 [1].`);
  });
});
