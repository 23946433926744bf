import { stem } from './stem.js';
import { isStopWord } from './stop-words.js';

/**
 * Sentence and word helpers shared by the output rails, the composer, the chunker and handoff.
 * Deliberately simple and predictable: customer-service prose and policy text, not literature.
 */

/**
 * Words that end with a full stop without ending the sentence ("cards, e.g. Visa", "Mr. Smith").
 * "No." is handled apart: it is an abbreviation only before a number ("No. 2 is free").
 */
const ABBREVIATIONS = new Set([
  'e.g',
  'i.e',
  'mr',
  'mrs',
  'ms',
  'dr',
  'st',
  'vs',
  'approx',
  'cf',
  'incl',
  'ref',
]);

/** End punctuation, with any closing quotes or brackets, then the whitespace before the next sentence. */
const SENTENCE_END = /[.!?]+["'\u2019\u201d)\]]*\s+/g;
const LOWERCASE_START = /^\p{Ll}/u;

/**
 * The one sentence splitter. Splits each line (list lines and paragraphs stay apart) after `.`, `!`
 * or `?` followed by whitespace and a sentence start, keeping each sentence's own punctuation.
 * Never splits inside a number ("£1.50", "2.5%"), a URL or an e-mail address (no whitespace after
 * the dot), after an abbreviation ("e.g.", "i.e.", "Mr.") or before a lowercase word.
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const line of text.split(/\n+/)) {
    let start = 0;
    for (const end of line.matchAll(SENTENCE_END)) {
      const cut = end.index + end[0].length;
      const rest = line.slice(cut);
      if (rest.length === 0 || LOWERCASE_START.test(rest)) continue;
      if (continuesAfter(line.slice(start, end.index), rest)) continue;
      pushTrimmed(sentences, line.slice(start, cut));
      start = cut;
    }
    pushTrimmed(sentences, line.slice(start));
  }
  return sentences;
}

/** True when the full stop ending `before` belongs to an abbreviation, so the sentence goes on. */
function continuesAfter(before: string, rest: string): boolean {
  const lastWord = (/(\S+)$/.exec(before)?.[1] ?? '').toLowerCase().replace(/^[("'\u2018\u201c]+/, '');
  if (ABBREVIATIONS.has(lastWord)) return true;
  return lastWord === 'no' && /^\d/.test(rest);
}

function pushTrimmed(sentences: string[], sentence: string): void {
  const trimmed = sentence.trim();
  if (trimmed) sentences.push(trimmed);
}

const CITATION_MARKERS = /\s?\[\d{1,2}\]/g;
const HAS_CITATION_MARKER = /\[\d{1,2}\]/;

/** `sentence` with `markers` put before its closing punctuation ("… a fee [1]."). */
function withMarkers(sentence: string, markers: string): string {
  const end = /[.!?]+["')\]’”]*$/.exec(sentence);
  return end ? `${sentence.slice(0, end.index)}${markers}${end[0]}` : `${sentence}${markers}`;
}

/**
 * `text` without the sentences `remove` picks, keeping the rest as written: lines and paragraph
 * breaks stay where they were, and a kept sentence is never a fragment of a removed one. A removed
 * sentence's citation markers move to the kept sentence before it when that one has none, since a
 * citation at the end of a paragraph speaks for the sentences before it.
 */
export function removeSentences(text: string, remove: (sentence: string) => boolean): string {
  const lines = text.split('\n').flatMap((line) => {
    if (line.trim() === '') return [line];
    const kept: string[] = [];
    for (const sentence of splitSentences(line)) {
      if (!remove(sentence)) {
        kept.push(sentence);
        continue;
      }
      const markers = sentence
        .match(CITATION_MARKERS)
        ?.map((marker) => ` ${marker.trim()}`)
        .join('');
      const previous = kept.at(-1);
      if (markers && previous !== undefined && !HAS_CITATION_MARKER.test(previous))
        kept[kept.length - 1] = withMarkers(previous, markers);
    }
    return kept.length === 0 ? [] : [kept.join(' ')];
  });
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const WORD = /[\p{L}][\p{L}'-]*/gu;

/** Content words: lowercased, stop words dropped, each reduced to its {@link stem}. */
export function contentWords(text: string): Set<string> {
  const words = new Set<string>();
  for (const word of text.toLowerCase().match(WORD) ?? []) {
    if (word.length > 1 && !isStopWord(word)) words.add(stem(word));
  }
  return words;
}

/** Numbers, amounts and percentages as written ("£1,250.00", "3.5%", "14"), normalised without commas. */
export function numericTokens(text: string): string[] {
  return (text.match(/[£$€]?\d[\d,]*(?:\.\d+)?%?/g) ?? []).map((token) =>
    token.replace(/,/g, '').replace(/^[£$€]/, ''),
  );
}
