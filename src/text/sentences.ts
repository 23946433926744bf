/**
 * Sentence and word helpers shared by the output rails. Deliberately simple and predictable:
 * answers are short customer-service prose, not literature.
 */

/** Splits an answer into sentences, keeping each sentence's own punctuation and list lines separate. */
export function splitSentences(text: string): string[] {
  return (
    text
      .split(/\n+/)
      .flatMap((line) => line.match(/[^.!?]+(?:[.!?]+(?=\s|$)|$)|[^\s][^.!?]*[.!?]+/g) ?? [])
      .map((sentence) => sentence.trim())
      // Decimal points and abbreviations ("£2.50", "e.g.") are rejoined below.
      .filter(Boolean)
      .reduce<string[]>((joined, sentence) => {
        const previous = joined.at(-1);
        if (previous && /\d\.$/.test(previous) && /^\d/.test(sentence))
          joined[joined.length - 1] = `${previous}${sentence}`;
        else if (previous && /\b(?:e\.g|i\.e|etc|approx|no)\.$/i.test(previous))
          joined[joined.length - 1] = `${previous} ${sentence}`;
        else joined.push(sentence);
        return joined;
      }, [])
  );
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
