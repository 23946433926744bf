/**
 * Checks of an answer's figures against the documents it rests on: every £ amount and percentage
 * must appear verbatim in a cited document (or a compliance disclosure appended by the output
 * rails), and no figure that only a retired, draft or future document states may appear at all.
 */
import type { HarnessDocument } from '../framework/teller-harness.js';

const FIGURE = /£\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:million|m|bn))?|\d+(?:\.\d+)?\s?%/gi;

/** The £ amounts and percentages of a text, as written (spaces normalised away). */
export function figuresOf(text: string): string[] {
  return [...text.matchAll(FIGURE)].map((match) =>
    match[0].replace(/\s+/g, '').replace(/[.,]$/, '').toLowerCase(),
  );
}

/** True when `figure` occurs in `text` as a whole figure ("£15" is not found inside "£150"). */
function containsFigure(text: string, figure: string): boolean {
  const escaped = figure.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\d.,])${escaped}(?![\\d]|[.,]\\d)`).test(text);
}

/** The figures of `answer` that none of the supporting texts contains verbatim. */
export function unsupportedFigures(answer: string, supportingTexts: readonly string[]): string[] {
  // Spaces go (so "£ 15" reads as "£15"), except after a comma: "year 1, 4% in year 2" must not
  // read as the number "1,4%".
  const support = supportingTexts
    .join('\n')
    .replace(/(?<!,)\s+/g, '')
    .toLowerCase();
  return [...new Set(figuresOf(answer))].filter((figure) => !containsFigure(support, figure));
}

/** The figures of `figures` that `text` contains as whole figures. */
export function figuresFoundIn(text: string, figures: Iterable<string>): string[] {
  const compact = text.replace(/(?<!,)\s+/g, '').toLowerCase();
  return [...figures].filter((figure) => containsFigure(compact, figure));
}

/**
 * Figures stated by documents that are not in force today and by no in-force document: if one of
 * them reaches a customer, an out-of-force document leaked into an answer.
 */
export function outOfForceOnlyFigures(documents: Iterable<HarnessDocument>): Map<string, string> {
  const inForce = new Set<string>();
  const outOfForce = new Map<string, string>();
  for (const document of documents) {
    for (const figure of figuresOf(document.body)) {
      if (document.inForce) inForce.add(figure);
      else if (!outOfForce.has(figure)) outOfForce.set(figure, `${document.id}@${document.version}`);
    }
  }
  for (const figure of inForce) outOfForce.delete(figure);
  return outOfForce;
}

/** True when the text says Teller cannot answer rather than answering (one rule for Teller and its evals). */
export { isHonestDontKnow } from '../../src/text/honest-decline.js';
