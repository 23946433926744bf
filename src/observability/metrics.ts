/**
 * The metrics port: what Teller counts, named for what happened, with labels that are ids and
 * enumerations only (an outcome, a stage, a rule id, a reason), never customer text or PII. The
 * Prometheus implementation is `createPrometheusMetrics`; `noMetrics` is for code run without a
 * registry (scripts, tests that do not look), and tests that do look use `RecordingMetrics`.
 */
export interface TellerMetrics {
  /** A turn ended with `outcome` (`answer`, `refusal`, `handoff`, … or `error`) after `seconds`. */
  turnFinished(outcome: string, seconds: number): void;
  /** One pipeline stage of a turn took `seconds`. */
  stageObserved(stage: string, seconds: number): void;
  /** A guardrail verdict tripped `rule` of `guardrail` (its policy rule id). */
  ruleFired(guardrail: string, rule: string): void;
  /** A handoff to a person was opened. */
  handoffOpened(reason: string, priority: string): void;
  /** One call to the chat model ended: `ok`, `error`, or `aborted` (the turn's budget ran out). */
  modelCalled(model: string, result: ModelCallResult): void;
  /** The grounded composer answered instead of the model, for `reason`. */
  modelFellBack(reason: string): void;
}

export type ModelCallResult = 'ok' | 'error' | 'aborted';

/** Counts nothing. */
export const noMetrics: TellerMetrics = {
  turnFinished: () => undefined,
  stageObserved: () => undefined,
  ruleFired: () => undefined,
  handoffOpened: () => undefined,
  modelCalled: () => undefined,
  modelFellBack: () => undefined,
};
