/**
 * Person names without a language model: trigger phrases customers actually use ("my name is",
 * "I'm", "this is ... speaking", greetings, sign-offs, titles) plus a given-name gazetteer for
 * "Firstname Surname" anywhere. Names must be capitalised; a stop list keeps "Hi Team" and
 * "Thanks Again" out.
 */
import type { Recognizer, RecognizerResult } from '../types.js';
import { AMBIGUOUS_FIRST_NAMES, FIRST_NAMES } from './first-names.js';

const WORD = String.raw`\p{Lu}\p{Ll}[\p{L}'’-]{0,23}`;
const NAME_SEQUENCE = String.raw`${WORD}(?: (?:\p{Lu}\.?(?= )|${WORD})){0,3}`;

/** Capitalised words that are not names even after "Hi" or "I'm". */
const STOP_WORDS = new Set(
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
  march april june july august september october november december english british american`.split(/\s+/),
);

function spell(phrase: string): string {
  return phrase
    .replace(/[a-z]/g, (letter) => `[${letter}${letter.toUpperCase()}]`)
    .replace(/ /g, '[ \\t]{1,3}');
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

const TRIGGER = new RegExp(
  String.raw`(?<![\p{L}'’])(?:(${STRONG.map(spell).join('|')})|(${TITLES.map(spell).join('|')})\.?|(${INTRODUCTIONS.map(spell).join('|')})|(${GREETINGS.map(spell).join('|')})|(${SIGN_OFFS.map(spell).join('|')}))[,:]?[ \t]{0,8}(?:\r?\n[ \t]{0,3})?(${NAME_SEQUENCE})`,
  'gu',
);

/** Text just before a capitalised run that marks it as part of an address. */
const STREET_CONTEXT =
  /(?:\d[\p{L}.,]{0,3}|\b(?:rue|via|vila|avenida|calle|rua|st\.?|saint|santa|san|port|ul\.)) $/iu;

const CAPITALISED_SEQUENCE = new RegExp(`(?<![\\p{L}'’])${NAME_SEQUENCE}`, 'gu');

/** Cuts a captured name at the first stop word; returns the kept words. */
function keepNameWords(sequence: string): string[] {
  const kept: string[] = [];
  for (const word of sequence.split(' ')) {
    if (STOP_WORDS.has(word.toLowerCase().replace(/['’.]/g, ''))) break;
    kept.push(word);
  }
  return kept;
}

function isKnownFirstName(word: string): boolean {
  const lower = word.toLowerCase();
  return FIRST_NAMES.has(lower) && !AMBIGUOUS_FIRST_NAMES.has(lower);
}

/** Builds the person-name recognizer. */
export function createPersonRecognizer(): Recognizer {
  const name = 'person';
  return {
    name,
    entities: ['PERSON'],
    context: ['name', 'called', 'mr', 'mrs', 'ms', 'signed'],
    applies: () => true,
    analyze(input) {
      const text = input.text;
      const results: RecognizerResult[] = [];
      TRIGGER.lastIndex = 0;
      for (let match = TRIGGER.exec(text); match !== null; match = TRIGGER.exec(text)) {
        const words = keepNameWords(match[6]!);
        if (words.length === 0) continue;
        const known = isKnownFirstName(words[0]!) || FIRST_NAMES.has(words[0]!.toLowerCase());
        let score: number;
        let kind: string;
        if (match[1] || match[2]) {
          score = 0.85;
          kind = match[1] ? 'self-introduction' : 'title';
        } else if (match[3]) {
          kind = 'introduction';
          score = known || words.length >= 2 ? 0.75 : 0.35;
        } else {
          kind = match[4] ? 'greeting' : 'sign-off';
          score = known || words.length >= 2 ? 0.75 : 0.55;
        }
        const start = match.index + match[0].length - match[6]!.length;
        const end = start + words.join(' ').length;
        results.push({
          entity: 'PERSON',
          start,
          end,
          score,
          recognizer: name,
          explanation: `${kind} phrase before a capitalised name`,
        });
      }
      CAPITALISED_SEQUENCE.lastIndex = 0;
      for (
        let match = CAPITALISED_SEQUENCE.exec(text);
        match !== null;
        match = CAPITALISED_SEQUENCE.exec(text)
      ) {
        // A capitalised run right after a house number or a street word is a street name ("12 Victor Hugo").
        const before = text.slice(Math.max(0, match.index - 12), match.index);
        if (STREET_CONTEXT.test(before)) continue;
        const all = match[0].split(' ');
        // Find the first known given name inside the sequence; the name runs from there.
        let offset = match.index;
        for (let index = 0; index < all.length; index++) {
          const word = all[index]!;
          const lower = word.toLowerCase();
          if (FIRST_NAMES.has(lower)) {
            const words = [word, ...keepNameWords(all.slice(index + 1).join(' '))].filter(
              (part) => part.length > 0,
            );
            const ambiguous = AMBIGUOUS_FIRST_NAMES.has(lower);
            const score = words.length >= 2 ? (ambiguous ? 0.5 : 0.65) : ambiguous ? 0 : 0.45;
            if (score > 0) {
              results.push({
                entity: 'PERSON',
                start: offset,
                end: offset + words.join(' ').length,
                score,
                recognizer: name,
                explanation:
                  words.length >= 2
                    ? 'known given name followed by a capitalised surname'
                    : 'known given name',
              });
            }
            break;
          }
          offset += word.length + 1;
        }
      }
      return results;
    },
  };
}
