import { describe, expect, it } from 'vitest';
import { committedPolicies } from '../../testing/committed-policies.js';
import { CustomerMessage } from '../../turn/turn-context.js';
import type { GuardrailVerdict } from '../../turn/types.js';
import { RailRun } from '../rail-run.js';
import { abuseRail, THREAT_RULE } from './abuse.js';

// The shipped threat model once learnt "someone" and "to" as threat words (its mined positives pair
// a verb of violence with a person), so plain requests for help became urgent threat handoffs.
const rail = abuseRail(committedPolicies());
const ruleFor = (text: string): string | undefined =>
  (
    rail.execute(
      { message: new CustomerMessage(text), history: [], conversationId: 'c' },
      new RailRun(),
    ) as GuardrailVerdict
  ).rule;

describe('abuse rail with the shipped threat model', () => {
  it.each([
    'I need someone to help me',
    'I need someone to help me with my card',
    'can someone call me back',
    'my son needs someone to be guarantor',
    'does my daughter need someone to be guarantor for her car loan',
    'is there anybody who can explain this charge to me',
  ])('when a customer asks "%s" then it is not a threat handoff', (text) => {
    expect(ruleFor(text)).not.toBe(THREAT_RULE);
  });

  // Unknown or few words used to score the model's prior, just under its threshold.
  it.each(['to Budapest', 'and stop', 'i will', 'and on and on', 'qwertyuiop zxcvbnm'])(
    'when a customer writes only "%s" then it is not a threat handoff',
    (text) => {
      expect(ruleFor(text)).not.toBe(THREAT_RULE);
    },
  );

  it.each([
    'kill the card',
    'my card was stolen at gunpoint',
    'I was mugged at knifepoint, freeze everything',
    'terminate the direct debit to the gym',
    'this overdraft fee is murder',
  ])('when a customer reports or instructs "%s" then it is not a threat handoff', (text) => {
    expect(ruleFor(text)).not.toBe(THREAT_RULE);
  });

  it.each([
    'I will find the teller who did this and hurt him',
    'someone at your branch is going to get stabbed',
    'I am going to kill your manager',
  ])('when a customer writes "%s" then it is a threat handoff', (text) => {
    expect(ruleFor(text)).toBe(THREAT_RULE);
  });
});
