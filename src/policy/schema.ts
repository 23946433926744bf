/**
 * Schemas of the policy files in `knowledge/policies/*.yaml`. Each file is one YAML mapping that
 * starts, like front matter, with a header (who owns it, whether it is approved and in force),
 * followed by any of the body sections below. Compliance edits these like documents; the loader
 * validates them and merges the in-force ones into one `PolicySet`.
 */
import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
const ruleId = z
  .string()
  .regex(/^[a-z0-9_]+(?:\.[a-z0-9_]+)*$/, 'rule ids are dotted snake_case, e.g. advice.guarantee');
/** A regular expression source, matched case-insensitively with Unicode semantics. */
const pattern = z.string().min(2).max(400);

export const policyHeaderSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'id must be kebab-case, e.g. banned-phrases'),
    version: z.string().regex(/^\d+\.\d+(?:\.\d+)?$/, 'version must look like 1.0 or 1.2.3'),
    status: z.enum(['draft', 'approved', 'retired']),
    effective_from: isoDate,
    effective_until: isoDate.nullable().optional(),
    owner: z.string().min(2),
    approved_by: z.string().min(2).nullable().optional(),
  })
  .strict()
  .superRefine((header, context) => {
    if (header.status === 'approved' && !header.approved_by) {
      context.addIssue({
        code: 'custom',
        path: ['approved_by'],
        message: 'an approved policy needs approved_by',
      });
    }
  });
export type PolicyHeader = z.infer<typeof policyHeaderSchema>;

export const bannedPhraseSchema = z
  .object({
    id: ruleId,
    patterns: z.array(pattern).min(1),
    /** `remove` drops the offending sentence; `refuse` replaces the whole answer. */
    action: z.enum(['remove', 'refuse']).default('remove'),
    reason: z.string().min(3),
  })
  .strict();

/**
 * Outcomes of the customer's own case ("your refund is approved", "the fee is waived for you"):
 * a sentence matching a pattern is kept only when a successful tool result states the outcome
 * word the pattern captured (its first group), so only what the bank's systems did is claimed.
 */
export const outcomeClaimSchema = z
  .object({
    id: ruleId,
    patterns: z.array(pattern).min(1),
    reason: z.string().min(3),
  })
  .strict();

export const requiredDisclosureSchema = z
  .object({
    id: ruleId,
    topics: z.array(z.string().min(2)).min(1),
    text: z.string().min(10),
    /** Evidence that the disclosure is already present, so it is not appended twice. */
    present_when: z.array(pattern).default([]),
  })
  .strict();

export const topicPatternsSchema = z.object({ id: ruleId, patterns: z.array(pattern).min(1) }).strict();

/**
 * A banking topic Teller has no documents for, and where the customer can get that information
 * instead. Compliance owns the wording; the patterns also keep the topic in scope.
 */
export const bankingReferralSchema = z
  .object({
    id: ruleId,
    /** How the topic is named to the customer: "I don't have information on {name} here." */
    name: z.string().min(3),
    patterns: z.array(pattern).min(1),
    /** Where to go instead, as one sentence. */
    where: z.string().min(10),
  })
  .strict();

export const regulatedAdviceSchema = z
  .object({
    id: ruleId,
    patterns: z.array(pattern).min(1),
    /** Key into `referral_texts`. */
    referral: z.string().min(2),
  })
  .strict();

export const thresholdsSchema = z
  .object({
    /** Injection probability at or above which a message (or passage) counts as an attack. */
    injection_score: z.number().min(0).max(1),
    /** Share of answer sentences that must be supported, else the answer is replaced. */
    groundedness_minimum: z.number().min(0).max(1),
    /** Content-word overlap a sentence needs with one source to count as supported. */
    sentence_support_minimum: z.number().min(0).max(1),
    /** Retrieval / intent confidence below which a person should take over. */
    handoff_confidence: z.number().min(0).max(1),
    /** Out-of-scope probability at or above which the scope message is sent. */
    out_of_scope_score: z.number().min(0).max(1),
    /** Negative-emotion probability at or above which an emotional handoff is raised. */
    emotion_score: z.number().min(0).max(1),
    /** Similarity of consecutive customer messages that counts as a rephrase. */
    rephrase_similarity: z.number().min(0).max(1),
  })
  .strict();
export type PolicyThresholds = z.infer<typeof thresholdsSchema>;

export const policyBodySchema = z
  .object({
    banned_phrases: z.array(bannedPhraseSchema).optional(),
    outcome_claims: z.array(outcomeClaimSchema).optional(),
    required_disclosures: z.array(requiredDisclosureSchema).optional(),
    out_of_scope_topics: z.array(topicPatternsSchema).optional(),
    /** Words that mark a message as banking even when an out-of-scope pattern also matches. */
    in_scope_terms: z.array(pattern).optional(),
    regulated_advice: z.array(regulatedAdviceSchema).optional(),
    /** Banking topics without documents: an honest "not here" and where to go, never a scope refusal. */
    banking_referrals: z.array(bankingReferralSchema).optional(),
    abuse: z
      .object({
        insults: z.array(pattern).default([]),
        threats: z.array(pattern).default([]),
        self_harm: z.array(pattern).default([]),
        /**
         * Abuse-model score at which each response starts: a warning (the turn continues), ending the
         * turn with a boundary message, or a handoff to a person. Must rise in that order.
         */
        severity: z
          .object({
            warn_at: z.number().min(0).max(1),
            end_turn_at: z.number().min(0).max(1),
            handoff_at: z.number().min(0).max(1),
          })
          .strict()
          .refine(
            (levels) => levels.warn_at <= levels.end_turn_at && levels.end_turn_at <= levels.handoff_at,
            {
              message: 'severity levels must satisfy warn_at <= end_turn_at <= handoff_at',
            },
          )
          .optional(),
      })
      .strict()
      .optional(),
    handoff: z
      .object({
        explicit_request: z.array(pattern).default([]),
        vulnerability: z.array(topicPatternsSchema).default([]),
        sensitive_topics: z.array(topicPatternsSchema).default([]),
        emotion_cues: z.array(topicPatternsSchema).default([]),
      })
      .strict()
      .optional(),
    /** Internal markers whose presence in an answer means the prompt or notes leaked. */
    internal_markers: z.array(pattern).optional(),
    thresholds: thresholdsSchema.partial().optional(),
    referral_texts: z.record(z.string(), z.string().min(10)).optional(),
  })
  .strict();
export type PolicyBody = z.infer<typeof policyBodySchema>;
