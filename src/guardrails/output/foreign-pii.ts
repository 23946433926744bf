/**
 * Foreign PII: an answer may mention the customer's own (already masked) details but no one
 * else's. Detection belongs to the privacy module; this rail takes its `findForeignPii` function
 * and removes every sentence that carries a finding (or replaces the answer when none is left).
 */

import type { PolicySet } from '../../policy/load-policies.js';
import type { GuardrailVerdict } from '../../turn/types.js';
import { allow, type OutputGuardrail } from '../types.js';
import { answerSentences } from './output-run.js';

/** A span of someone else's personal data, as reported by the privacy module. */
export interface ForeignPiiFinding {
  readonly entity: string;
  readonly start: number;
  readonly end: number;
}

export type FindForeignPii = (
  text: string,
) => readonly ForeignPiiFinding[] | Promise<readonly ForeignPiiFinding[]>;

/** Output rail removing sentences with another person's personal data. */
export function foreignPiiRail(policies: PolicySet, findForeignPii: FindForeignPii): OutputGuardrail {
  return {
    name: 'foreign_pii',
    stage: 'output',
    cost: 4,
    async execute(input, run): Promise<GuardrailVerdict> {
      const { answerText } = input;
      const findings = await findForeignPii(answerText);
      if (findings.length === 0) return allow('foreign_pii');
      const entities = [...new Set(findings.map((finding) => finding.entity))].join(', ');
      // Keep only sentences whose text carries no finding; judged per sentence, by re-running detection.
      const kept: string[] = [];
      for (const sentence of answerSentences(input, run)) {
        if ((await findForeignPii(sentence)).length === 0) kept.push(sentence);
      }
      if (kept.length === 0) {
        return {
          guardrail: 'foreign_pii',
          tripped: true,
          action: 'refuse',
          rule: 'pii.foreign',
          reason: `answer carries another person's data (${entities})`,
          customerMessage: policies.referralTexts.ungrounded,
        };
      }
      return {
        guardrail: 'foreign_pii',
        tripped: true,
        action: 'rewrite',
        rule: 'pii.foreign',
        reason: `removed sentence(s) carrying another person's data (${entities})`,
        rewrittenText: kept.join(' '),
      };
    },
  };
}
