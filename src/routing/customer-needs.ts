/**
 * Needs that come before any topic: asking for a person, making a complaint, threatening
 * violence. Customers write these in their own way ("can u get me a humna", "ur service is
 * rubbish i want to complain", "i wanna stab you"), so this reads words, not fixed phrases:
 * slang is expanded, each word is matched to a small lexicon allowing one typo (by the text
 * toolkit's bounded edit distance), and a need is recognised from a combination (a person word
 * with a contact verb).
 * Every match says which words decided it.
 */
import type { LinearClassifier } from '../classifier/linear-classifier.js';
import { boundedDamerauLevenshtein } from '../text/edit-distance.js';
import { complaintByModel, defaultComplaintClassifier } from './complaint-model.js';

/** What the customer needs a person for. */
export type CustomerNeed = 'person' | 'complaint' | 'threat';

/** One recognised need with the words that decided it. */
export interface RecognisedNeed {
  readonly need: CustomerNeed;
  readonly cue: string;
}

const SLANG: Readonly<Record<string, string>> = {
  u: 'you',
  ya: 'you',
  yu: 'you',
  ur: 'your',
  yr: 'your',
  r: 'are',
  pls: 'please',
  plz: 'please',
  plse: 'please',
  wanna: 'want to',
  gonna: 'going to',
  gotta: 'got to',
  lemme: 'let me',
  gimme: 'give me',
  im: 'i am',
  ima: 'i am going to',
  imma: 'i am going to',
  cant: 'cannot',
  dont: 'do not',
  wont: 'will not',
  '2': 'to',
  ppl: 'people',
  sum1: 'someone',
  some1: 'someone',
  cust: 'customer',
  svc: 'service',
  srvc: 'service',
  hooman: 'human',
  spk: 'speak',
  tlk: 'talk',
  cn: 'can',
  callback: 'call back',
  thru: 'through',
  arent: 'are not',
  isnt: 'is not',
  wasnt: 'was not',
  werent: 'were not',
  didnt: 'did not',
  doesnt: 'does not',
  havent: 'have not',
  hasnt: 'has not',
  wouldnt: 'would not',
  couldnt: 'could not',
};

/** Words that name a person who could take over (strong: no other context needed). */
const PERSON_WORDS = [
  'human',
  'humans',
  'agent',
  'agents',
  'advisor',
  'adviser',
  'representative',
  'operator',
  'supervisor',
  'manager',
  'colleague',
  'employee',
  'staff',
  'rep',
  'consultant',
  'banker',
  'advisers',
  'advisors',
  'representatives',
  'operators',
  'managers',
  'supervisors',
  'colleagues',
  'employees',
  'reps',
] as const;

/** Words that name a person only after a contact verb ("talk to someone", not "someone stole"). */
const WEAK_PERSON_WORDS = ['someone', 'somebody', 'person', 'people', 'anyone', 'anybody', 'being'] as const;

/** Verbs of reaching or asking for a person; with a strong person word anywhere in the message. */
const CONTACT_WORDS = [
  'talk',
  'talking',
  'speak',
  'speaking',
  'chat',
  'chatting',
  'connect',
  'transfer',
  'put',
  'call',
  'phone',
  'ring',
  'contact',
  'reach',
  'escalate',
  'need',
  'want',
  'get',
  'give',
  'have',
  'like',
  'request',
  'requesting',
  'require',
  'prefer',
  'bring',
  'see',
  'deal',
  'hand',
  'please',
  'demand',
  'insist',
] as const;

/** Verbs that make "someone" or "a person" a request when they come just before it. */
const REACH_WORDS = [
  'talk',
  'speak',
  'chat',
  'connect',
  'put',
  'through',
  'call',
  'ring',
  'contact',
  'reach',
  'escalate',
  'hand',
  'over',
  'deal',
] as const;

/** Words before a person word that make it someone else's ("estate agent", "my manager"). */
const OTHER_PEOPLES: ReadonlySet<string> = new Set([
  'estate',
  'letting',
  'travel',
  'booking',
  'ticket',
  'my',
  'his',
  'her',
  'their',
  'our',
]);

/** Verbs that make "someone" a request when they come just after it ("can someone call me"). */
const CALLBACK_WORDS = ['call', 'ring', 'contact', 'speak', 'talk'] as const;

/** Words of a complaint or dissatisfaction. */
const COMPLAINT_WORDS = [
  'complain',
  'complaint',
  'complaints',
  'complaining',
  'unhappy',
  'dissatisfied',
  'unsatisfied',
  'disappointed',
  'unacceptable',
  'disgraceful',
  'disgusted',
  'appalling',
  'ombudsman',
  'outrageous',
  'shocking',
  'useless',
] as const;

