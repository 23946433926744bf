import { describe, expect, it } from 'vitest';
import { recogniseNeeds } from './customer-needs.js';

const needsOf = (text: string) => recogniseNeeds(text).map((need) => need.need);

describe('recogniseNeeds', () => {
  it.each([
    ['can u get me a humna pls', 'person'],
    ['i wnat to speek to an agnet', 'person'],
    ['connect me with a real person', 'person'],
    ['not a bot, someone real please', 'person'],
    ['can someone ring me back', 'person'],
    ['Im unhappy with ur service need assistance to make a claim', 'complaint'],
    ['this is the worst service i have ever had', 'complaint'],
    ['I wanna stab you to death', 'threat'],
    ['ill find you and hurt you', 'threat'],
  ])('when a customer writes "%s" then it is recognised as %s', (text, need) => {
    expect(needsOf(text)).toContain(need);
  });

  it.each([
    'someone stole my card',
    'can I pay in at a branch in person',
    'what does an estate agent charge for a deposit transfer',
    'I need to update my personal details',
    'why arent my transfers going through',
    'my phone was stolen, please advise',
    'I am going to hurt myself',
    'the cash machine kept my card',
    'my account manager set up a standing order',
    'I want to make a claim',
    'need assistance to make a claim on my travel insurance',
  ])('when a customer writes "%s" then no need is recognised', (text) => {
    expect(needsOf(text)).toEqual([]);
  });

  it('when a need is recognised then the words that decided it are given', () => {
    expect(recogniseNeeds('speak to an agnet')[0]).toEqual({ need: 'person', cue: 'agent' });
  });
});
