import { context, type Span, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import type { FailedTurnReport, TurnTracer } from './turn-telemetry.js';

/**
 * Turns as OpenTelemetry traces: a `teller.turn` span with one child span per stage, placed at
 * the times the stage timer measured (the spans are written when the turn ends, so no context
 * has to travel through the stages). Attributes are ids and labels from `TurnReport`, which has
 * no field for customer text.
 */
export function otelTurnTracer(tracer: Tracer): TurnTracer {
  return {
    recordTurn(report) {
      const turn = tracer.startSpan('teller.turn', {
        startTime: report.startedAt,
        attributes: {
          'teller.request_id': report.requestId,
          'teller.conversation_id': report.conversationId,
          'teller.outcome': report.outcome,
          'teller.rules': report.rules.map(({ guardrail, rule }) => `${guardrail}:${rule}`),
          'teller.tools': [...report.tools],
          ...(report.intent && { 'teller.intent': report.intent }),
          ...(report.handoff && {
            'teller.handoff.reason': report.handoff.reason,
            'teller.handoff.priority': report.handoff.priority,
          }),
        },
      });
      const parent = trace.setSpan(context.active(), turn);
      for (const interval of report.stages) {
        tracer
          .startSpan(
            `teller.${interval.stage}`,
            {
              startTime: interval.startedAt,
              attributes: { 'teller.stage': interval.stage, 'teller.rules': [...interval.rules] },
            },
            parent,
          )
          .end(interval.endedAt);
      }
      turn.end(report.endedAt);
    },
    recordFailedTurn(report: FailedTurnReport) {
      const turn: Span = tracer.startSpan('teller.turn', {
        startTime: report.startedAt,
        attributes: {
          'teller.request_id': report.requestId,
          'teller.conversation_id': report.conversationId,
          'teller.outcome': 'error',
          'teller.error': report.error,
        },
      });
      turn.setStatus({ code: SpanStatusCode.ERROR, message: report.error });
      turn.end(report.endedAt);
    },
  };
}

/** A tracer provider that is Teller's own (never registered as the global one), and its shutdown. */
export interface TracingPipeline {
  readonly tracer: Tracer;
  /** Exports what is buffered and stops. */
  shutdown(): Promise<void>;
}
