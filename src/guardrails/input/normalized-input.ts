import { basicNormalize } from '../../text/normalize.js';
import { type PreparedText, prepareText } from '../../text/pattern-set.js';
import type { InputRailInput } from '../types.js';

interface Normalized {
  readonly text: string;
  readonly normalized: string;
  prepared?: PreparedText;
}

const normalizedByInput = new WeakMap<InputRailInput, Normalized>();

function normalizedEntry(input: InputRailInput): Normalized {
  const remembered = normalizedByInput.get(input);
  if (remembered && remembered.text === input.text) return remembered;
  const entry: Normalized = { text: input.text, normalized: basicNormalize(input.text) };
  normalizedByInput.set(input, entry);
  return entry;
}

/**
 * The detection-normalised text of an input rail's message (see `basicNormalize`), computed once
 * per turn: the runner hands every input rail the same input object, so the rails share one
 * normalisation instead of each redoing it. Held weakly, so it lives exactly as long as the turn's
 * input; the stored text guards against a caller reusing an object with a different message.
 */
export function normalizedMessage(input: InputRailInput): string {
  return normalizedEntry(input).normalized;
}

/** The normalised message prepared for case-insensitive policy patterns, also once per turn. */
export function preparedMessage(input: InputRailInput): PreparedText {
  const entry = normalizedEntry(input);
  entry.prepared ??= prepareText(entry.normalized);
  return entry.prepared;
}
