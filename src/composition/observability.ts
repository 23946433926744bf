import { Registry } from 'prom-client';
import type { Config } from '../config/config.js';
import { clusterMetricsRenderer } from '../observability/cluster-metrics.js';
import type { TellerMetrics } from '../observability/metrics.js';
import { otelTurnTracer, type TracingPipeline } from '../observability/otel-tracing.js';
import { createPrometheusMetrics, type PoolStatus } from '../observability/prometheus-metrics.js';
import { noTracing, type TurnTelemetry, turnTelemetry } from '../observability/turn-telemetry.js';
import { isClusterWorker } from '../server/cluster.js';
import type { MetricsEndpoint } from '../server/routes/metrics.js';

/** Metrics and traces for one Teller process. */
export interface Observability {
  readonly metrics: TellerMetrics;
  readonly telemetry: TurnTelemetry;
  /** GET /metrics, when the configuration allows serving it. */
  readonly endpoint?: MetricsEndpoint;
  /** For the start-up log: where traces go. */
  readonly description: string;
  /** Flushes buffered spans and stops the exporter. */
  close(): Promise<void>;
}

/**
 * A Prometheus registry of this process's own (process metrics included) and, only when an OTLP
 * endpoint is configured, a tracer provider exporting over OTLP/HTTP; without one no tracing SDK
 * is started (nor imported), so traces cost nothing. `tracing` replaces the exporter (tests pass an
 * in-memory one).
 */
export async function buildObservability(
  config: Config,
  { databasePool, tracing }: { databasePool?: () => PoolStatus; tracing?: TracingPipeline } = {},
): Promise<Observability> {
  const registry = new Registry();
  const metrics = createPrometheusMetrics(registry, { ...(databasePool && { databasePool }) });
  const pipeline =
    tracing ??
    (config.tracing && (await import('../observability/otel-pipeline.js')).otlpTracing(config.tracing));
  // A worker of several serves the whole cluster's metrics, whichever worker a scrape reaches.
  const render =
    config.server.workers > 1 && isClusterWorker()
      ? clusterMetricsRenderer(registry)
      : async () => ({ contentType: registry.contentType, body: await registry.metrics() });
  return {
    metrics,
    telemetry: turnTelemetry({ metrics, tracer: pipeline ? otelTurnTracer(pipeline.tracer) : noTracing }),
    ...(config.metrics.served && {
      endpoint: {
        render,
        ...(config.metrics.token && { bearerToken: config.metrics.token }),
      },
    }),
    description: tracing ? 'supplied exporter' : config.tracing ? `otlp ${config.tracing.endpoint}` : 'off',
    close: async () => {
      await pipeline?.shutdown();
    },
  };
}
