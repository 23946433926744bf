/**
 * Out-of-scope rail: Teller answers banking questions only. Recipes, weather, coding help,
 * politics and the like get a polite scope message instead of a model call. Two signals: topic
 * patterns from policy (precise, explainable) and a linear classifier trained on CLINC150's
 * non-banking domains versus banking/cards and BANKING77. Banking vocabulary vetoes both, because
 * wrongly refusing a real banking question is worse than answering a stray one politely.
 */

import {
  createLinearClassifier,
  type LinearClassifier,
  linearModelSchema,
} from '../../classifier/linear-classifier.js';
import { readShippedArtifact } from '../../classifier/shipped-models.js';
import type { CompiledRule, PolicySet } from '../../policy/load-policies.js';
import { recogniseNeeds } from '../../routing/customer-needs.js';
import { basicNormalize } from '../../text/normalize.js';
import { type PatternSet, type PreparedText, prepareText } from '../../text/pattern-set.js';
import type { GuardrailVerdict } from '../../turn/types.js';
import { allow, type InputGuardrail } from '../types.js';

/**
 * CLINC150 intents outside its banking and credit-card domains that a bank still handles (or that
 * are ordinary conversation: greetings, yes/no). They are left out of the out-of-scope training data.
 */
export const BANKING_ADJACENT_CLINC_INTENTS: ReadonlySet<string> = new Set([
  'travel_notification',
  'exchange_rate',
  'payday',
  'taxes',
  'income',
  'rollover_401k',
  'direct_deposit',
  'insurance',
  'insurance_change',
  'w2',
  'greeting',
  'goodbye',
  'thank_you',
  'are_you_a_bot',
  'what_can_i_ask_you',
  'who_do_you_work_for',
  'what_is_your_name',
  'who_made_you',
  'yes',
  'no',
  'maybe',
  'cancel',
  'repeat',
]);

let defaultModel: LinearClassifier | undefined;

/** File name of the out-of-scope model in the models folder (built by `npm run train`). */
export const OUT_OF_SCOPE_MODEL_FILE = 'out-of-scope.json';

/** The committed out-of-scope model from models/v1 (loaded once, lazily, hash-checked). */
export function defaultOutOfScopeClassifier(): LinearClassifier {
  defaultModel ??= createLinearClassifier(
    linearModelSchema.parse(JSON.parse(readShippedArtifact(OUT_OF_SCOPE_MODEL_FILE))),
  );
  return defaultModel;
}

export interface OutOfScopeAssessment {
  readonly outOfScope: boolean;
  readonly score: number;
  readonly rule: string;
  readonly reason: string;
}

/** Decides whether a message is outside banking, explaining which signal decided. */
export function assessOutOfScope(
  text: string,
  policies: PolicySet,
  classifier: LinearClassifier = defaultOutOfScopeClassifier(),
): OutOfScopeAssessment {
  return assessPrepared(prepareText(basicNormalize(text)), policies, classifier);
}

/** The first rule with a matching pattern, trying the rule lists in order. */
function firstMatchIn(
  ruleLists: readonly PatternSet<CompiledRule>[],
  text: PreparedText,
): { id: string; pattern: string } | undefined {
  for (const rules of ruleLists) {
    const hit = rules.first(text);
    if (hit) return { id: hit.item.id, pattern: hit.pattern.source };
  }
  return undefined;
}

/** `assessOutOfScope` on text already passed through `basicNormalize` and `prepareText`. */
function assessPrepared(
  prepared: PreparedText,
  policies: PolicySet,
  classifier: LinearClassifier,
): OutOfScopeAssessment {
  const normalized = prepared.original;
  const score = classifier.score(normalized);
  const bankingTerm = policies.patternSets.inScopeTerms.first(prepared)?.pattern;
  if (bankingTerm) {
    return {
      outOfScope: false,
      score,
      rule: 'scope.banking_term',
      reason: `banking vocabulary /${bankingTerm.source}/`,
    };
  }
  // A banking topic Teller has no documents for is still banking: it gets an honest "not here".
  const bankingReferral = firstMatchIn([policies.patternSets.bankingReferrals], prepared);
  if (bankingReferral) {
    return {
      outOfScope: false,
      score,
      rule: 'scope.banking_referral',
      reason: `banking topic ${bankingReferral.id} /${bankingReferral.pattern}/`,
    };
  }
  // Asking for a person, or signalling vulnerability, a sensitive topic or strong emotion, is always
  // Teller's business: those messages must reach the handoff decision, never a scope refusal.
  const handoffCue = policies.patternSets.explicitRequest.test(prepared);
  const handoffRule = firstMatchIn(
    [
      policies.patternSets.vulnerability,
      policies.patternSets.sensitiveTopics,
      policies.patternSets.emotionCues,
    ],
    prepared,
  );
  // The same needs read on the customer's own wording: "can u get me a humna", "ur service is rubbish".
  const need = recogniseNeeds(normalized)[0];
  if (need && !handoffCue && !handoffRule) {
    return {
      outOfScope: false,
      score,
      rule: 'scope.customer_need',
      reason: `customer need ${need.need} ("${need.cue}")`,
    };
  }
  if (handoffCue || handoffRule) {
    return {
      outOfScope: false,
      score,
      rule: 'scope.handoff_cue',
      reason: `handoff cue ${handoffRule?.id ?? 'handoff.explicit_request'}`,
    };
  }
  const topic = firstMatchIn([policies.patternSets.outOfScopeTopics], prepared);
  if (topic)
    return {
      outOfScope: true,
      score: Math.max(score, 0.9),
      rule: topic.id,
      reason: `topic pattern /${topic.pattern}/`,
    };
  // Very short turns ("yes", "thanks", "ok") are conversation, not a topic.
  if (normalized.split(' ').length < 3)
    return { outOfScope: false, score, rule: 'scope.short_turn', reason: 'too short to judge' };
  if (score >= policies.thresholds.out_of_scope_score) {
    return {
      outOfScope: true,
      score,
      rule: 'scope.classifier',
      reason: `out-of-scope model score ${score.toFixed(2)}`,
    };
  }
  return {
    outOfScope: false,
    score,
    rule: 'scope.classifier',
    reason: `out-of-scope model score ${score.toFixed(2)}`,
  };
}

/** Input rail answering off-topic messages with the policy's scope message. */
export function outOfScopeRail(policies: PolicySet, classifier?: LinearClassifier): InputGuardrail {
  return {
    name: 'out_of_scope',
    stage: 'input',
    cost: 3,
    execute(input): GuardrailVerdict {
      const assessment = assessPrepared(
        input.message.prepared,
        policies,
        classifier ?? defaultOutOfScopeClassifier(),
      );
      if (!assessment.outOfScope) return allow('out_of_scope', { score: assessment.score });
      return {
        guardrail: 'out_of_scope',
        tripped: true,
        action: 'refuse',
        rule: assessment.rule,
        reason: assessment.reason,
        score: assessment.score,
        customerMessage: policies.referralTexts.out_of_scope,
      };
    },
  };
}
