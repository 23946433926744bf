/**
 * Outcomes of the customer's own case ("your refund is approved", "the fee is waived for you",
 * "we have refunded the charge") are facts only the bank's systems can establish. A sentence
 * claiming one is kept only when a successful tool result of this turn states the same outcome;
 * otherwise it is removed, and an answer with nothing left is replaced. The patterns are policy
 * data (`outcome_claims`); conditionals ("if your claim is upheld, …") state policy, not an
 * outcome, and are left to the groundedness rail.
 */

import type { OutcomeClaimRule, PolicySet } from '../../policy/load-policies.js';
import type { PatternSet } from '../../text/pattern-set.js';
import { contentWords, removeSentences } from '../../text/sentences.js';
import { stem } from '../../text/stem.js';
import type { GuardrailVerdict } from '../../turn/types.js';
import { allow, type OutputGuardrail, type OutputRailInput } from '../types.js';
import { answerSentences } from './output-run.js';

const CONDITIONAL = /\b(?:if|when|whether|once|unless|until|after|before|can|may|might|could|would)\b/iu;

/** Stemmed words of every successful tool result: the outcomes the bank's systems reported. */
function reportedOutcomes(toolOutcomes: OutputRailInput['toolOutcomes']): Set<string> {
  const words = new Set<string>();
  for (const outcome of toolOutcomes) {
    if (outcome.status !== 'ok') continue;
    for (const fact of [...outcome.facts, outcome.message ?? '']) {
      for (const word of contentWords(fact)) words.add(word);
    }
  }
  return words;
}

/** The rule a sentence breaks, if any: an outcome claim whose outcome no tool reported. */
function brokenRule(
  sentence: string,
  claims: PatternSet<OutcomeClaimRule>,
  reported: ReadonlySet<string>,
): OutcomeClaimRule | undefined {
  // Most sentences claim no outcome at all: one pass over every claim pattern rules them out.
  if (CONDITIONAL.test(sentence) || !claims.mayMatch(sentence)) return undefined;
  return claims.items.find((rule) =>
    rule.patterns.some((pattern) => {
      const match = pattern.exec(sentence);
      if (!match) return false;
      // A pattern without an outcome word names a claim no tool can back ("we don't charge you").
      const outcome = match[1];
      return outcome === undefined || !reported.has(stem(outcome.toLowerCase()));
    }),
  );
}

/** Output rail removing claimed outcomes of the customer's case that no tool result supports. */
export function unsupportedOutcomesRail(policies: PolicySet): OutputGuardrail {
  return {
    name: 'unsupported_outcomes',
    stage: 'output',
    cost: 1,
    execute(input, run): GuardrailVerdict {
      if (policies.outcomeClaims.length === 0) return allow('unsupported_outcomes');
      const reported = reportedOutcomes(input.toolOutcomes);
      const fired: string[] = [];
      const kept = answerSentences(input, run).filter((sentence) => {
        const rule = brokenRule(sentence, policies.patternSets.outcomeClaims, reported);
        if (rule) fired.push(rule.id);
        return rule === undefined;
      });
      if (fired.length === 0) return allow('unsupported_outcomes');
      const rule = fired[0]!;
      const reason = `${fired.length} sentence(s) claim an outcome no tool result shows (${[...new Set(fired)].join(', ')})`;
      if (kept.length === 0) {
        return {
          guardrail: 'unsupported_outcomes',
          tripped: true,
          action: 'refuse',
          rule,
          reason,
          customerMessage: policies.referralTexts.ungrounded,
        };
      }
      return {
        guardrail: 'unsupported_outcomes',
        tripped: true,
        action: 'rewrite',
        rule,
        reason,
        rewrittenText: removeSentences(input.answerText, (sentence) => !kept.includes(sentence)),
      };
    },
  };
}
