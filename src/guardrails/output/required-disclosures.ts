/**
 * Required disclosures: for some topics policy demands a fixed line (lending → "information, not
 * advice" and representative APR; savings → FSCS protection). Appended when missing. The topic
 * comes from the turn, or from the products of the passages the answer rests on.
 */

import type { PolicySet } from '../../policy/load-policies.js';
import type { GuardrailVerdict } from '../../turn/types.js';
import { allow, type OutputGuardrail } from '../types.js';

/** Output rail appending the disclosures a topic requires. */
export function requiredDisclosuresRail(policies: PolicySet): OutputGuardrail {
  return {
    name: 'required_disclosures',
    stage: 'output',
    // Last: disclosures are added to the final text, after other rails have trimmed it.
    cost: 10,
    execute({ answerText, topic, passages, citations }): GuardrailVerdict {
      // Only passages the answer actually cites speak for its topic; merely retrieved ones do not.
      const cited = passages.filter((passage) =>
        citations.some((citation) => citation.documentId === passage.documentId),
      );
      const topics = new Set(
        [topic, ...cited.map((passage) => passage.product)].filter((value): value is string =>
          Boolean(value),
        ),
      );
      const missing = policies.requiredDisclosures.filter(
        (rule) =>
          rule.topics.some((candidate) => topics.has(candidate)) &&
          !rule.presentWhen.some((pattern) => pattern.test(answerText)) &&
          !answerText.includes(rule.text),
      );
      if (missing.length === 0) return allow('required_disclosures');
      return {
        guardrail: 'required_disclosures',
        tripped: true,
        action: 'rewrite',
        rule: missing[0]!.id,
        reason: `appended ${missing.map((rule) => rule.id).join(', ')} for topic(s) ${[...topics].join(', ')}`,
        rewrittenText: `${answerText}\n\n${missing.map((rule) => rule.text).join('\n')}`,
      };
    },
  };
}
