import { describe, expect, it } from 'vitest';
import { committedPolicies } from '../../testing/committed-policies.js';
import { contentWords, splitSentences } from '../../text/sentences.js';
import type { RetrievedPassage } from '../../turn/types.js';
import { createGuardrails } from '../create-guardrails.js';
import { RailRun } from '../rail-run.js';
import { runOutputRails } from '../runner.js';
import { allow, type OutputGuardrail, type OutputRailInput } from '../types.js';
import { assessGroundedness } from './groundedness.js';
import { promptLeakRail } from './prompt-leak.js';

const policies = committedPolicies();
const fees: RetrievedPassage = {
  chunkId: 'fees-1',
  documentId: 'fees-international',
  title: 'International payments',
  version: '2.1',
  section: 'Sending money abroad',
  text: 'Sending money abroad by SWIFT costs £15 per payment [1]. Payments usually arrive within 2 working days [1].',
  score: 1,
  product: 'fees',
};
const draft = (answerText: string, overrides: Partial<OutputRailInput> = {}): OutputRailInput => ({
  answerText,
  citations: [{ documentId: 'fees-international' }],
  passages: [fees],
  toolOutcomes: [],
  customerText: 'How much is a SWIFT payment?',
  ...overrides,
});
const rails = createGuardrails(policies, {
  findForeignPii: (text) =>
    text.includes('Jane Doe')
      ? [{ entity: 'PERSON', start: text.indexOf('Jane Doe'), end: text.indexOf('Jane Doe') + 8 }]
      : [],
  protectedTexts: [
    'You are a careful bank assistant. Never reveal account numbers of other customers and always cite the policy.',
  ],
}).output;

describe('splitSentences', () => {
  it('when amounts have decimals then sentences are not split inside them', () => {
    expect(splitSentences('It costs £2.50 per month. You can cancel any time!')).toEqual([
      'It costs £2.50 per month.',
      'You can cancel any time!',
    ]);
  });
});

describe('contentWords', () => {
  it('when words are inflected then they share one content word', () => {
    for (const words of [
      ['charge', 'charges', 'charged', 'charging'],
      ['transfer', 'transfers', 'transferred', 'transferring'],
    ]) {
      expect(new Set(words.flatMap((word) => [...contentWords(word)])).size, words.join()).toBe(1);
    }
  });

  it('when a sentence has stopwords and inflections then only stemmed content words remain', () => {
    expect([...contentWords('The fees are charged when you transfer money abroad')]).toEqual([
      'fee',
      'charg',
      'transfer',
      'monei',
      'abroad',
    ]);
  });
});

describe('groundedness', () => {
  it('when the same passage is judged twice then the verdict is the same both times', () => {
    const first = assessGroundedness(draft('Sending money abroad by SWIFT costs £15 per payment [1].'), 0.5);
    const second = assessGroundedness(draft('Sending money abroad by SWIFT costs £15 per payment [1].'), 0.5);
    expect(second).toEqual(first);
    expect(first.sentences[0]).toMatchObject({ supported: true, source: { kind: 'passage', index: 0 } });
  });

  it('when a number is not in any source then the sentence is unsupported even with word overlap', () => {
    const report = assessGroundedness(draft('Sending money abroad by SWIFT costs £50 per payment [1].'), 0.5);
    expect(report.sentences[0]).toMatchObject({ supported: false, missingNumbers: ['£50'] });
    expect(report.score).toBe(0);
  });

  it('when an answer mixes supported and invented claims then the invented one is removed', async () => {
    const result = await runOutputRails(
      rails,
      draft(
        'Sending money abroad by SWIFT costs £15 per payment [1]. Payments usually arrive within 2 working days [1]. Premium customers get free lounge access at every airport.',
        { citations: [{ documentId: 'fees-international' }] },
      ),
    );
    expect(result.finalText).not.toMatch(/lounge/);
    expect(result.verdicts.find((verdict) => verdict.guardrail === 'groundedness')).toMatchObject({
      action: 'rewrite',
    });
  });

  it('when nothing is supported then the answer is replaced', async () => {
    const result = await runOutputRails(rails, draft('Our gold account pays 9% interest with no fees.'));
    expect(result.blocked?.rule).toBe('groundedness.below_minimum');
    expect(result.finalText).toBe(policies.referralTexts.ungrounded);
  });

  it('when the composer declined honestly then the decline reaches the customer unchanged and uncited', async () => {
    const decline =
      "I'm sorry, I don't have information on insurance here. You can find it on the insurance page of our website, or by calling the number on the back of your card.";
    const declined = await runOutputRails(rails, draft(decline, { citations: [], declined: true }));
    expect(declined.blocked).toBeUndefined();
    expect(declined.finalText).toBe(decline);
    // The same words offered as an answer are a claim no passage supports.
    const answered = await runOutputRails(rails, draft(decline, { citations: [] }));
    expect(answered.blocked?.rule).toBe('groundedness.below_minimum');
  });
});

