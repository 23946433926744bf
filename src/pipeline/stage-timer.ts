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

/** Wall time per pipeline stage, in milliseconds, for the turn result, logs and benchmarks. */
export class StageTimer {
  readonly #timings: Record<string, number> = {};
  readonly #started = performance.now();

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
  }

  snapshot(): Record<string, number> {
    const rounded: Record<string, number> = {};
    for (const [stage, milliseconds] of Object.entries(this.#timings))
      rounded[stage] = Math.round(milliseconds * 1000) / 1000;
    rounded.total = Math.round((performance.now() - this.#started) * 1000) / 1000;
    return rounded;
  }
}
