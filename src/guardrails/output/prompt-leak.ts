/**
 * Prompt and internal-note disclosure: an answer must never contain internal markers (from policy)
 * or a run of words copied from the system prompt or internal notes. Any leak replaces the answer;
 * partial redaction of a leak is not worth the risk.
 */
import type { GuardrailVerdict } from '../../pipeline/types.js';
import type { PolicySet } from '../policy/load-policies.js';
import { allow, type OutputGuardrail } from '../types.js';

export interface PromptLeakOptions {
  /** Texts that must never reach a customer: the system prompt, internal notes, tool instructions. */
  readonly protectedTexts?: readonly string[];
  /** Words in a row shared with a protected text that count as a leak. */
  readonly shingleSize?: number;
}

function shingles(text: string, size: number): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const result = new Set<string>();
  for (let index = 0; index + size <= words.length; index += 1)
    result.add(words.slice(index, index + size).join(' '));
  return result;
}

/** Output rail blocking answers that disclose the prompt or internal notes. */
export function promptLeakRail(
  policies: PolicySet,
  { protectedTexts = [], shingleSize = 8 }: PromptLeakOptions = {},
): OutputGuardrail {
  const protectedShingles = new Set(protectedTexts.flatMap((text) => [...shingles(text, shingleSize)]));
  return {
    name: 'prompt_leak',
    stage: 'output',
    cost: 1,
    execute({ answerText }): GuardrailVerdict {
      const marker = policies.internalMarkers.find((pattern) => pattern.test(answerText));
      const copied = [...shingles(answerText, shingleSize)].some((shingle) => protectedShingles.has(shingle));
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
