/** Dev figures of a binary classifier at a score threshold: recall, false-positive rate, accuracy. */
export function binaryDevMetrics(
  score: (text: string) => number,
  rows: ReadonlyArray<{ readonly text: string; readonly label: 0 | 1 }>,
  threshold = 0.5,
): { readonly recall: number; readonly falsePositiveRate: number; readonly accuracy: number } {
  let truePositives = 0;
  let positives = 0;
  let falsePositives = 0;
  let negatives = 0;
  let correct = 0;
  for (const row of rows) {
    const flagged = score(row.text) >= threshold;
    if (row.label === 1) {
      positives += 1;
      if (flagged) truePositives += 1;
    } else {
      negatives += 1;
      if (flagged) falsePositives += 1;
    }
    if (flagged === (row.label === 1)) correct += 1;
  }
  return {
    recall: positives === 0 ? 0 : truePositives / positives,
    falsePositiveRate: negatives === 0 ? 0 : falsePositives / negatives,
    accuracy: rows.length === 0 ? 0 : correct / rows.length,
  };
}
