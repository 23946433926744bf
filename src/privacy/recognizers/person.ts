/**
 * Person names without a language model: trigger phrases customers actually use ("my name is",
 * "I'm", "this is ... speaking", greetings, sign-offs, titles) plus a given-name gazetteer for
 * "Firstname Surname" anywhere. Names must be capitalised; a list of words that are not names keeps "Hi Team" and
 * "Thanks Again" out.
 */
import type { Recognizer, RecognizerResult } from '../types.js';
import { AMBIGUOUS_FIRST_NAMES, FIRST_NAMES } from './first-names.js';

const WORD = String.raw`\p{Lu}\p{Ll}[\p{L}'’-]{0,23}`;
const NAME_SEQUENCE = String.raw`${WORD}(?: (?:\p{Lu}\.?(?= )|${WORD})){0,3}`;

/** Capitalised words that are not names even after "Hi" or "I'm". */
const NOT_NAMES = new Set(
  `a about abroad again all also am an and annoyed any anyone are as at available aware back bank being best but by calling can
  cannot card concerned confused could currently customer dear did do doing done everyone everybody fine folks following for
  frustrated from getting glad going good great guys had has have having hello help here hey hi how i if im in interested is
  it its just kind locked looking madam many me more morning my new no not now of ok okay on only or our please ready really
  regarding regards reply sir so sorry still stuck sure support team thank thanks that the their there these they this those
  to today travelling traveling trying unable upset urgent very waiting was we well were what when where which who why will
  with wondering worried writing yes yet you your account accounts street road avenue lane drive online mobile app service
  services savings credit debit visa mastercard apt apartment suite unit flat st terrace place way bypass lodge cliffs green
  park plaza square court crescent close gardens hill rd ave blvd lane ln dr drive extensions extension port saint santa
  rue via vila avenida calle street road avenue bridge station tower house building hotel inc ltd llc corp group company monday tuesday wednesday thursday friday saturday sunday january february
  march april june july august september october november december english british american tax council gas water energy
  electric electricity insurance mortgage loan rent bill bills united south north east west costa republic kingdom states
  island islands personal info information address phone email website fax office mobile desk date name`.split(
    /\s+/,
  ),
);

function phrases(list: readonly string[]): string {
  return list
    .map((phrase) => phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '[ \\t]{1,3}'))
    .join('|');
}

const STRONG = [
  'my full name is',
  "my name's",
  'my name is',
  'name is',
  'name:',
  'call me',
  'signed',
  'account holder:',
];
const TITLES = ['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'sir', 'dame'];
const INTRODUCTIONS = ["i'm", 'i’m', 'i am', 'im', 'this is'];
const GREETINGS = ['hi', 'hello', 'hey', 'dear', 'good morning', 'good afternoon', 'good evening'];
/** Phrases that introduce someone else: payees, relatives, people named in a request. */
const REFERENCES = [
  'beneficiary',
  'payee',
  'recipient',
  'on behalf of',
  'transfer to',
  'transferred to',
  'send money to',
  'sent money to',
  'pay',
  'paid',
  'named',
  'called',
  'my husband',
  'my wife',
  'my partner',
  'my son',
  'my daughter',
  'my mother',
  'my father',
  'my mum',
  'my mom',
  'my dad',
  'my brother',
  'my sister',
  'my friend',
  'my colleague',
  'my landlord',
  'my carer',
];

const SIGN_OFFS = [
  'many thanks',
  'thanks',
  'thank you',
  'kind regards',
  'best regards',
  'warm regards',
  'regards',
  'best wishes',
  'cheers',
  'best',
  'yours sincerely',
  'sincerely',
  'yours faithfully',
  'yours truly',
  'with thanks',
];

/**
 * Stage one, on the lower-cased text (no unicode classes, so fast): where a trigger phrase ends.
 * Stage two reads a capitalised name right there, on the original text, with a sticky regex.
 */
const TRIGGER = new RegExp(
  `(?<![a-z'’])(?:(${phrases(STRONG)})|(${phrases(TITLES)})\\.?|(${phrases(INTRODUCTIONS)})|(${phrases(GREETINGS)})|(${phrases(SIGN_OFFS)})|(${phrases(REFERENCES)}))[,:]?[ \\t]{0,8}(?:\\r?\\n[ \\t]{0,3})?(?=\\S)`,
  'g',
);

const NAME_AT = new RegExp(NAME_SEQUENCE, 'uy');

/** Text just before a capitalised run that marks it as part of an address. */
const STREET_CONTEXT =
  /(?:\d[\p{L}.,]{0,3}|\b(?:rue|via|vila|avenida|calle|rua|st\.?|saint|santa|san|port|ul\.)) $/iu;

const SIGN_OFF_LINE = new RegExp(`^[ \\t>?*-]*(?:${phrases(SIGN_OFFS)})[,.!]?[ \\t]*$`);

const NAME_LINE = new RegExp(String.raw`(?:^|\n)[ \t>?*-]{0,6}(${NAME_SEQUENCE})[ \t]*(?=\r?\n|$)`, 'gu');

/** Capitalised words, the slow way: used when lower-casing changed the text's length. */
const CAPITALISED_WORD = new RegExp(`(?<![\\p{L}'’])${WORD}`, 'gu');

function isWordCharacter(code: number): boolean {
  // ASCII letters, apostrophes and hyphens; anything beyond ASCII is treated as a letter here and
  // checked properly by the gazetteer (which only holds real names).
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    code === 39 ||
    code === 45 ||
    code === 0x2019 ||
    code > 0xbf
  );
}

