/**
 * Regulated advice: information about products is fine, a personal recommendation ("should I buy
 * bitcoin", "which mortgage is best for me", "pension or ISA?") is not. Policy patterns name the kind
 * of advice (and so the referral text); the advice model (models/detectors/advice.json) catches the
 * phrasings no pattern foresaw and refers them as investment advice.
 */

import { committedDetector, type Detector } from '../../classifier/detector-models.js';
import type { PolicySet } from '../../policy/load-policies.js';
import type { GuardrailVerdict } from '../../turn/types.js';
import { allow, type InputGuardrail } from '../types.js';

/**
 * The model alone refers a message only when it asks for a judgement about money: a cue of opinion or
 * choice and a word for money or a product. Without this, short or unfamiliar texts ("thanks", "who
 * should I vote for") lean on the model's prior, which was trained mostly on advice-shaped examples.
 */
const JUDGEMENT_CUE =
  /\b(?:should|shall|would|ought|better|best|worth|wise|wisest|smart|smartest|sensible|reckon|recommend|advise|suggest|tips?|right (?:for|choice|time|mix|move|moment)|good (?:idea|time|move|bet|buy|investment|place|plan|choice)|safe bet|or|for me|for us|in my (?:position|shoes|situation)|if you were me|time to|the way to go|makes? (?:more )?sense|mistake|crazy|mad|madness|silly|stupid|too (?:risky|much|little)|go with|yes or no|help me (?:pick|choose|decide)|tell me (?:which|what|where)|pick|choose|decide|where would you|what would you|how do i (?:grow|make)|how should)\b/i;
const MONEY_TERM =
  /\b(?:money|cash|savings?|saver|save|invest\w*|pensions?|isas?|lisa|sipp|funds?|trackers?|shares?|stocks?|bonds?|equit\w+|crypto\w*|bitcoin|ethereum|gold|property|house|flat|buy to let|mortgage|remortgage|fix(?:ed)?|variable|portfolio|inheritance|inherited|windfall|redundancy|bonus|lump sum|annuity|drawdown|markets?|grand|retire\w*|\d+k|£\s?\d)/i;

/** Rule id of a recommendation request found by the model rather than a policy pattern. */
export const ADVICE_MODEL_RULE = 'advice.model';

export interface RegulatedAdviceRailOptions {
  /** Replace the committed advice model (tests, experiments). */
  readonly adviceDetector?: Detector;
}

/** Input rail replacing requests for personal financial, tax, legal or pension advice with a referral. */
export function regulatedAdviceRail(
  policies: PolicySet,
  options: RegulatedAdviceRailOptions = {},
): InputGuardrail {
  const adviceDetector = options.adviceDetector ?? committedDetector('advice');
  return {
    name: 'regulated_advice',
    stage: 'input',
    cost: 1,
    execute(input): GuardrailVerdict {
      const prepared = input.message.prepared;
      const hit = policies.patternSets.regulatedAdvice.first(prepared);
      if (hit) {
        return {
          guardrail: 'regulated_advice',
          tripped: true,
          action: 'refuse',
          rule: hit.item.id,
          reason: `asks for a personal recommendation /${hit.pattern.source}/`,
          customerMessage: policies.referralTexts[hit.item.referral],
        };
      }
      const normalized = input.message.normalized;
      if (!JUDGEMENT_CUE.test(normalized) || !MONEY_TERM.test(normalized)) return allow('regulated_advice');
      const score = adviceDetector.classifier.score(normalized);
      if (score < adviceDetector.threshold) return allow('regulated_advice', { score });
      return {
        guardrail: 'regulated_advice',
        tripped: true,
        action: 'refuse',
        rule: ADVICE_MODEL_RULE,
        reason: `asks for a personal recommendation (advice model ${score.toFixed(2)})`,
        score,
        customerMessage: policies.referralTexts.investment_advice,
      };
    },
  };
}
