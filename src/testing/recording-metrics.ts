import type { ModelCallResult, TellerMetrics } from '../observability/metrics.js';

/** Metrics kept as a list of what was counted, for tests that assert what a turn reported. */
export class RecordingMetrics implements TellerMetrics {
  readonly turns: Array<{ outcome: string; seconds: number }> = [];
  readonly stages: Array<{ stage: string; seconds: number }> = [];
  readonly rules: Array<{ guardrail: string; rule: string }> = [];
  readonly handoffs: Array<{ reason: string; priority: string }> = [];
  readonly modelCalls: Array<{ model: string; result: ModelCallResult }> = [];
  readonly fallbacks: string[] = [];

  turnFinished(outcome: string, seconds: number): void {
    this.turns.push({ outcome, seconds });
  }
  stageObserved(stage: string, seconds: number): void {
    this.stages.push({ stage, seconds });
  }
  ruleFired(guardrail: string, rule: string): void {
    this.rules.push({ guardrail, rule });
  }
  handoffOpened(reason: string, priority: string): void {
    this.handoffs.push({ reason, priority });
  }
  modelCalled(model: string, result: ModelCallResult): void {
    this.modelCalls.push({ model, result });
  }
  modelFellBack(reason: string): void {
    this.fallbacks.push(reason);
  }
}
