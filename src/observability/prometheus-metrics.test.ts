import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createPrometheusMetrics } from './prometheus-metrics.js';

describe('createPrometheusMetrics', () => {
  it('when turns, rules, handoffs and model calls are counted then the exposition has them under their labels', async () => {
    const registry = new Registry();
    const metrics = createPrometheusMetrics(registry, { processMetrics: false });
    metrics.turnFinished('answer', 0.004);
    metrics.turnFinished('answer', 0.006);
    metrics.turnFinished('refusal', 0.002);
    metrics.stageObserved('retrieval', 0.0003);
    metrics.ruleFired('prompt_injection', 'override');
    metrics.handoffOpened('explicit_request', 'normal');
    metrics.modelCalled('gpt-4o-mini', 'error');
    metrics.modelFellBack('model_error');
    const text = await registry.metrics();
    expect(text).toContain('teller_turns_total{outcome="answer"} 2');
    expect(text).toContain('teller_turns_total{outcome="refusal"} 1');
    expect(text).toContain('teller_turn_stage_duration_seconds_bucket{le="0.0005",stage="retrieval"} 1');
    expect(text).toContain('teller_turn_stage_duration_seconds_bucket{le="0.00025",stage="retrieval"} 0');
    expect(text).toContain(
      'teller_guardrail_rules_fired_total{guardrail="prompt_injection",rule="override"} 1',
    );
    expect(text).toContain('teller_handoffs_total{reason="explicit_request",priority="normal"} 1');
    expect(text).toContain('teller_model_calls_total{model="gpt-4o-mini",result="error"} 1');
    expect(text).toContain('teller_model_fallbacks_total{reason="model_error"} 1');
    // No pool on SQLite, and process metrics only when asked.
    expect(text).not.toContain('teller_database_pool');
    expect(text).not.toContain('process_cpu');
  });

  it('when a database pool is given then its counters are read at scrape time', async () => {
    const registry = new Registry();
    let status = { total: 3, idle: 1, waiting: 0 };
    createPrometheusMetrics(registry, { databasePool: () => status, processMetrics: false });
    expect(await registry.metrics()).toContain('teller_database_pool_connections{state="total"} 3');
    status = { total: 10, idle: 0, waiting: 4 };
    const text = await registry.metrics();
    expect(text).toContain('teller_database_pool_connections{state="total"} 10');
    expect(text).toContain('teller_database_pool_connections{state="idle"} 0');
    expect(text).toContain('teller_database_pool_waiting 4');
  });

  it('when two registries are built then each counts its own turns (no global registry)', async () => {
    const first = new Registry();
    const second = new Registry();
    createPrometheusMetrics(first).turnFinished('answer', 0.001);
    createPrometheusMetrics(second);
    expect(await first.metrics()).toContain('teller_turns_total{outcome="answer"} 1');
    const text = await second.metrics();
    expect(text).not.toContain('teller_turns_total{outcome="answer"}');
    expect(text).toContain('process_cpu_user_seconds_total');
  });
});
