/**
 * Metrics of every worker in one scrape. With `TELLER_WORKERS` above 1 the workers share the
 * port, so a scrape of `/metrics` reaches whichever worker the kernel picks; each counts only its
 * own turns. The worker that receives the scrape asks the primary over the cluster's IPC channel,
 * the primary asks every worker for its registry (prom-client's `AggregatorRegistry`) and answers
 * with their aggregate: counters and histograms summed, gauges by the aggregator each declares.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Registry } from 'prom-client';

const REQUEST = 'teller:cluster-metrics-request';
const RESPONSE = 'teller:cluster-metrics-response';

interface MetricsRequest {
  readonly type: typeof REQUEST;
  readonly requestId: number;
}

interface MetricsResponse {
  readonly type: typeof RESPONSE;
  readonly requestId: number;
  readonly body?: string;
  readonly contentType?: string;
  readonly error?: string;
}

function isRequest(message: unknown): message is MetricsRequest {
  return (message as { type?: unknown } | null)?.type === REQUEST;
}

function isResponse(message: unknown): message is MetricsResponse {
  return (message as { type?: unknown } | null)?.type === RESPONSE;
}

/**
 * In the cluster primary: answers workers' requests for the cluster's metrics. prom-client is
 * imported at the first request, so a primary that is never scraped stays as small as before.
 */
export function answerClusterMetricsRequests(): void {
  let aggregator: Promise<{ clusterMetrics(): Promise<string>; readonly contentType: string }> | undefined;
  cluster.on('message', (worker: Worker, message: unknown) => {
    if (!isRequest(message)) return;
    aggregator ??= import('prom-client').then(({ AggregatorRegistry }) => new AggregatorRegistry());
    void aggregator
      .then(async (registry) => ({
        body: await registry.clusterMetrics(),
        contentType: registry.contentType,
      }))
      .then(
        ({ body, contentType }) =>
          reply(worker, { type: RESPONSE, requestId: message.requestId, body, contentType }),
        (error: unknown) =>
          reply(worker, {
            type: RESPONSE,
            requestId: message.requestId,
            error: error instanceof Error ? error.message : String(error),
          }),
      );
  });
}

function reply(worker: Worker, response: MetricsResponse): void {
  // The asking worker may have exited meanwhile; nobody is left to answer.
  if (worker.isConnected()) worker.send(response);
}

/**
 * In a cluster worker: offers `registry` to the primary's aggregation and returns what
 * `GET /metrics` serves, the whole cluster's metrics. Waits at most `timeoutMs` for the primary
 * (prom-client gives up on a silent worker after 5 s), then fails the scrape rather than serve
 * one worker's figures as if they were everyone's.
 */
export async function clusterMetricsRenderer(
  registry: Registry,
  { timeoutMs = 6_000 }: { timeoutMs?: number } = {},
): Promise<() => Promise<{ contentType: string; body: string }>> {
  const { AggregatorRegistry } = await import('prom-client');
  AggregatorRegistry.setRegistries([registry]);
  // Constructing one installs prom-client's answer to the primary's "send your metrics".
  new AggregatorRegistry();
  const pending = new Map<number, (response: MetricsResponse) => void>();
  let nextRequestId = 0;
  process.on('message', (message: unknown) => {
    if (isResponse(message)) pending.get(message.requestId)?.(message);
  });
  return () =>
    new Promise((resolve, reject) => {
      const requestId = nextRequestId++;
      const timer = setTimeout(() => {
        pending.delete(requestId);
        reject(new Error(`the cluster primary did not send the metrics within ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(requestId, (response) => {
        clearTimeout(timer);
        pending.delete(requestId);
        if (response.body !== undefined && response.contentType !== undefined)
          resolve({ contentType: response.contentType, body: response.body });
        else reject(new Error(`cluster metrics: ${response.error ?? 'no answer'}`));
      });
      const request: MetricsRequest = { type: REQUEST, requestId };
      process.send?.(request);
    });
}
