import { describe, expect, it } from 'vitest';
import { committedPolicies } from '../../testing/committed-policies.js';
import { CustomerMessage } from '../../turn/turn-context.js';
import type { GuardrailVerdict } from '../../turn/types.js';
import { RailRun } from '../rail-run.js';
import { regulatedAdviceRail } from './regulated-advice.js';

const rail = regulatedAdviceRail(committedPolicies());
const verdictFor = (text: string) =>
  rail.execute(
    { message: new CustomerMessage(text), history: [], conversationId: 'c' },
    new RailRun(),
  ) as GuardrailVerdict;

describe('regulated advice rail with the shipped policies and model', () => {
  it.each([
    'will bitcoin go up next year?',
    'do you think tesla shares will recover',
    'would you buy nvidia at this price',
    "what's your top pick for this year",
    "I've got 20k sitting in my current account, what should I do with it",
    'where is the safest place for my life savings',
    'tell me whether to remortgage now',
    'is it time I moved my savings out of cash',
    'should I move my savings to premium bonds',
    'is it crazy to put everything in one tech company',
  ])('when a customer asks "%s" then it is referred, not answered', (text) => {
    const verdict = verdictFor(text);
    expect(verdict.tripped).toBe(true);
    expect(verdict.action).toBe('refuse');
  });

  // What the bank offers and how its products work is information, not a recommendation.
  it.each([
    'can I buy shares with you',
    'what is an ISA',
    "why can't I buy cryptocurrency on the app?",
    'can I buy bitcoin through you?',
    'how much can I put into an ISA each year',
    'how do I move my savings into my current account',
    'what should I do with my old card',
  ])('when a customer asks "%s" then it is not refused', (text) => {
    expect(verdictFor(text).tripped).toBe(false);
  });
});
