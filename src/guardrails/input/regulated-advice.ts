/**
 * Regulated advice: information about products is fine, a personal recommendation ("should I buy
 * bitcoin", "which mortgage is best for me") is not. Matching requests get the policy's referral
 * text, which says what Teller can explain and who can advise.
 */

import type { PolicySet } from '../../policy/load-policies.js';
import { findMatching } from '../../text/lowercase-matching.js';
import type { GuardrailVerdict } from '../../turn/types.js';
import { allow, type InputGuardrail } from '../types.js';
import { preparedMessage } from './normalized-input.js';

/** Input rail replacing requests for personal financial, tax, legal or pension advice with a referral. */
export function regulatedAdviceRail(policies: PolicySet): InputGuardrail {
  return {
    name: 'regulated_advice',
    stage: 'input',
    cost: 1,
    execute(input): GuardrailVerdict {
      const prepared = preparedMessage(input);
      for (const rule of policies.regulatedAdvice) {
        const hit = findMatching(rule.patterns, prepared);
        if (!hit) continue;
        return {
          guardrail: 'regulated_advice',
          tripped: true,
          action: 'refuse',
          rule: rule.id,
          reason: `asks for a personal recommendation /${hit.source}/`,
          customerMessage: policies.referralTexts[rule.referral],
        };
      }
      return allow('regulated_advice');
    },
  };
}
