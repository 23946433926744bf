import type { StageInterval } from '../observability/turn-telemetry.js';

/** The timed stages of a turn, in pipeline order; a turn's `timings` also carries `total`. */
export const TURN_STAGES = [
  'redaction',
  'input_rails',
  'routing',
  'retrieval',
  'tools',
  'generation',
  'output_rails',
  'handoff',
  'persistence',
] as const;
export type TurnStage = (typeof TURN_STAGES)[number];

/**
 * Wall time per pipeline stage, in milliseconds, for the turn result, logs and benchmarks; and
 * each stage's interval with the rules it tripped, for the turn's metrics and trace.
 */
export class StageTimer {
  readonly #timings: Record<string, number> = {};
  readonly #started = performance.now();
  readonly #intervals: Array<{ stage: TurnStage; started: number; ended: number }> = [];
  readonly #rules = new Map<TurnStage, readonly string[]>();

  measure<T>(stage: TurnStage, work: () => T): T {
    const started = performance.now();
    try {
      return work();
    } finally {
      this.record(stage, performance.now() - started);
    }
  }

  async measureAsync<T>(stage: TurnStage, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.record(stage, performance.now() - started);
    }
  }

  record(stage: TurnStage, milliseconds: number): void {
    this.#timings[stage] = (this.#timings[stage] ?? 0) + milliseconds;
    const ended = performance.now();
    this.#intervals.push({ stage, started: ended - milliseconds, ended });
  }

  /** Notes the rule ids (`guardrail:rule`) a stage tripped, for that stage's span. */
  noteRules(stage: TurnStage, rules: readonly string[]): void {
    if (rules.length > 0) this.#rules.set(stage, rules);
  }

  /** When the turn started, on the wall clock (epoch milliseconds). */
  startedAt(): number {
    return performance.timeOrigin + this.#started;
  }

  /** Each measured stage on the wall clock (epoch milliseconds), with the rules it tripped. */
  intervals(): StageInterval[] {
    return this.#intervals.map(({ stage, started, ended }) => ({
      stage,
      startedAt: performance.timeOrigin + started,
      endedAt: performance.timeOrigin + ended,
      rules: this.#rules.get(stage) ?? [],
    }));
  }

  snapshot(): Record<string, number> {
    const rounded: Record<string, number> = {};
    for (const [stage, milliseconds] of Object.entries(this.#timings))
      rounded[stage] = Math.round(milliseconds * 1000) / 1000;
    rounded.total = Math.round((performance.now() - this.#started) * 1000) / 1000;
    return rounded;
  }
}
