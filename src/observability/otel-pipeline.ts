/**
 * The tracing SDK and the OTLP/HTTP exporter: about 180 modules and a third of a second of
 * start-up, so this file is imported only when an OTLP endpoint is configured (or by tests),
 * never by a process that does not trace.
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { TracingPipeline } from './otel-tracing.js';

/** A provider over `processor`: the OTLP exporter in service, an in-memory exporter in tests. */
export function tracingPipeline(processor: SpanProcessor, serviceName: string): TracingPipeline {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [processor],
  });
  return { tracer: provider.getTracer('teller'), shutdown: () => provider.shutdown() };
}

/**
 * Exports spans in batches over OTLP/HTTP (JSON) to `endpoint` + `/v1/traces`, the path the
 * OpenTelemetry specification derives from OTEL_EXPORTER_OTLP_ENDPOINT.
 */
export function otlpTracing({
  endpoint,
  serviceName,
}: {
  endpoint: string;
  serviceName: string;
}): TracingPipeline {
  const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` });
  return tracingPipeline(new BatchSpanProcessor(exporter), serviceName);
}
