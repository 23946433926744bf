/**
 * Prompt and internal-note disclosure: an answer must never contain internal markers (from policy)
 * or a run of words copied from the system prompt or internal notes. Any leak replaces the answer;
 * partial redaction of a leak is not worth the risk.
 */

import type { PolicySet } from '../../policy/load-policies.js';
import type { GuardrailVerdict } from '../../turn/types.js';
import { allow, type OutputGuardrail } from '../types.js';

export interface PromptLeakOptions {
  /** Texts that must never reach a customer: the system prompt, internal notes, tool instructions. */
  readonly protectedTexts?: readonly string[];
  /** Words in a row shared with a protected text that count as a leak. */
  readonly shingleSize?: number;
}

const WORD = /[\p{L}\p{N}]+/gu;

function wordsOf(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

function shingles(text: string, size: number): Set<string> {
  const words = wordsOf(text);
  const result = new Set<string>();
  for (let index = 0; index + size <= words.length; index += 1)
    result.add(words.slice(index, index + size).join(' '));
  return result;
}

/**
 * True when some run of `size` words of `text` is a protected shingle. A protected shingle is made
 * only of protected words, so only windows lying inside a run of protected words are joined and
 * looked up; the rest of the answer costs one set lookup per word.
 */
function copiesProtectedRun(
  text: string,
  size: number,
  protectedWords: ReadonlySet<string>,
  protectedShingles: ReadonlySet<string>,
): boolean {
  if (!Number.isInteger(size) || size < 1) {
    // Degenerate sizes keep the plain comparison, whose edge cases the run check does not mirror.
    return [...shingles(text, size)].some((shingle) => protectedShingles.has(shingle));
  }
  const words = wordsOf(text);
  let run = 0;
  for (let index = 0; index < words.length; index += 1) {
    run = protectedWords.has(words[index]!) ? run + 1 : 0;
    if (run >= size && protectedShingles.has(words.slice(index + 1 - size, index + 1).join(' '))) return true;
  }
  return false;
}

/** Output rail blocking answers that disclose the prompt or internal notes. */
export function promptLeakRail(
  policies: PolicySet,
  { protectedTexts = [], shingleSize = 8 }: PromptLeakOptions = {},
): OutputGuardrail {
  const protectedShingles = new Set(protectedTexts.flatMap((text) => [...shingles(text, shingleSize)]));
  const protectedWords = new Set([...protectedShingles].flatMap((shingle) => shingle.split(' ')));
  return {
    name: 'prompt_leak',
    stage: 'output',
    cost: 1,
    execute({ answerText }): GuardrailVerdict {
      const marker = policies.patternSets.internalMarkers.first(answerText)?.pattern;
      const copied = copiesProtectedRun(answerText, shingleSize, protectedWords, protectedShingles);
      if (!marker && !copied) return allow('prompt_leak');
      return {
        guardrail: 'prompt_leak',
        tripped: true,
        action: 'refuse',
        rule: marker ? 'leak.internal_marker' : 'leak.prompt_fragment',
        reason: marker
          ? `internal marker /${marker.source}/ in answer`
          : `${shingleSize}+ words copied from a protected text`,
        customerMessage: policies.referralTexts.ungrounded,
      };
    },
  };
}