/**
 * Capitalised words (upper-case letter, then lower-case) not preceded by a letter, found by a
 * plain character scan: about three times cheaper than a unicode regex, and it runs on every
 * message. Each word is then looked up in the gazetteer before any further work. Returned flat
 * as start, end, start, end... (one array per message rather than an object per word).
 */
function capitalisedWords(text: string, lower: string): number[] {
  const bounds: number[] = [];
  if (lower.length !== text.length) {
    CAPITALISED_WORD.lastIndex = 0;
    for (let match = CAPITALISED_WORD.exec(text); match !== null; match = CAPITALISED_WORD.exec(text)) {
      bounds.push(match.index, match.index + match[0].length);
    }
    return bounds;
  }
  let index = 0;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (!isWordCharacter(code)) {
      index++;
      continue;
    }
    const start = index;
    while (index < text.length && isWordCharacter(text.charCodeAt(index))) index++;
    // Upper-case first letter (it changes when lower-cased), lower-case second letter.
    if (
      index - start >= 2 &&
      text.charCodeAt(start) !== lower.charCodeAt(start) &&
      text.charCodeAt(start + 1) === lower.charCodeAt(start + 1)
    ) {
      bounds.push(start, index);
    }
  }
  return bounds;
}
const FOLLOWING_WORDS = new RegExp(String.raw`(?: (?:\p{Lu}\.?(?= )|${WORD})){1,3}`, 'uy');

