/**
 * Citations: an answer that states policy (a sentence supported by a retrieved passage) must cite
 * it, and may only cite passages it was actually given. A missing citation is repaired by
 * appending the supporting sources; a citation of a document that was not retrieved is a
 * fabrication and replaces the answer.
 */

import type { PolicySet } from '../../policy/load-policies.js';
import type { GuardrailVerdict } from '../../turn/types.js';
import { allow, type OutputGuardrail } from '../types.js';
import { assessGroundedness } from './groundedness.js';

/** Output rail checking that policy statements carry citations of retrieved passages. */
export function citationRail(policies: PolicySet): OutputGuardrail {
  return {
    name: 'citations',
    stage: 'output',
    cost: 3,
    execute(input, run): GuardrailVerdict {
      const retrieved = new Set(input.passages.map((passage) => passage.documentId));
      const fabricated = input.citations.filter((citation) => !retrieved.has(citation.documentId));
      if (fabricated.length > 0) {
        return {
          guardrail: 'citations',
          tripped: true,
          action: 'refuse',
          rule: 'citations.not_retrieved',
          reason: `cites ${fabricated.length} document(s) that were not retrieved: ${fabricated.map((citation) => citation.documentId).join(', ')}`,
          customerMessage: policies.referralTexts.ungrounded,
        };
      }
      // A decline cites nothing on purpose: sources appended to it would read as an answer.
      if (input.citations.length > 0 || input.declined) return allow('citations');
      const report = assessGroundedness(input, policies.thresholds.sentence_support_minimum, undefined, run);
      const supportingPassages = [
        ...new Set(
          report.sentences
            .filter(
              (sentence) =>
                sentence.kind === 'claim' && sentence.supported && sentence.source?.kind === 'passage',
            )
            .map((sentence) => sentence.source!.index),
        ),
      ].map((index) => input.passages[index]!);
      if (supportingPassages.length === 0) return allow('citations');
      const sources = [
        ...new Map(supportingPassages.map((passage) => [passage.documentId, passage])).values(),
      ]
        .map((passage) => `${passage.title} (version ${passage.version}, ${passage.section})`)
        .join('; ');
      return {
        guardrail: 'citations',
        tripped: true,
        action: 'rewrite',
        rule: 'citations.missing',
        reason: `policy statement without citation; appended ${supportingPassages.length} source(s)`,
        rewrittenText: `${input.answerText}\n\nSource: ${sources}`,
      };
    },
  };
}
