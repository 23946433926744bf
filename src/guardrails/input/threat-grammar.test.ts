import { describe, expect, it } from 'vitest';
import { threatGrammarMatch } from './threat-grammar.js';

describe('threat grammar', () => {
  it.each([
    ['I will kill you', 'intent to harm a person'],
    ['ima stab the manager', 'intent to harm a person'],
    ['ill smash ur face in', 'harm to a person in a given way'],
    ['me and the lads are gonna beat up your cashier', 'intent to harm a person'],
    ['I will hunt you down', 'coming for a person'],
    ['I know where your manager lives', 'menace'],
    ['you’ll regret this', 'menace'],
    ["I'm going to kill myself and take your manager with me", 'menace'],
    ["there's a bomb in your Leeds branch", 'weapon or bomb at a branch'],
    ["I'll be outside your office with a baseball bat", 'weapon or bomb at a branch'],
    ['sort it or ur cashier gets a slap', 'harm to a person about to happen'],
    ["keep it up and you'll end up in a body bag", 'menace'],
    ['they should all be deported and then shot', 'call for violence against people'],
    ['hang them all', 'call for violence against people'],
    ["I'll fuck you up", 'intent to harm a person'],
    ["I'll blow the place up", 'weapon or bomb at a branch'],
    ['someone should shoot him', 'someone told to harm a person'],
    ['punch him in the face', 'someone told to harm a person'],
    ["I'd love to punch that manager", 'intent to harm a person'],
    ["they don't deserve to live", 'call for violence against people'],
    ['I hope your whole family dies', 'call for violence against people'],
  ])('when a customer writes "%s" then the grammar names it "%s"', (text, rule) => {
    expect(threatGrammarMatch(text)).toBe(rule);
  });

  // Violent words in ordinary banking: the object is a banking thing, the customer, or an errand.
  it.each([
    'kill the card',
    "I'll kill off the card",
    "I'm going to shoot down the direct debit",
    'the fraud is killing me',
    'my card was stolen at gunpoint',
    'shoot me an email',
    "I'll shoot you an email with the details",
    'my card got destroyed in the washing machine',
    "I'll beat you to it",
    "I'll cut you off if you put me on hold again",
    'someone is going to get hurt by these fees',
    'my dad will be in hospital next week, can I get power of attorney',
    "I'm bringing my wife to the branch to open a joint account",
    'can you line them up in order',
    'we need to get rid of all these old direct debits',
    'I need to be shot of this account',
    'that policy deserves to die',
    'I will find you the reference number',
    "I'll kick you out of my will",
    "I'm carrying a lot of debt",
    "I'm armed with my receipts",
    'someone should call me back',
    'someone needs to fix this app',
    'hit me up with the details',
    'just kill the card',
    'go and check my balance',
  ])('when a customer writes "%s" then the grammar finds no threat', (text) => {
    expect(threatGrammarMatch(text)).toBeUndefined();
  });
});