/** Poor-service adjectives; a complaint when they describe the service or treatment. */
const POOR_WORDS = [
  'terrible',
  'awful',
  'horrible',
  'rubbish',
  'worst',
  'poor',
  'bad',
  'pathetic',
  'crap',
] as const;
const SERVICE_WORDS = ['service', 'treatment', 'support', 'bank', 'experience', 'help'] as const;

/** Violent acts; a threat when aimed at someone by the writer ("i will…", "i want to…"). */
const VIOLENCE_WORDS = [
  'kill',
  'stab',
  'shoot',
  'hurt',
  'murder',
  'strangle',
  'beat',
  'punch',
  'attack',
  'bomb',
  'burn',
  'slit',
  'smash',
] as const;

/**
 * The lexicon word a token stands for, tolerating one typo: two neighbouring letters swapped
 * (from four letters), or one letter added, dropped or changed in words of five letters or more
 * that keep the word's first and last letters ("persn", "humman", but not "managed" for "manager"
 * or "arent" for "agent"). A token that merely extends or shortens a word ("personal",
 * "advise") is a different word. `looseEnding` also lets the last letter of a word of six letters
 * or more be mistyped ("persom"): for words that count only with a contact verb beside them.
 */
function matchWord(
  token: string,
  lexicon: readonly string[],
  { looseEnding = false }: { readonly looseEnding?: boolean } = {},
): string | undefined {
  if (lexicon.includes(token)) return token;
  if (token.length < 4) return undefined;
  return lexicon.find((word) => {
    if (word.length < 4 || word.startsWith(token) || token.startsWith(word)) return false;
    if (token.length === word.length && isOneSwap(token, word)) return true;
    // In five-letter words only a changed vowel is a typo ("speek", "humen"); "staff" is left
    // exact because "stuff" is a word of its own.
    if (token.length === 5 && word.length === 5 && (word === 'staff' || !isVowelSwap(token, word)))
      return false;
    return (
      token.length >= 5 &&
      token[0] === word[0] &&
      (token.at(-1) === word.at(-1) || (looseEnding && token.length >= 6 && token.length === word.length)) &&
      boundedDamerauLevenshtein(token, word, 1) <= 1
    );
  });
}

function isVowelSwap(left: string, right: string): boolean {
  const differences = [...left].flatMap((letter, index) => (letter === right[index] ? [] : [index]));
  return (
    differences.length === 1 &&
    'aeiou'.includes(left[differences[0]!]!) &&
    'aeiou'.includes(right[differences[0]!]!)
  );
}

function isOneSwap(left: string, right: string): boolean {
  const differences: number[] = [];
  for (let index = 0; index < left.length; index += 1)
    if (left[index] !== right[index]) differences.push(index);
  const [first, second] = differences;
  return (
    differences.length === 2 &&
    second === first! + 1 &&
    left[first!] === right[second] &&
    left[second] === right[first!]
  );
}

