/**
 * The one edit distance of the text toolkit: optimal-string-alignment distance (insertions,
 * deletions, substitutions and adjacent transpositions each cost 1), bounded so that a typo check
 * against a lexicon stops as soon as the words are too far apart. Used by retrieval's typo
 * correction and by the customer-needs recogniser's misspelling tolerance.
 */

/**
 * Optimal-string-alignment distance between `left` and `right`, abandoned as soon as every cell of
 * a row exceeds `limit`; returns `limit + 1` in that case.
 */
export function boundedDamerauLevenshtein(left: string, right: string, limit: number): number {
  if (Math.abs(left.length - right.length) > limit) return limit + 1;
  const width = right.length + 1;
  let previousPrevious = new Array<number>(width).fill(0);
  let previous = Array.from({ length: width }, (_, index) => index);
  let current = new Array<number>(width).fill(0);
  for (let row = 1; row <= left.length; row++) {
    current[0] = row;
    let rowMinimum = row;
    for (let column = 1; column <= right.length; column++) {
      const cost = left[row - 1] === right[column - 1] ? 0 : 1;
      let value = Math.min(previous[column]! + 1, current[column - 1]! + 1, previous[column - 1]! + cost);
      if (
        row > 1 &&
        column > 1 &&
        left[row - 1] === right[column - 2] &&
        left[row - 2] === right[column - 1]
      ) {
        value = Math.min(value, previousPrevious[column - 2]! + 1);
      }
      current[column] = value;
      if (value < rowMinimum) rowMinimum = value;
    }
    if (rowMinimum > limit) return limit + 1;
    [previousPrevious, previous, current] = [previous, current, previousPrevious];
  }
  return Math.min(previous[right.length]!, limit + 1);
}
