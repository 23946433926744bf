import type { TellerMetrics } from './metrics.js';

/** One timed stage of a turn, on the wall clock (epoch milliseconds) so a trace can place it. */
export interface StageInterval {
  readonly stage: string;
  readonly startedAt: number;
  readonly endedAt: number;
  /** Rule ids (`guardrail:rule`) that tripped in this stage, for the rails. */
  readonly rules: readonly string[];
}

/**
 * What a finished turn reports to metrics and traces: ids, labels and times. It has no field for
 * the customer's text or anything derived from it, so neither can carry it by mistake.
 */
export interface TurnReport {
  readonly requestId: string;
  readonly conversationId: string;
  readonly outcome: string;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly stages: readonly StageInterval[];
  /** Every tripped verdict of the turn, input and output rails. */
  readonly rules: ReadonlyArray<{ readonly guardrail: string; readonly rule: string }>;
  readonly intent?: string;
  /** Tools called, as `tool:status`. */
  readonly tools: readonly string[];
  /** The handoff opened by this turn, if one was. */
  readonly handoff?: { readonly reason: string; readonly priority: string };
}

/** A turn that threw instead of ending (database down, a bug): no outcome, only its time. */
export interface FailedTurnReport {
  readonly requestId: string;
  readonly conversationId: string;
  readonly startedAt: number;
  readonly endedAt: number;
  /** The error's class name (never its message, which may quote data). */
  readonly error: string;
}

/** Records a turn as a trace: one span for the turn and one per stage. */
export interface TurnTracer {
  recordTurn(report: TurnReport): void;
  recordFailedTurn(report: FailedTurnReport): void;
}

/** Records nothing: the tracer when no OTLP endpoint is configured. */
export const noTracing: TurnTracer = {
  recordTurn: () => undefined,
  recordFailedTurn: () => undefined,
};

/** Where the pipeline reports each turn once it has ended; metrics and traces both read it. */
export interface TurnTelemetry {
  turnFinished(report: TurnReport): void;
  turnFailed(report: FailedTurnReport): void;
}

/** Reports each turn to `metrics` (counters and histograms) and to `tracer` (spans). */
export function turnTelemetry({
  metrics,
  tracer,
}: {
  metrics: TellerMetrics;
  tracer: TurnTracer;
}): TurnTelemetry {
  return {
    turnFinished(report) {
      metrics.turnFinished(report.outcome, (report.endedAt - report.startedAt) / 1000);
      for (const interval of report.stages) {
        metrics.stageObserved(interval.stage, (interval.endedAt - interval.startedAt) / 1000);
      }
      for (const { guardrail, rule } of report.rules) metrics.ruleFired(guardrail, rule);
      if (report.handoff) metrics.handoffOpened(report.handoff.reason, report.handoff.priority);
      tracer.recordTurn(report);
    },
    turnFailed(report) {
      metrics.turnFinished('error', (report.endedAt - report.startedAt) / 1000);
      tracer.recordFailedTurn(report);
    },
  };
}
