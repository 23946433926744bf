import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the stand-in collector received. */
export interface CollectedRequest {
  readonly method: string;
  readonly path: string;
  readonly contentType: string;
  readonly body: string;
}

/**
 * A stand-in for an OpenTelemetry collector: a local HTTP server that accepts OTLP/HTTP exports
 * (answers 200 with an empty JSON body, as a collector does) and keeps each request for the test
 * to read. No decoding beyond JSON: the exporter sends OTLP JSON.
 */
export class OtlpStandInCollector {
  readonly requests: CollectedRequest[] = [];
  readonly #server: Server;

  private constructor(server: Server) {
    this.#server = server;
  }

  /** Listens on a free loopback port. */
  static async start(): Promise<OtlpStandInCollector> {
    const collector: OtlpStandInCollector = new OtlpStandInCollector(
      createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          collector.requests.push({
            method: request.method ?? '',
            path: request.url ?? '',
            contentType: request.headers['content-type'] ?? '',
            body: Buffer.concat(chunks).toString('utf8'),
          });
          response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        });
      }),
    );
    await new Promise<void>((resolve) => collector.#server.listen(0, '127.0.0.1', resolve));
    return collector;
  }

  /** The base URL to configure as OTEL_EXPORTER_OTLP_ENDPOINT. */
  get endpoint(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Every span in the trace exports received so far, with attributes as plain values. */
  spans(): Array<{
    name: string;
    traceId: string;
    parentSpanId: string;
    attributes: Record<string, unknown>;
  }> {
    return this.requests
      .filter((request) => request.path === '/v1/traces')
      .flatMap((request) => {
        const body = JSON.parse(request.body) as ExportBody;
        return body.resourceSpans.flatMap((resource) =>
          resource.scopeSpans.flatMap((scope) =>
            scope.spans.map((span) => ({
              name: span.name,
              traceId: span.traceId,
              parentSpanId: span.parentSpanId ?? '',
              attributes: Object.fromEntries(
                (span.attributes ?? []).map((attribute) => [attribute.key, plain(attribute.value)]),
              ),
            })),
          ),
        );
      });
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

interface OtlpValue {
  readonly stringValue?: string;
  readonly intValue?: number | string;
  readonly doubleValue?: number;
  readonly boolValue?: boolean;
  readonly arrayValue?: { readonly values?: readonly OtlpValue[] };
}

interface ExportBody {
  readonly resourceSpans: ReadonlyArray<{
    readonly scopeSpans: ReadonlyArray<{
      readonly spans: ReadonlyArray<{
        readonly name: string;
        readonly traceId: string;
        readonly parentSpanId?: string;
        readonly attributes?: ReadonlyArray<{ readonly key: string; readonly value: OtlpValue }>;
      }>;
    }>;
  }>;
}

function plain(value: OtlpValue): unknown {
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(plain);
  return value.stringValue ?? value.intValue ?? value.doubleValue ?? value.boolValue;
}
