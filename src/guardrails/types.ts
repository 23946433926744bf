/**
 * The guardrail seam. A guardrail is plain data: a name, the stage it runs at, a relative cost (cheap
 * rails run first) and an `execute` function returning a `GuardrailVerdict`. A tripped guardrail is
 * an outcome; a guardrail that throws is an error (`GuardrailExecutionError`) which the runner turns
 * into a safe verdict, never into an allow.
 */
import type { CustomerMessage } from '../turn/turn-context.js';
import type { GuardrailVerdict, RetrievedPassage, StoredMessage, ToolOutcome } from '../turn/types.js';
import type { RailRun } from './rail-run.js';

/** What an input rail sees: the turn's customer message, already redacted, plus the stored history. */
export interface InputRailInput {
  /** The turn's message: its text and the normalised forms every rail matches against, worked out once. */
  readonly message: CustomerMessage;
  readonly history: readonly StoredMessage[];
  readonly conversationId: string;
}

/** What an output rail sees: a draft answer (from any generator) and everything it may rest on. */
export interface OutputRailInput {
  readonly answerText: string;
  readonly citations: readonly { readonly documentId: string; readonly section?: string }[];
  readonly passages: readonly RetrievedPassage[];
  readonly toolOutcomes: readonly ToolOutcome[];
  readonly customerText: string;
  /** Detected topic (product) of the turn, e.g. `lending`, `savings`; drives required disclosures. */
  readonly topic?: string;
  /**
   * The generator declined honestly (nothing quoted, nothing cited): the text is Teller's fixed
   * decline wording with the policy's referral, not a claim drawn from the passages.
   */
  readonly declined?: boolean;
}

export type GuardrailStage = 'input' | 'output';

/** One guardrail: data plus an `execute` function. */
export interface Guardrail<Input> {
  readonly name: string;
  readonly stage: GuardrailStage;
  /** Relative cost; the runner executes cheaper rails first so expensive ones are skipped when blocked. */
  readonly cost: number;
  /** Judges `input`; `run` holds what the rails of this run share (see `RailRun`). */
  execute(input: Input, run: RailRun): GuardrailVerdict | Promise<GuardrailVerdict>;
}

export type InputGuardrail = Guardrail<InputRailInput>;
export type OutputGuardrail = Guardrail<OutputRailInput>;

/** Raised (and caught by the runner) when a guardrail crashes; the fault is ours, not the customer's. */
export class GuardrailExecutionError extends Error {
  override readonly name = 'GuardrailExecutionError';
  constructor(
    readonly guardrail: string,
    options: { cause: unknown },
  ) {
    super(`Guardrail "${guardrail}" failed to execute`, options);
  }
}

/** A verdict that lets the turn continue untouched. */
export function allow(guardrail: string, extra: Partial<GuardrailVerdict> = {}): GuardrailVerdict {
  return { guardrail, tripped: false, action: 'allow', ...extra };
}

/** True when a verdict stops the turn (refusal or handoff). Rewrites do not block. */
export function isBlocking(verdict: GuardrailVerdict): boolean {
  return verdict.tripped && (verdict.action === 'refuse' || verdict.action === 'handoff');
}