/** Cuts a captured name at the first word that is not a name; returns the kept words. */
function keepNameWords(sequence: string): string[] {
  const kept: string[] = [];
  for (const word of sequence.split(' ')) {
    if (word.length === 0) continue;
    let key = word.toLowerCase();
    // The regex replace only where there is something to strip (most words have none).
    if (key.includes("'") || key.includes('’') || key.includes('.')) key = key.replace(/['’.]/g, '');
    if (NOT_NAMES.has(key)) break;
    kept.push(word);
  }
  return kept;
}

/** Lower-case words after "my name is" that describe the name rather than being one. */
const NOT_NAME_WORDS = new Set(
  `spelled spelt misspelled misspelt wrong incorrect missing different showing shown listed printed written
  changed changing correct right same still legally actually also definitely obviously under in being going
  there here again speaking calling writing back from about after before because but since though
  although unfortunately sadly anyway nothing none someone somebody nobody one two three`.split(/\s+/),
);

const LOWER_NAME_AT = /[a-z][a-z'’-]{1,23}(?: [a-z][a-z'’-]{1,23}){0,2}/y;

/** Whether a lower-case word could be part of a name: not a word that is never a name, not an -ing or -ly word. */
function couldBeNameWord(word: string): boolean {
  const key = word.replace(/['’]/g, '');
  return (
    key.length >= 2 &&
    !NOT_NAMES.has(key) &&
    !NOT_NAME_WORDS.has(key) &&
    !key.endsWith('ing') &&
    !key.endsWith('ly')
  );
}

/**
 * A name typed in lower case after a cue ("my name is john smith", "this is sarah"). After a
 * self-introduction ("my name is") any word that could be a name counts; after "this is" / "I'm"
 * the first word must be a given name from the gazetteer (and not also an everyday word), since
 * "this is ridiculous" is no name. Following words count while they could be names too.
 */
function lowerCaseName(
  lower: string,
  start: number,
  selfIntroduction: boolean,
  introduction: boolean,
): Omit<RecognizerResult, 'recognizer'> | undefined {
  if (!selfIntroduction && !introduction) return undefined;
  LOWER_NAME_AT.lastIndex = start;
  const found = LOWER_NAME_AT.exec(lower);
  if (!found) return undefined;
  const words: string[] = [];
  for (const word of found[0].split(' ')) {
    if (!couldBeNameWord(word)) break;
    words.push(word);
  }
  const first = words[0];
  if (first === undefined) return undefined;
  const known = FIRST_NAMES.has(first) && !AMBIGUOUS_FIRST_NAMES.has(first);
  if (!selfIntroduction && !known) return undefined;
  return {
    entity: 'PERSON',
    start,
    end: start + words.join(' ').length,
    score: known ? 0.8 : 0.6,
    explanation: selfIntroduction
      ? 'self-introduction phrase before a lower-case name'
      : 'introduction phrase before a lower-case known given name',
  };
}

/** Builds the person-name recognizer. */
export function createPersonRecognizer(): Recognizer {
  const recognizerName = 'person';
  return {
    name: recognizerName,
    entities: ['PERSON'],
    context: ['name', 'called', 'mr', 'mrs', 'ms', 'signed'],
    applies: () => true,
    analyze(input) {
      const text = input.text;
      const results: RecognizerResult[] = [];
      TRIGGER.lastIndex = 0;
      for (let match = TRIGGER.exec(input.lower); match !== null; match = TRIGGER.exec(input.lower)) {
        const start = match.index + match[0].length;
        NAME_AT.lastIndex = start;
        const name = NAME_AT.exec(text);
        if (!name) {
          const lowerName = lowerCaseName(input.lower, start, Boolean(match[1]), Boolean(match[3]));
          if (lowerName) results.push({ ...lowerName, recognizer: recognizerName });
          continue;
        }
        const words = keepNameWords(name[0]);
        if (words.length === 0) continue;
        const known = FIRST_NAMES.has(words[0]!.toLowerCase());
        let score: number;
        let kind: string;
        if (match[1] || match[2]) {
          score = 0.85;
          kind = match[1] ? 'self-introduction' : 'title';
        } else if (match[3]) {
          kind = 'introduction';
          score = known || words.length >= 2 ? 0.75 : 0.35;
        } else if (match[6]) {
          kind = 'reference';
          score = known || words.length >= 2 ? 0.65 : 0.35;
        } else {
          kind = match[4] ? 'greeting' : 'sign-off';
          // A lone unknown word counts only when the phrase ends with it ("Hi Vinicio," not "Hello, Reference 12").
          const alone = /^[ \t]*(?:[,.!?:;]|\r?\n|$)/.test(text.slice(start + words.join(' ').length));
          score = known || words.length >= 2 ? 0.75 : alone ? 0.55 : 0.35;
        }
        const end = start + words.join(' ').length;
        results.push({
          entity: 'PERSON',
          start,
          end,
          score,
          recognizer: recognizerName,
          explanation: `${kind} phrase before a capitalised name`,
        });
      }
      // A name alone on its line, as in signatures and address blocks ("Jane Doe\n12 High Street").
      if (input.text.includes('\n')) {
        NAME_LINE.lastIndex = 0;
        for (let line = NAME_LINE.exec(text); line !== null; line = NAME_LINE.exec(text)) {
          const words = line[1]!.split(' ');
          if (words.length < 2 || keepNameWords(line[1]!).length !== words.length) continue;
          // Only at the head of a block (start of text, after a blank line or a sign-off): further
          // down an address block the same shape is a town ("Grand Rapids").
          const before = text.slice(0, line.index).replace(/[ \t>?*-]*\r?\n?$/, '');
          const previousLine = before.slice(before.lastIndexOf('\n') + 1).toLowerCase();
          const headOfBlock =
            before.length === 0 || before.endsWith('\n') || SIGN_OFF_LINE.test(previousLine);
          if (!headOfBlock) continue;
          const start = line.index + line[0].indexOf(line[1]!);
          const known = FIRST_NAMES.has(words[0]!.toLowerCase());
          results.push({
            entity: 'PERSON',
            start,
            end: start + line[1]!.length,
            score: known ? 0.65 : 0.45,
            recognizer: recognizerName,
            explanation: 'capitalised name alone on its line',
          });
        }
      }
      const bounds = capitalisedWords(text, input.lower);
      for (let pair = 0; pair < bounds.length; pair += 2) {
        const wordStart = bounds[pair]!;
        const wordEnd = bounds[pair + 1]!;
        const lower = input.lower.slice(wordStart, wordEnd);
        if (!FIRST_NAMES.has(lower)) continue;
        // A capitalised run right after a house number or a street word is a street name ("12 Victor Hugo").
        if (STREET_CONTEXT.test(text.slice(Math.max(0, wordStart - 12), wordStart))) continue;
        FOLLOWING_WORDS.lastIndex = wordEnd;
        const following = FOLLOWING_WORDS.exec(text);
        const words = [text.slice(wordStart, wordEnd), ...keepNameWords(following ? following[0] : '')];
        const ambiguous = AMBIGUOUS_FIRST_NAMES.has(lower);
        const score = words.length >= 2 ? (ambiguous ? 0.5 : 0.65) : ambiguous ? 0 : 0.45;
        if (score === 0) continue;
        results.push({
          entity: 'PERSON',
          start: wordStart,
          end: wordStart + words.join(' ').length,
          score,
          recognizer: recognizerName,
          explanation:
            words.length >= 2 ? 'known given name followed by a capitalised surname' : 'known given name',
        });
      }
      return results;
    },
  };
}
