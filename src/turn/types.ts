/**
 * The vocabulary of one chat turn. Every stage of `runTurn` speaks these types, so a stage can be
 * replaced (embedded default, real service, test double) without touching the orchestration.
 */

/** Roles carried by a verified token. The token, never the model, says who someone is. */
export type Role = 'customer' | 'compliance' | 'agent';

/** Who is speaking, as established by the verified bearer token. */
export interface Principal {
  /** The token subject: a customer id such as `c_123`, or a staff id. */
  readonly subject: string;
  readonly roles: readonly Role[];
  /** True when the token carries a recent step-up (strong re-authentication) claim. */
  readonly stepUp: boolean;
}

/** One message already stored in a conversation (always redacted). */
export interface StoredMessage {
  readonly id: string;
  readonly conversationId: string;
  readonly author: 'customer' | 'assistant' | 'agent' | 'system';
  /** Redacted text: typed tokens such as `<CREDIT_CARD_1>` stand in for PII. */
  readonly text: string;
  readonly createdAt: string;
  readonly metadata?: Record<string, unknown>;
}

/** A passage of an approved, in-force policy document returned by retrieval. */
export interface RetrievedPassage {
  readonly chunkId: string;
  readonly documentId: string;
  readonly title: string;
  readonly version: string;
  readonly section: string;
  readonly text: string;
  /** Fused relevance score; higher is better. Comparable only within one result list. */
  readonly score: number;
  readonly product?: string;
  readonly tags?: readonly string[];
}

/** A citation attached to an answer: enough for a customer to find the policy text. */
export interface Citation {
  readonly documentId: string;
  readonly title: string;
  readonly version: string;
  readonly section: string;
}

/** What a guardrail decided, with the rule that fired and why (never raw PII). */
export interface GuardrailVerdict {
  readonly guardrail: string;
  readonly tripped: boolean;
  /** What the pipeline must do when tripped. */
  readonly action: 'allow' | 'refuse' | 'handoff' | 'rewrite';
  readonly rule?: string;
  readonly reason?: string;
  /** A customer-facing message to use instead of an answer (refusal or referral). */
  readonly customerMessage?: string;
  /** For output rails with action `rewrite`: the corrected answer text. */
  readonly rewrittenText?: string;
  readonly score?: number;
}

/** Result of one tool call, already authorized and executed in code. */
export interface ToolOutcome {
  readonly tool: string;
  readonly status: 'ok' | 'refused' | 'needs_confirmation' | 'needs_information' | 'error';
  /** Customer-safe facts the answer may state (already formatted, already masked). */
  readonly facts: readonly string[];
  /** Structured data for clients (masked identifiers only). */
  readonly data?: unknown;
  /** A customer-safe explanation when status is not ok. */
  readonly message?: string;
  /**
   * Set when this outcome answers a confirmation question (the action ran, was declined, or was
   * refused at confirmation): the answer must state it as it is, whichever generator writes it.
   */
  readonly confirmation?: 'executed' | 'declined' | 'refused';
}

export type HandoffReason =
  | 'explicit_request'
  | 'low_confidence'
  | 'emotional_distress'
  | 'vulnerability'
  | 'repeated_failure'
  | 'sensitive_topic'
  | 'guardrail'
  | 'tool_requested';

export type HandoffPriority = 'low' | 'normal' | 'high' | 'urgent';

export interface HandoffDecision {
  readonly reason: HandoffReason;
  readonly priority: HandoffPriority;
  /** Why, in words an agent can read (no raw PII). */
  readonly explanation: string;
}

/**
 * What a turn did, for analytics and knowledge gaps: answered from documents, declined honestly
 * ("no approved information"), asked a clarifying question, refused, handed off, ran an account
 * query or action, or something else (small talk, a message while a person has the conversation).
 */
export type TurnKind = 'answered' | 'declined' | 'clarify' | 'refused' | 'handoff' | 'action' | 'other';

/** The answer of one turn as returned to the customer. */
export interface TurnResult {
  readonly conversationId: string;
  readonly messageId: string;
  readonly text: string;
  readonly citations: readonly Citation[];
  readonly outcome: 'answer' | 'refusal' | 'handoff' | 'agent_pending' | 'confirmation_required';
  readonly handoff?: HandoffDecision & { readonly handoffId: string };
  readonly toolOutcomes: readonly ToolOutcome[];
  readonly verdicts: readonly GuardrailVerdict[];
  /** Per-stage wall time in milliseconds, for benchmarks and tracing. */
  readonly timings: Readonly<Record<string, number>>;
}
