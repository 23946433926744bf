import { describe, expect, it } from 'vitest';
import { createDefaultToolRegistry } from '../tools/default-tools.js';
import { routeToToolCall } from '../tools/to-tool-call.js';
import { createIntentRouter, loadBuiltInExamples } from './intent-router.js';
import { TRAINED_INTENTS } from './intents.js';

const router = createIntentRouter({ now: () => new Date('2026-05-20T12:00:00Z') });
const registry = createDefaultToolRegistry();

describe('IntentRouter', () => {
  it('when built then every trained intent has at least 25 committed examples', () => {
    const examples = loadBuiltInExamples();
    for (const intent of TRAINED_INTENTS) {
      expect(examples.filter((example) => example.label === intent).length, intent).toBeGreaterThanOrEqual(
        25,
      );
    }
  });

  it('when trained at start-up then it takes well under a second of CPU', () => {
    // CPU time rather than wall time: the figure should not depend on what else the machine runs.
    const before = process.cpuUsage();
    createIntentRouter();
    const used = process.cpuUsage(before);
    expect((used.user + used.system) / 1000).toBeLessThan(800);
  });

  // Phrasings not in examples.yaml, so this measures generalisation, not memory.
  it.each([
    ['how much did I fork out at Tesco last week?', 'recent_transactions'],
    ['has my wage arrived', 'recent_transactions'],
    ['could you freeze my debit card please', 'freeze_card'],
    ['I found it, please unlock my card', 'unfreeze_card'],
    ['someone nicked my credit card', 'report_card_lost'],
    ['how much money is in my current account', 'account_balance'],
    ['which direct debits come out of my account', 'scheduled_payments'],
    ['I have no idea what this payment is', 'dispute_transaction'],
    ['what is the fee for withdrawing cash abroad', 'knowledge.fees'],
    ['I need to talk to a person', 'handoff_request'],
    ['what mobile number do you hold for me', 'contact_details'],
    ['are my cards active', 'card_status'],
  ])('when "%s" then %s', (text, intent) => {
    expect(router.route(text).intent).toBe(intent);
  });

  it('when the message is unrelated to banking then the intent is unknown', () => {
    expect(router.route('can you recommend a good pizza topping').intent).toBe('unknown');
  });

  it('when routed then alternatives are ordered and confidences are probabilities', () => {
    const result = router.route('freeze my card');
    expect(result.confidence).toBeGreaterThan(0.5);
    expect(result.alternatives).toHaveLength(3);
    expect(result.alternatives[0]!.confidence).toBeGreaterThanOrEqual(result.alternatives[1]!.confidence);
    expect(
      result.confidence + result.alternatives.reduce((sum, item) => sum + item.confidence, 0),
    ).toBeLessThanOrEqual(1.000001);
  });
});

describe('routeToToolCall', () => {
  it('when a spending question is routed then the call carries only the tool-declared arguments', () => {
    const routed = routeToToolCall(
      router.route('what did I spend at Tesco last week with my debit card?'),
      registry,
    );
    expect(routed).toEqual({
      kind: 'call',
      call: {
        name: 'recent_transactions',
        arguments: { from: '2026-05-11', to: '2026-05-17', merchant: 'Tesco', direction: 'out' },
      },
    });
  });

  it('when a dispute names no transaction then the customer is asked which one', () => {
    const routed = routeToToolCall(router.route("I don't recognise a payment"), registry);
    expect(routed).toMatchObject({
      kind: 'needs_information',
      tool: 'dispute_transaction',
      missing: ['transactionRef'],
    });
  });

  it('when the intent is a knowledge topic then no tool is called', () => {
    expect(routeToToolCall(router.route('what is section 75'), registry)).toEqual({ kind: 'not_a_tool' });
  });
});
