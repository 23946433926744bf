/**
 * Work the output rails of one run share about the draft answer. A rewrite changes the answer text
 * within a run, so sentences are kept per text; the run itself (see `RailRun`) ends with the draft.
 */

import { splitSentences } from '../../text/sentences.js';
import { type RailRun, runSlot } from '../rail-run.js';
import type { OutputRailInput } from '../types.js';

const SENTENCES_BY_TEXT = runSlot<Map<string, readonly string[]>>('answer.sentences');

/** `splitSentences(input.answerText)`, split once per text in a run. Treat the result as read-only. */
export function answerSentences(input: Pick<OutputRailInput, 'answerText'>, run: RailRun): readonly string[] {
  const byText = run.shared(SENTENCES_BY_TEXT, () => new Map<string, readonly string[]>());
  let sentences = byText.get(input.answerText);
  if (sentences === undefined) {
    sentences = splitSentences(input.answerText);
    byText.set(input.answerText, sentences);
  }
  return sentences;
}