describe('rails sharing one run', () => {
  it('when groundedness rewrites and citations re-judge the text then each verdict equals the rail run on its own', async () => {
    const input = draft(
      'Sending money abroad by SWIFT is charged per payment. Premium customers get lounge access at airports. Payments usually arrive quickly.',
      { citations: [] },
    );
    const shared = await runOutputRails(rails, input);
    // The same rails one by one, each on a fresh input object, so nothing can be shared between them.
    let current: OutputRailInput = input;
    const alone = [];
    for (const rail of [...rails].sort((left, right) => left.cost - right.cost)) {
      const verdict = await rail.execute({ ...current }, new RailRun());
      alone.push(verdict);
      if (verdict.tripped && verdict.action === 'rewrite' && verdict.rewrittenText !== undefined)
        current = { ...current, answerText: verdict.rewrittenText };
    }
    expect(shared.verdicts).toEqual(alone);
    expect(shared.verdicts.map((verdict) => verdict.rule)).toEqual(
      expect.arrayContaining(['groundedness.unsupported_sentence_removed', 'citations.missing']),
    );
    expect(shared.finalText).toBe(current.answerText);
  });
});

describe('runner with output rails that answer now or later', () => {
  const passing = (name: string, cost: number): OutputGuardrail => ({
    name,
    stage: 'output',
    cost,
    execute: () => allow(name),
  });

  it('when an asynchronous rail rejects then it fails closed like a throwing one, after the synchronous rails', async () => {
    const errors: string[] = [];
    const rejecting: OutputGuardrail = {
      name: 'rejecting',
      stage: 'output',
      cost: 2,
      execute: async () => {
        throw new Error('detector unavailable');
      },
    };
    const result = await runOutputRails(
      [rejecting, passing('first', 1), passing('last', 3)],
      draft('Hello.'),
      {
        onError: (error) => errors.push(error.guardrail),
      },
    );
    expect(result.verdicts.map((verdict) => verdict.guardrail)).toEqual(['first', 'rejecting']);
    expect(result.blocked).toMatchObject({ rule: 'guardrail_execution_error', action: 'handoff' });
    expect(result.finalText).not.toContain('Hello');
    expect(errors).toEqual(['rejecting']);
  });

  it('when a synchronous rail rewrites then the next rail, synchronous or not, sees the rewrite', async () => {
    const seen: string[] = [];
    const rewriting: OutputGuardrail = {
      name: 'rewriting',
      stage: 'output',
      cost: 1,
      execute: () => ({
        guardrail: 'rewriting',
        tripped: true,
        action: 'rewrite',
        rewrittenText: 'Rewritten.',
      }),
    };
    const watching: OutputGuardrail = {
      name: 'watching',
      stage: 'output',
      cost: 2,
      execute: async (input) => {
        seen.push(input.answerText);
        return allow('watching');
      },
    };
    const result = await runOutputRails([watching, rewriting], draft('Original.'));
    expect(seen).toEqual(['Rewritten.']);
    expect(result.finalText).toBe('Rewritten.');
  });
});

describe('citations', () => {
  it('when a cited document was never retrieved then the answer is replaced', async () => {
    const result = await runOutputRails(
      rails,
      draft('Sending money abroad by SWIFT is charged per payment [1].', {
        citations: [{ documentId: 'made-up-policy' }],
      }),
    );
    expect(result.blocked?.rule).toBe('citations.not_retrieved');
  });

  it('when a policy statement has no citation then the source is appended', async () => {
    const result = await runOutputRails(
      rails,
      draft('Sending money abroad by SWIFT is charged per payment.', { citations: [] }),
    );
    expect(result.finalText).toContain('Source: International payments (version 2.1, Sending money abroad)');
  });
});

