import { basicNormalize } from '../normalize.js';
import type { InputRailInput } from '../types.js';

const normalizedByInput = new WeakMap<
  InputRailInput,
  { readonly text: string; readonly normalized: string }
>();

/**
 * The detection-normalised text of an input rail's message (see `basicNormalize`), computed once
 * per turn: the runner hands every input rail the same input object, so the rails share one
 * normalisation instead of each redoing it. Held weakly, so it lives exactly as long as the turn's
 * input; the stored text guards against a caller reusing an object with a different message.
 */
export function normalizedMessage(input: InputRailInput): string {
  const remembered = normalizedByInput.get(input);
  if (remembered && remembered.text === input.text) return remembered.normalized;
  const normalized = basicNormalize(input.text);
  normalizedByInput.set(input, { text: input.text, normalized });
  return normalized;
}
