import { Counter, collectDefaultMetrics, Gauge, Histogram, type Registry } from 'prom-client';
import type { TellerMetrics } from './metrics.js';

/** Connection counts of a database pool, read when Prometheus scrapes. */
export interface PoolStatus {
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
}

export interface PrometheusMetricsOptions {
  /** The PostgreSQL pool's counters; absent on SQLite, which has no pool. */
  readonly databasePool?: () => PoolStatus;
  /** Add Node's process metrics (CPU, memory, event-loop lag, handles, GC). Default true. */
  readonly processMetrics?: boolean;
}

/**
 * Teller's metrics on a Prometheus `registry` the composition root creates (one per process, never
 * prom-client's global one, so two Tellers in one test process count apart). Stage buckets start
 * at 0.1 ms: most stages take well under a millisecond, the model call can take seconds.
 */
export function createPrometheusMetrics(
  registry: Registry,
  { databasePool, processMetrics = true }: PrometheusMetricsOptions = {},
): TellerMetrics {
  const registers = [registry];
  const turns = new Counter({
    name: 'teller_turns_total',
    help: 'Chat turns ended, by outcome (error: the turn threw and the client got an error).',
    labelNames: ['outcome'],
    registers,
  });
  const turnDuration = new Histogram({
    name: 'teller_turn_duration_seconds',
    help: 'Wall time of a whole turn, from redaction to the stored answer.',
    labelNames: ['outcome'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
    registers,
  });
  const stageDuration = new Histogram({
    name: 'teller_turn_stage_duration_seconds',
    help: 'Wall time of one pipeline stage of a turn.',
    labelNames: ['stage'],
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5, 20],
    registers,
  });
  const rules = new Counter({
    name: 'teller_guardrail_rules_fired_total',
    help: 'Guardrail verdicts that tripped, by guardrail and policy rule id.',
    labelNames: ['guardrail', 'rule'],
    registers,
  });
  const handoffs = new Counter({
    name: 'teller_handoffs_total',
    help: 'Handoffs to a person opened, by reason and priority.',
    labelNames: ['reason', 'priority'],
    registers,
  });
  const modelCalls = new Counter({
    name: 'teller_model_calls_total',
    help: 'Chat model calls, by model and result (ok, error, aborted at the turn budget).',
    labelNames: ['model', 'result'],
    registers,
  });
  const fallbacks = new Counter({
    name: 'teller_model_fallbacks_total',
    help: 'Turns the grounded composer answered instead of the model, by reason.',
    labelNames: ['reason'],
    registers,
  });
  if (databasePool) {
    new Gauge({
      name: 'teller_database_pool_connections',
      help: 'PostgreSQL pool connections of this process, by state (total open, idle).',
      labelNames: ['state'],
      registers,
      collect() {
        const status = databasePool();
        this.set({ state: 'total' }, status.total);
        this.set({ state: 'idle' }, status.idle);
      },
    });
    new Gauge({
      name: 'teller_database_pool_waiting',
      help: 'Queries waiting for a PostgreSQL pool connection in this process.',
      registers,
      collect() {
        this.set(databasePool().waiting);
      },
    });
  }
  if (processMetrics) collectDefaultMetrics({ register: registry });

  return {
    turnFinished(outcome, seconds) {
      turns.inc({ outcome });
      turnDuration.observe({ outcome }, seconds);
    },
    stageObserved: (stage, seconds) => stageDuration.observe({ stage }, seconds),
    ruleFired: (guardrail, rule) => rules.inc({ guardrail, rule }),
    handoffOpened: (reason, priority) => handoffs.inc({ reason, priority }),
    modelCalled: (model, result) => modelCalls.inc({ model, result }),
    modelFellBack: (reason) => fallbacks.inc({ reason }),
  };
}
