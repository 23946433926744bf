/**
 * Builds the input and output rail lists from loaded policies. The composition root calls this
 * once at start-up; the pipeline then calls `runInputRails` / `runOutputRails` with the lists.
 */
import type { LinearClassifier } from '../classifier/linear-classifier.js';
import type { PolicySet } from '../policy/load-policies.js';
import { abuseRail } from './input/abuse.js';
import { defaultInjectionClassifier, injectionRail } from './input/injection.js';
import { defaultOutOfScopeClassifier, outOfScopeRail } from './input/out-of-scope.js';
import { regulatedAdviceRail } from './input/regulated-advice.js';
import { bannedPhrasesRail } from './output/banned-phrases.js';
import { citationRail } from './output/citations.js';
import { type FindForeignPii, foreignPiiRail } from './output/foreign-pii.js';
import { groundednessRail } from './output/groundedness.js';
import { promptLeakRail } from './output/prompt-leak.js';
import { requiredDisclosuresRail } from './output/required-disclosures.js';
import { toneRail } from './output/tone.js';
import { unsupportedOutcomesRail } from './output/unsupported-outcomes.js';
import type { InputGuardrail, OutputGuardrail } from './types.js';

export interface GuardrailsOptions {
  /** From the privacy module: spans of personal data that is not the customer's own. */
  readonly findForeignPii: FindForeignPii;
  /** System prompt and internal notes that must never appear in an answer. */
  readonly protectedTexts?: readonly string[];
  /** Replace the committed models (tests, experiments). */
  readonly injectionClassifier?: LinearClassifier;
  readonly outOfScopeClassifier?: LinearClassifier;
}

export interface Guardrails {
  readonly input: readonly InputGuardrail[];
  readonly output: readonly OutputGuardrail[];
  /** `id@version` of the policy files the rails were built from. */
  readonly policySources: readonly string[];
}

/**
 * Creates every rail. Models are loaded here (not on the first request) so a missing or malformed
 * model file fails at start-up.
 */
export function createGuardrails(policies: PolicySet, options: GuardrailsOptions): Guardrails {
  const injectionClassifier = options.injectionClassifier ?? defaultInjectionClassifier();
  const outOfScopeClassifier = options.outOfScopeClassifier ?? defaultOutOfScopeClassifier();
  return {
    input: [
      // Order of equal cost matters: self-harm must be seen before any refusal. Attack grammar is
      // refused before the scope check; the attack model's verdict alone comes after it, because the
      // model also flags plainly off-topic asks ("a recipe for lasagne"), which get the scope message.
      abuseRail(policies),
      regulatedAdviceRail(policies),
      injectionRail(policies, { classifier: injectionClassifier, verdicts: 'grammar' }),
      outOfScopeRail(policies, outOfScopeClassifier),
      injectionRail(policies, { classifier: injectionClassifier, verdicts: 'statistical' }),
    ],
    output: [
      promptLeakRail(policies, { protectedTexts: options.protectedTexts ?? [] }),
      bannedPhrasesRail(policies),
      unsupportedOutcomesRail(policies),
      toneRail(),
      groundednessRail(policies),
      citationRail(policies),
      foreignPiiRail(policies, options.findForeignPii),
      requiredDisclosuresRail(policies),
    ],
    policySources: policies.sources,
  };
}
