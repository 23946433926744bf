import { parsePolicyFile } from '../policy/load-policies.js';
import type { PolicyBody } from '../policy/schema.js';

/** The guardrails a policy file can switch off by losing its rules. */
export type GuardedRail = 'regulated_advice' | 'abuse' | 'output_rules' | 'scope' | 'injection';

/** One guardrail whose rules a change removes, as the approver must be told. */
export interface GuardrailWarning {
  readonly guardrail: GuardedRail;
  /** Rules of that guardrail in the published file, and after the change. */
  readonly before: number;
  readonly after: number;
  /** True when the change leaves that guardrail with no rules from this file at all. */
  readonly turnsOff: boolean;
  readonly message: string;
}

const LABELS: Record<GuardedRail, string> = {
  regulated_advice: 'regulated-advice refusals',
  abuse: 'abuse, threat and self-harm detection',
  output_rules: 'output rules (banned phrases, prompt-leak markers, required disclosures)',
  scope: 'out-of-scope detection',
  injection: 'prompt-injection blocking',
};

/** How many rules of each guardrail a policy body holds (injection: 1 while its threshold can trip). */
function ruleCounts(body: PolicyBody | undefined): Record<GuardedRail, number> {
  const injectionScore = body?.thresholds?.injection_score;
  return {
    regulated_advice: body?.regulated_advice?.length ?? 0,
    abuse:
      (body?.abuse?.insults.length ?? 0) +
      (body?.abuse?.threats.length ?? 0) +
      (body?.abuse?.self_harm.length ?? 0),
    output_rules:
      (body?.banned_phrases?.length ?? 0) +
      (body?.internal_markers?.length ?? 0) +
      (body?.required_disclosures?.length ?? 0),
    scope: (body?.out_of_scope_topics?.length ?? 0) + (body?.in_scope_terms?.length ?? 0),
    // A score of 1 or more can never be reached: the rail is still loaded but never blocks.
    injection: injectionScore !== undefined && injectionScore < 1 ? 1 : 0,
  };
}

function bodyOf(text: string | undefined): PolicyBody | undefined {
  if (text === undefined) return undefined;
  try {
    return parsePolicyFile('impact.yaml', text).body;
  } catch {
    // An unparsable text holds no rules the guardrails could load.
    return undefined;
  }
}

/**
 * What a policy change does to the guardrails: for each guardrail whose rules the published
 * text has, a warning when `proposed` (a draft; undefined for a retirement) has fewer, and
 * `turnsOff` when it has none. Retiring a policy or emptying a section is as consequential as
 * publishing one, so the approver is told in words, not left to read a diff.
 */
export function guardrailImpact(
  published: string | undefined,
  proposed: string | undefined,
): GuardrailWarning[] {
  const before = ruleCounts(bodyOf(published));
  const after = ruleCounts(bodyOf(proposed));
  const warnings: GuardrailWarning[] = [];
  for (const guardrail of Object.keys(LABELS) as GuardedRail[]) {
    if (before[guardrail] === 0 || after[guardrail] >= before[guardrail]) continue;
    const turnsOff = after[guardrail] === 0;
    warnings.push({
      guardrail,
      before: before[guardrail],
      after: after[guardrail],
      turnsOff,
      message: turnsOff
        ? `This change TURNS OFF ${LABELS[guardrail]}: the published file has ${before[guardrail]} rule(s), the change leaves none.`
        : `This change weakens ${LABELS[guardrail]}: ${before[guardrail]} rule(s) become ${after[guardrail]}.`,
    });
  }
  return warnings;
}