describe('banned phrases, leaks, foreign PII, disclosures and tone', () => {
  it('when a sentence promises a refund then it is removed and the rule recorded', async () => {
    const result = await runOutputRails(
      rails,
      draft('We will refund you today. Payments usually arrive within 2 working days [1].'),
    );
    expect(result.finalText).toBe('Payments usually arrive within 2 working days [1].');
    expect(result.verdicts.map((verdict) => verdict.rule)).toContain('advice.refund_promise');
  });

  it('when an answer repeats eight words of the system prompt then it is replaced', async () => {
    const rail = promptLeakRail(policies, {
      protectedTexts: [
        'You are a careful bank assistant. Never reveal account numbers of other customers and always cite the policy.',
      ],
    });
    const verdict = await rail.execute(
      draft('Sure: never reveal account numbers of other customers and always cite the policy.'),
      new RailRun(),
    );
    expect(verdict).toMatchObject({ tripped: true, action: 'refuse', rule: 'leak.prompt_fragment' });
  });

  it('when copied prompt words are interrupted before eight in a row then it is no leak, and a later run of eight is', async () => {
    const rail = promptLeakRail(policies, {
      protectedTexts: ['Never reveal account numbers of other customers and always cite the policy.'],
    });
    const interrupted = await rail.execute(
      draft('Never reveal account numbers of other people and always cite the policy.'),
      new RailRun(),
    );
    expect(interrupted.tripped).toBe(false);
    const copied = await rail.execute(
      draft('Never reveal account numbers. Of other customers and always cite the policy, of course.'),
      new RailRun(),
    );
    expect(copied).toMatchObject({ tripped: true, rule: 'leak.prompt_fragment' });
  });

  it('when an answer carries an internal marker then it is replaced', async () => {
    const verdict = await promptLeakRail(policies).execute(
      draft('Per my INTERNAL NOTES, fees are £15.'),
      new RailRun(),
    );
    expect(verdict).toMatchObject({ tripped: true, rule: 'leak.internal_marker' });
  });

  it('when a capitalised name comes from the passage then it is not taken for shouting', async () => {
    const passage = {
      ...fees,
      text: 'Payments by SWIFT, EXPRESSPAY or FASTPAY arrive within 2 working days.',
    };
    const result = await runOutputRails(
      rails,
      draft('EXPRESSPAY and FASTPAY payments arrive within 2 working days [1].', { passages: [passage] }),
    );
    expect(result.finalText).toContain('EXPRESSPAY and FASTPAY');
    const shouting = await runOutputRails(
      rails,
      draft('PAYMENTS USUALLY ARRIVE WITHIN 2 WORKING DAYS [1].', { passages: [passage] }),
    );
    expect(shouting.verdicts.find((verdict) => verdict.guardrail === 'tone')).toMatchObject({
      tripped: true,
    });
  });

  it('when an answer names another customer then that sentence is removed', async () => {
    const result = await runOutputRails(
      rails,
      draft(
        'Payments usually arrive within 2 working days [1]. Sending money abroad by SWIFT costs £15 per payment, as Jane Doe paid [1].',
      ),
    );
    expect(result.finalText).not.toContain('Jane Doe');
    expect(result.verdicts.map((verdict) => verdict.rule)).toContain('pii.foreign');
  });

  it('when the topic is savings then the FSCS line is appended exactly once', async () => {
    const savings = {
      ...fees,
      documentId: 'savings',
      product: 'savings',
      text: 'The Easy Saver pays 3.1% AER variable interest.',
    };
    const input = draft('The Easy Saver pays 3.1% AER variable interest [1].', {
      passages: [savings],
      citations: [{ documentId: 'savings' }],
      topic: 'savings',
    });
    const first = await runOutputRails(rails, input);
    expect(first.finalText.match(/FSCS/g)).toHaveLength(1);
    const second = await runOutputRails(rails, { ...input, answerText: first.finalText });
    expect(second.finalText.match(/FSCS/g)).toHaveLength(1);
  });

  it('when the answer shouts and spams emoji then it is calmed but acronyms stay', async () => {
    const result = await runOutputRails(
      rails,
      draft('PLEASE NOTE: SWIFT payments usually arrive within 2 WORKING DAYS [1] 🎉🎉🎉!!!'),
    );
    expect(result.finalText).toBe('please note: SWIFT payments usually arrive within 2 working days [1]!');
  });
});
