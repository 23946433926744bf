/**
 * Banned phrases from policy: financial advice, promises ("guaranteed", "we will refund",
 * "risk-free") and blaming language. A `remove` rule drops the sentence; a `refuse` rule, or an
 * answer with nothing left, replaces the whole answer.
 */

import type { PolicySet } from '../../policy/load-policies.js';
import { removeSentences } from '../../text/sentences.js';
import type { GuardrailVerdict } from '../../turn/types.js';
import { allow, type OutputGuardrail } from '../types.js';
import { answerSentences } from './output-run.js';

/** Output rail enforcing the policy's banned phrases. */
export function bannedPhrasesRail(policies: PolicySet): OutputGuardrail {
  return {
    name: 'banned_phrases',
    stage: 'output',
    cost: 1,
    execute(input, run): GuardrailVerdict {
      const sentences = answerSentences(input, run);
      const fired: string[] = [];
      let refuse = false;
      const kept = sentences.filter((sentence) => {
        // The first rule in order with a matching pattern; most sentences are ruled out in one pass.
        const rule = policies.patternSets.bannedPhrases.first(sentence)?.item;
        if (!rule) return true;
        fired.push(rule.id);
        if (rule.action === 'refuse') refuse = true;
        return false;
      });
      if (fired.length === 0) return allow('banned_phrases');
      const rule = fired[0]!;
      const reasons = [...new Set(fired)].map(
        (id) => `${id}: ${policies.bannedPhrases.find((candidate) => candidate.id === id)?.reason}`,
      );
      if (refuse || kept.length === 0) {
        return {
          guardrail: 'banned_phrases',
          tripped: true,
          action: 'refuse',
          rule,
          reason: reasons.join('; '),
          customerMessage: policies.referralTexts.ungrounded,
        };
      }
      return {
        guardrail: 'banned_phrases',
        tripped: true,
        action: 'rewrite',
        rule,
        reason: reasons.join('; '),
        rewrittenText: removeSentences(input.answerText, (sentence) => !kept.includes(sentence)),
      };
    },
  };
}
