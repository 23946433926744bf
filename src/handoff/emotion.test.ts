import { describe, expect, it } from 'vitest';
import { committedPolicies } from '../testing/committed-policies.js';
import { detectEmotion } from './emotion.js';

const policies = committedPolicies();

describe('detectEmotion shouting', () => {
  it.each([
    ['WHY IS MY CARD STILL BLOCKED', true],
    ['WHY IS MY CARD <CREDIT_CARD> STILL BLOCKED', true],
    ['ÉCOUTEZ, POURQUOI MA CARTE EST BLOQUÉE', true],
    ['Why is my card still blocked', false],
    ['WHY IS MY CARD still BLOCKED', false],
    ['WHY IS MY CARD <card_1a2b> BLOCKED', false],
    ['CARD BLOCKED', false],
  ])('when the message is %j then shouting is %s', (text, shouting) => {
    const emotion = detectEmotion(text, policies);
    expect(emotion.rule === 'emotion.shouting').toBe(shouting);
    if (shouting) expect(emotion).toMatchObject({ cue: 'anger', upset: true });
  });
});
