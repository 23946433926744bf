/**
 * Abuse, threats and self-harm. Three different outcomes on purpose: insults get a calm boundary
 * (refusal), threats of violence go to a person (they may need reporting), and self-harm signals
 * are never refused — they become an urgent handoff with supportive text.
 */

import type { PolicySet } from '../../policy/load-policies.js';
import { findMatching } from '../../text/lowercase-matching.js';
import type { GuardrailVerdict } from '../../turn/types.js';
import { allow, type InputGuardrail } from '../types.js';
import { preparedMessage } from './normalized-input.js';

/** Rule id the handoff decision maps to an urgent vulnerability handoff. */
export const SELF_HARM_RULE = 'abuse.self_harm';
export const THREAT_RULE = 'abuse.threat';

/** Input rail for abusive language, threats toward staff and self-harm signals. */
export function abuseRail(policies: PolicySet): InputGuardrail {
  return {
    name: 'abuse',
    stage: 'input',
    cost: 1,
    execute(input): GuardrailVerdict {
      const prepared = preparedMessage(input);
      // Self-harm first: a distressed customer who also swears must reach a person, not a boundary message.
      const selfHarm = findMatching(policies.abuse.selfHarm, prepared);
      if (selfHarm) {
        return {
          guardrail: 'abuse',
          tripped: true,
          action: 'handoff',
          rule: SELF_HARM_RULE,
          reason: `self-harm signal /${selfHarm.source}/`,
          customerMessage: policies.referralTexts.self_harm,
        };
      }
      const threat = findMatching(policies.abuse.threats, prepared);
      if (threat) {
        return {
          guardrail: 'abuse',
          tripped: true,
          action: 'handoff',
          rule: THREAT_RULE,
          reason: `threat of violence /${threat.source}/`,
          customerMessage: policies.referralTexts.threat ?? policies.referralTexts.abuse,
        };
      }
      const insult = findMatching(policies.abuse.insults, prepared);
      if (insult) {
        return {
          guardrail: 'abuse',
          tripped: true,
          action: 'refuse',
          rule: 'abuse.insult',
          reason: `abusive language /${insult.source}/`,
          customerMessage: policies.referralTexts.abuse,
        };
      }
      return allow('abuse');
    },
  };
}
