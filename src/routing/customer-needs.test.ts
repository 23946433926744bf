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
    ['i need to talk to a real persom', 'person'],
    ['could you get somebody on the line for me', 'person'],
    ['put someone on the phone please', 'person'],
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
    'someone on the phone asked for my card number',
    'my personal account',
    // Redaction placeholders are values, not words: their labels ("email", "address") are no grievance.
    'And my other one is <EMAIL_ADDRESS_2>, and <EMAIL_ADDRESS_1> again',
  ])('when a customer writes "%s" then no need is recognised', (text) => {
    expect(needsOf(text)).toEqual([]);
  });

  it('when a need is recognised then the words that decided it are given', () => {
    expect(recogniseNeeds('speak to an agnet')[0]).toEqual({ need: 'person', cue: 'agent' });
  });
});

describe('recogniseNeeds with the complaint model', () => {
  it('when a grievance is told without complaint words then the shipped model recognises a complaint', () => {
    const text =
      'I paid the balance of my car loan in full in January and the lender is still reporting me as late on my credit file, I sent them the statement twice and they ignored it';
    const complaint = recogniseNeeds(text).find((need) => need.need === 'complaint');
    expect(complaint?.cue).toMatch(/^complaint model \d\.\d\d/);
    expect(recogniseNeeds(text, { complaintClassifier: null })).toEqual([]);
  });

  it.each([
    'Hello, I am moving to Germany in the autumn for a new job. Can I keep my account and card here, and what happens with my direct debits while I am away?',
    'My card was declined at the shop this morning but the app shows plenty of money, could you check whether something is blocking it?',
  ])('when a long question is calm then no complaint is recognised: "%s"', (text) => {
    expect(needsOf(text)).toEqual([]);
  });
});
