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

/** Crude stemmer: enough to match "charges"/"charged"/"charge" and "transfers"/"transferring". */
export function stem(word: string): string {
  return word.replace(/(?:ing|ed|es|s)$/u, '').replace(/(.)\1$/u, '$1');
}

/** Content words (stemmed, lowercased, stopwords dropped). */
export function contentWords(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}][\p{L}'-]*/gu) ?? [];
  return new Set(words.filter((word) => word.length > 1 && !STOPWORDS.has(word)).map(stem));
}

/** Numbers, amounts and percentages as written ("£1,250.00", "3.5%", "14"), normalised without commas. */
export function numericTokens(text: string): string[] {
  return (text.match(/[£$€]?\d[\d,]*(?:\.\d+)?%?/g) ?? []).map((token) =>
    token.replace(/,/g, '').replace(/^[£$€]/, ''),
  );
}