/** Lower-cased words with slang expanded and apostrophes dropped ("can't" → "cant" → "cannot"). */
export function needWords(text: string): string[] {
  const words = text
    .toLowerCase()
    .replace(/[’‘`']/g, '')
    .match(/[a-z0-9]+/g);
  return (words ?? []).flatMap((word) => (SLANG[word] ?? word).split(' '));
}

function findPerson(words: readonly string[]): string | undefined {
  const text = words.join(' ');
  // "not a bot", "no more bots", "stop being a robot": someone who is not the assistant.
  const notBot =
    /\b(?:not|no more|stop being|isnt|instead of) (?:a |an |another |talking to a |with a )?(?:bot|bots|robot|chatbot|machine)\b/.exec(
      text,
    );
  if (notBot) return notBot[0];
  if (/^(?:transfer|connect) me(?: please| now)?$/.test(text)) return text;
  const hasContact = words.some((word) => matchWord(word, CONTACT_WORDS) !== undefined);
  for (const [index, word] of words.entries()) {
    const strong = matchWord(word, PERSON_WORDS);
    if (strong) {
      // Someone else's agent or the customer's own manager is not a request for one of ours.
      if (OTHER_PEOPLES.has(words[index - 1] ?? '') || OTHER_PEOPLES.has(words[index - 2] ?? '')) continue;
      // Otherwise a request needs a verb too, unless the message is little more than the word.
      if (hasContact || words.length <= 3) return strong;
      continue;
    }
    const weak = matchWord(word, WEAK_PERSON_WORDS, { looseEnding: true });
    if (!weak || words[index - 1] === 'in') continue;
    const before = words.slice(Math.max(0, index - 4), index);
    const after = words.slice(index + 1, index + 5);
    const reach = before.find((candidate) => matchWord(candidate, REACH_WORDS) !== undefined);
    const qualified = before.some((candidate) => ['real', 'actual', 'live', 'proper'].includes(candidate));
    const asked =
      !before.includes('not') &&
      /\b(?:need|want|get me|give me|have|would like|i like|prefer) (?:a |an |some )?(?:real |actual |proper )?$/.test(
        `${before.join(' ')} `,
      );
    const callsBack = after.some((candidate) => matchWord(candidate, CALLBACK_WORDS) !== undefined);
    // "get someone on the phone", "put a person on the line".
    const onTheLine =
      ['get', 'put', 'have'].includes(before.at(-1) ?? '') &&
      /^on (?:the )?(?:phone|line)\b/.test(after.join(' '));
    if (weak === 'being' && !qualified) continue;
    if (reach) return `${reach} … ${weak}`;
    if (onTheLine) return `${before.at(-1)} ${weak} ${after.slice(0, 3).join(' ')}`;
    if (qualified) return `${before.at(-1)} ${weak}`;
    if (asked && weak !== 'anyone' && weak !== 'anybody') return `${before.slice(-2).join(' ')} ${weak}`;
    if (callsBack && ['someone', 'somebody', 'anyone', 'anybody'].includes(weak))
      return `${weak} … ${after[0]}`;
    // "…a person please" at the end of the message, or a message that is little more than the word.
    if ((after.length === 1 && after[0] === 'please') || (words.length <= 4 && text.endsWith(weak)))
      return `${weak} please`;
  }
  return undefined;
}

function findComplaint(words: readonly string[]): string | undefined {
  for (const word of words) {
    const hit = matchWord(word, COMPLAINT_WORDS);
    if (hit) return hit;
  }
  for (const [index, word] of words.entries()) {
    const poor = matchWord(word, POOR_WORDS);
    if (!poor) continue;
    const near = words.slice(index + 1, index + 4).find((candidate) => matchWord(candidate, SERVICE_WORDS));
    if (near) return `${poor} ${near}`;
  }
  const text = words.join(' ');
  const phrase =
    /\b(?:not (?:happy|satisfied|pleased)|(?:make|file|lodge|raise|submit) an? (?:claim|complaint)|fed up)\b/.exec(
      text,
    );
  return phrase?.[0];
}

function findThreat(words: readonly string[]): string | undefined {
  const text = words.join(' ');
  for (const [index, word] of words.entries()) {
    const violence = matchWord(word, VIOLENCE_WORDS);
    if (!violence) continue;
    const before = words.slice(Math.max(0, index - 5), index).join(' ');
    // The writer intends it: "i will / i am going to / i want to / ill / i could …".
    const intends =
      /\bi (?:will|would|am going to|want to|could|shall|am about to|intend to|plan to)\b|\bill\b|\blet me\b/.test(
        before,
      );
    // Aimed at someone other than the writer (self-harm is the vulnerability path, not a threat).
    const after = words.slice(index + 1, index + 4);
    const aimed =
      !after.includes('myself') &&
      (after.length === 0 ||
        /\b(?:you|your|u|him|her|them|staff|the|everyone|everybody|someone|somebody|anyone|people|whoever|down|up)\b/.test(
          after.join(' '),
        ));
    if (intends && aimed) return `${before.split(' ').slice(-3).join(' ')} ${violence}`.trim();
  }
  const known = /\bi know where (?:you|your staff|they) (?:live|work)s?\b/.exec(text);
  return known?.[0];
}

/** What `recogniseNeeds` may be given besides the text. */
export interface RecogniseNeedsOptions {
  /**
   * The complaint model, for grievances written without complaint words. Defaults to the shipped
   * one; `null` reads the lexicon alone.
   */
  readonly complaintClassifier?: LinearClassifier | null;
}

/**
 * Every need the message expresses, in the order threat, person, complaint. A complaint is read
 * from the lexicon first, then from the complaint model.
 */
export function recogniseNeeds(text: string, options: RecogniseNeedsOptions = {}): RecognisedNeed[] {
  const clipped = text.slice(0, 4_000);
  const words = needWords(clipped);
  const needs: RecognisedNeed[] = [];
  const threat = findThreat(words);
  if (threat) needs.push({ need: 'threat', cue: threat });
  const person = findPerson(words);
  if (person) needs.push({ need: 'person', cue: person });
  const complaint = findComplaint(words);
  if (complaint) needs.push({ need: 'complaint', cue: complaint });
  else {
    const classifier =
      options.complaintClassifier === undefined ? defaultComplaintClassifier() : options.complaintClassifier;
    const byModel = classifier ? complaintByModel(clipped, classifier).cue : undefined;
    if (byModel) needs.push({ need: 'complaint', cue: byModel });
  }
  return needs;
}
