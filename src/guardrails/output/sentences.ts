/**
 * Sentence and word helpers shared by the output rails. Deliberately simple and predictable:
 * answers are short customer-service prose, not literature.
 */

/**
 * Sentence ends: terminal punctuation (and any closing quote or bracket) followed by whitespace or
 * the end of the line. A full stop with no space after it is never an end, so a URL
 * ("https://evil.example/login"), an e-mail address, a decimal ("£2.50") or a version ("3.0") is
 * never cut in two.
 */
const SENTENCE_END = /[.!?]+["')\]’”]*(?=\s|$)/g;

/** Abbreviations whose full stop does not end a sentence ("e.g. a SWIFT payment", "No. 5"). */
const ABBREVIATION_BEFORE = /(?:^|[\s(])(?:e\.g|i\.e|etc|approx|mr|mrs|ms|dr|st|vs|incl|ref|tel|ext)$/i;
/** "No." abbreviates "number" only when a number follows ("account No. 5"); else it is the word. */
const NUMBER_ABBREVIATION_BEFORE = /(?:^|[\s(])nos?$/i;

function splitLine(line: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  for (const end of line.matchAll(SENTENCE_END)) {
    const stop = end.index + end[0].length;
    const before = line.slice(start, end.index);
    const abbreviation =
      end[0] === '.' &&
      (ABBREVIATION_BEFORE.test(before) ||
        (NUMBER_ABBREVIATION_BEFORE.test(before) && /^\s*\d/.test(line.slice(stop))));
    if (abbreviation) continue;
    sentences.push(line.slice(start, stop));
    start = stop;
  }
  sentences.push(line.slice(start));
  return sentences.map((sentence) => sentence.trim()).filter(Boolean);
}

/** Splits an answer into sentences, keeping each sentence's own punctuation and list lines separate. */
export function splitSentences(text: string): string[] {
  return text.split(/\n+/).flatMap(splitLine);
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
    for (const sentence of splitLine(line)) {
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

const STOPWORDS = new Set(
  'a an the and or but if then than so of to in on at by for with from as is are was were be been being it its this that these those there here i you your yours we our us they them their he she his her my me do does did doing have has had having can could will would shall should may might must not no yes any all some each more most other such only own same too very just also into over under again further once about above below up down out off what which who whom when where why how please thanks thank hello hi let lets get got'.split(
    ' ',
  ),
);

const DOUBLED_END = /(.)\1$/u;
const WORD = /[\p{L}][\p{L}'-]*/gu;

/** Crude stemmer: enough to match "charges"/"charged"/"charge" and "transfers"/"transferring". */
export function stem(word: string): string {
  // Same result as `word.replace(/(?:ing|ed|es|s)$/u, '').replace(DOUBLED_END, '$1')`, without the regex
  // machinery on the common path: this runs for every word of every passage and answer.
  let stripped = word;
  if (word.endsWith('ing')) stripped = word.slice(0, -3);
  else if (word.endsWith('ed') || word.endsWith('es')) stripped = word.slice(0, -2);
  else if (word.endsWith('s')) stripped = word.slice(0, -1);
  const length = stripped.length;
  if (length < 2) return stripped;
  const last = stripped.charCodeAt(length - 1);
  // A surrogate means a letter outside the Basic Multilingual Plane: let the regex compare code points.
  if (last >= 0xd800 && last <= 0xdfff) return stripped.replace(DOUBLED_END, '$1');
  return stripped.charCodeAt(length - 2) === last ? stripped.slice(0, -1) : stripped;
}

/** Content words (stemmed, lowercased, stopwords dropped). */
export function contentWords(text: string): Set<string> {
  const words = new Set<string>();
  for (const word of text.toLowerCase().match(WORD) ?? []) {
    if (word.length > 1 && !STOPWORDS.has(word)) words.add(stem(word));
  }
  return words;
}

/** Numbers, amounts and percentages as written ("£1,250.00", "3.5%", "14"), normalised without commas. */
export function numericTokens(text: string): string[] {
  return (text.match(/[£$€]?\d[\d,]*(?:\.\d+)?%?/g) ?? []).map((token) =>
    token.replace(/,/g, '').replace(/^[£$€]/, ''),
  );
}
