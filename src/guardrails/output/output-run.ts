/**
 * Work shared by the output rails of one run over one draft. The groundedness and citation rails
 * judge the same answer sentences against the same passages and tool facts; the runner opens a
 * run per draft and ties each input it hands a rail (the first, and every rewrite) to it, so the
 * second rail finds what the first worked out. The table lives as long as the run's inputs, so
 * nothing carries over from one turn to the next. A rail executed on its own (outside
 * `runOutputRails`) finds no run and simply works everything out itself.
 */

import { splitSentences } from '../../text/sentences.js';
import type { OutputRailInput } from '../types.js';

type RunTable = Map<string, unknown>;

const runs = new WeakMap<object, RunTable>();

/** Starts a run for `input`: returns the object to hand the first rail. */
export function openOutputRun(input: OutputRailInput): OutputRailInput {
  // A copy of our own, so two runs never share a table even if a caller reuses one input object.
  const own = { ...input };
  runs.set(own, new Map());
  return own;
}

/** `next` (a rewrite of `previous`) belongs to the same run. */
export function continueOutputRun(previous: OutputRailInput, next: OutputRailInput): OutputRailInput {
  const table = runs.get(previous);
  if (table) runs.set(next, table);
  return next;
}

/**
 * The value stored under `key` for the run `input` belongs to, computing it on first use. Values
 * must depend only on what a rewrite leaves alone (passages, tool outcomes, citations, policy).
 */
export function sharedInRun<Value>(input: object, key: string, compute: () => Value): Value {
  const table = runs.get(input);
  if (!table) return compute();
  if (table.has(key)) return table.get(key) as Value;
  const value = compute();
  table.set(key, value);
  return value;
}

/** `splitSentences(input.answerText)`, split once per text in a run. Treat the result as read-only. */
export function answerSentences(input: Pick<OutputRailInput, 'answerText'>): readonly string[] {
  const byText = sharedInRun(input, 'answer.sentences', () => new Map<string, readonly string[]>());
  let sentences = byText.get(input.answerText);
  if (sentences === undefined) {
    sentences = splitSentences(input.answerText);
    byText.set(input.answerText, sentences);
  }
  return sentences;
}
