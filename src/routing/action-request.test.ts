import { describe, expect, it } from 'vitest';
import { asksForAction, notARequestReason } from './action-request.js';
import { createIntentRouter } from './intent-router.js';

describe('asksForAction', () => {
  it.each([
    ['freeze_card', 'block both my cards please'],
    ['freeze_card', 'could you lock the card ending <CREDIT_CARD_1> for me'],
    ['unfreeze_card', 'switch my debit card back on'],
    ['report_card_lost', "I've lost my card and if I don't get a new one by Friday I can't pay rent"],
    ['dispute_transaction', 'that payment is not mine, dispute it'],
  ])('when the message asks for %s ("%s") then it is a request', (intent, text) => {
    expect(notARequestReason(text, intent)).toBeUndefined();
  });

  it.each([
    ['freeze_card', 'freeze her card', 'not_own_card'],
    ['freeze_card', 'is it worth freezing my card?', 'no_action_verb'],
    ['freeze_card', 'how do I block my card from gambling sites', 'question_about_how'],
    ['freeze_card', 'never freeze my card without asking me', 'negated'],
    ['freeze_card', 'my sound card froze and my laptop crashed', 'no_action_verb'],
    ['freeze_card', 'lock my graphics card fan speed', 'other_kind_of_card'],
    ['unfreeze_card', 'I unblocked my card already', 'no_action_verb'],
    ['report_card_lost', 'what if I lose my card on holiday', 'past_or_hypothetical'],
    ['report_card_lost', 'I found the card I had lost', 'past_or_hypothetical'],
  ])('when %s is only mentioned ("%s") then it is not a request (%s)', (intent, text, reason) => {
    expect(notARequestReason(text, intent)).toBe(reason);
  });

  it('when the intent only reads then it is never gated', () => {
    expect(asksForAction('anything at all', 'account_balance')).toBe(true);
  });
});

describe('IntentRouter and state changes', () => {
  const router = createIntentRouter({ now: () => new Date('2026-11-25T10:00:00Z') });

  it('when a question about freezing reaches the classifier then the freeze is set aside with its reason', () => {
    const route = router.route("What's a card freeze, exactly?");
    expect(route.intent).not.toBe('freeze_card');
    expect(route.setAside).toEqual({ intent: 'freeze_card', reason: 'question_about_how' });
  });

  it('when the customer asks to freeze then the router still says freeze_card', () => {
    expect(router.route('please freeze my debit card').intent).toBe('freeze_card');
  });
});
