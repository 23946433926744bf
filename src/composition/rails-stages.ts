import type { Guardrails } from '../guardrails/create-guardrails.js';
import { foreignPiiRail } from '../guardrails/output/foreign-pii.js';
import { runInputRails, runOutputRails } from '../guardrails/runner.js';
import type { GuardrailExecutionError } from '../guardrails/types.js';
import type { Logger } from '../observability/logger.js';
import type { PolicySet } from '../policy/load-policies.js';
import type { PrivacyGuard } from '../privacy/guard.js';
import type { InputRailsStage, OutputRailsStage } from '../turn/stages.js';

/**
 * The foreign-PII rail needs the turn's conversation, so the shared rail list carries a version that
 * refuses to run unbound; `outputRailsStage` swaps in a per-turn one. Forgetting the swap fails closed.
 */
export const unboundFindForeignPii = (): never => {
  throw new Error('foreign PII detection must be bound to a conversation');
};

function logCrash(logger: Logger) {
  return (error: GuardrailExecutionError) =>
    logger.error('guardrail crashed', { guardrail: error.guardrail, kind: error.name });
}

/** Input rails from the guardrails module; a crashed rail becomes a blocking verdict (fail closed). */
export function inputRailsStage(guardrails: () => Guardrails, logger: Logger): InputRailsStage {
  return {
    async check(input) {
      const result = await runInputRails(guardrails().input, input, { onError: logCrash(logger) });
      return { verdicts: result.verdicts, ...(result.blocked && { blocked: result.blocked }) };
    },
  };
}

/** Output rails on every draft, whichever generator wrote it. */
export function outputRailsStage(options: {
  readonly guardrails: () => Guardrails;
  readonly policies: () => PolicySet;
  readonly privacy: PrivacyGuard;
  readonly logger: Logger;
}): OutputRailsStage {
  return {
    async check(input) {
      // Published policy text (the bank's own phone numbers) and tool facts (the customer's own
      // masked details, authorized in code) are not someone else's data.
      const sources = [
        ...input.passages.map((passage) => passage.text),
        ...input.toolOutcomes.flatMap((outcome) => [...outcome.facts, outcome.message ?? '']),
      ].join('\n');
      const findForeignPii = async (text: string) =>
        (await options.privacy.findForeignPii(input.conversationId, text)).filter(
          (finding) => !sources.includes(text.slice(finding.start, finding.end)),
        );
      // Disclosures follow what the answer is about: the product of the documents it cites, or the
      // router's topic for model-written answers; fixed small-talk replies get none.
      const citedProduct = input.passages.find((passage) =>
        input.draft.citations.some((citation) => citation.documentId === passage.documentId),
      )?.product;
      const topic =
        citedProduct ?? (input.draft.generator === 'grounded-composer' ? undefined : input.route.topic);
      const rails = options
        .guardrails()
        .output.map((rail) =>
          rail.name === 'foreign_pii' ? foreignPiiRail(options.policies(), findForeignPii) : rail,
        );
      const result = await runOutputRails(
        rails,
        {
          answerText: input.draft.text,
          citations: input.draft.citations,
          passages: input.passages,
          toolOutcomes: input.toolOutcomes,
          customerText: input.customerText,
          ...(topic && { topic }),
          // Only the composer's fixed decline wording is exempt from grounding; model text never is.
          ...(input.draft.declined === true &&
            input.draft.generator === 'grounded-composer' &&
            input.draft.citations.length === 0 && { declined: true }),
        },
        { onError: logCrash(options.logger) },
      );
      const grounded = result.verdicts.find((verdict) => verdict.guardrail === 'groundedness');
      return {
        verdicts: result.verdicts,
        finalText: result.finalText,
        citations: result.blocked ? [] : input.draft.citations,
        ...(result.blocked && { blocked: result.blocked }),
        groundedness: grounded?.score ?? 1,
      };
    },
  };
}
