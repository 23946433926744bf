/**
 * Metrics of every worker in one scrape. With `TELLER_WORKERS` above 1 the workers share the
 * port, so a scrape of `/metrics` reaches whichever worker the kernel picks; each counts only its
 * own turns. The worker that receives the scrape asks the primary over the cluster's IPC channel;
 * the primary asks every worker whose registry is up for its metrics and answers with their
 * aggregate (prom-client's `AggregatorRegistry.aggregate`: counters and histograms summed, gauges
 * by the aggregator each declares), plus how many workers reported.
 *
 * Only workers that announced their registry are asked, so a worker still starting (or replacing
 * one that crashed) does not hold every scrape up. A worker that was asked and does not answer
 * in time fails the scrape: a sum without it would look like a counter reset to Prometheus.
 */
import cluster, { type Worker } from 'node:cluster';
import type { MetricObjectWithValues, MetricValue, Registry } from 'prom-client';

/** Worker → primary: my registry is up, include me. */
const ANNOUNCE = 'teller:cluster-metrics-announce';
/** Worker → primary: a scrape reached me, send the cluster's metrics. */
const REQUEST = 'teller:cluster-metrics-request';
/** Primary → worker: the cluster's metrics (or why not). */
const RESPONSE = 'teller:cluster-metrics-response';
/** Primary → worker: send your registry's metrics. */
const COLLECT = 'teller:cluster-metrics-collect';
/** Worker → primary: my registry's metrics. */
const COLLECTED = 'teller:cluster-metrics-collected';

type WorkerMetrics = MetricObjectWithValues<MetricValue<string>>[];

interface Message {
  readonly type: string;
  readonly requestId?: number;
  readonly body?: string;
  readonly contentType?: string;
  readonly error?: string;
  readonly metrics?: WorkerMetrics;
}

function messageOf(value: unknown, type: string): Message | undefined {
  return (value as Message | null)?.type === type ? (value as Message) : undefined;
}

/**
 * In the cluster primary: answers workers' requests for the cluster's metrics, asking each
 * announced worker and waiting at most `timeoutMs` for all of them. prom-client is imported at
 * the first request, so a primary that is never scraped stays as small as before.
 */
export function answerClusterMetricsRequests({ timeoutMs = 4_000 }: { timeoutMs?: number } = {}): void {
  const announced = new Set<Worker>();
  const collecting = new Map<number, (worker: Worker, answer: Message) => void>();
  let nextRequestId = 0;

  const gather = async (): Promise<{ body: string; contentType: string }> => {
    const { AggregatorRegistry } = await import('prom-client');
    const workers = [...announced].filter((worker) => worker.isConnected());
    const requestId = nextRequestId++;
    const collected = await new Promise<WorkerMetrics[]>((resolve, reject) => {
      const answers = new Map<Worker, WorkerMetrics>();
      const timer = setTimeout(() => {
        collecting.delete(requestId);
        reject(
          new Error(
            `${workers.length - answers.size} of ${workers.length} workers did not send their metrics within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        collecting.delete(requestId);
        resolve([...answers.values()]);
      };
      collecting.set(requestId, (worker, answer) => {
        if (!workers.includes(worker)) return;
        if (answer.error !== undefined) {
          clearTimeout(timer);
          collecting.delete(requestId);
          reject(new Error(`a worker could not read its metrics: ${answer.error}`));
          return;
        }
        answers.set(worker, answer.metrics ?? []);
        if (answers.size === workers.length) finish();
      });
      if (workers.length === 0) finish();
      for (const worker of workers) worker.send({ type: COLLECT, requestId });
    });
    const registry = AggregatorRegistry.aggregate(collected);
    const reporting = [
      '# HELP teller_cluster_workers_reporting Worker processes whose metrics this scrape sums.',
      '# TYPE teller_cluster_workers_reporting gauge',
      `teller_cluster_workers_reporting ${collected.length}`,
    ].join('\n');
    return { body: `${await registry.metrics()}${reporting}\n`, contentType: registry.contentType };
  };

  cluster.on('message', (worker: Worker, value: unknown) => {
    if (messageOf(value, ANNOUNCE)) {
      announced.add(worker);
      return;
    }
    const collected = messageOf(value, COLLECTED);
    if (collected?.requestId !== undefined) {
      collecting.get(collected.requestId)?.(worker, collected);
      return;
    }
    const request = messageOf(value, REQUEST);
    if (request?.requestId === undefined) return;
    const requestId = request.requestId;
    gather().then(
      ({ body, contentType }) => reply(worker, { type: RESPONSE, requestId, body, contentType }),
      (error: unknown) =>
        reply(worker, {
          type: RESPONSE,
          requestId,
          error: error instanceof Error ? error.message : String(error),
        }),
    );
  });
  cluster.on('exit', (worker) => announced.delete(worker));
}

function reply(worker: Worker, response: Message): void {
  // The asking worker may have exited meanwhile; nobody is left to answer.
  if (worker.isConnected()) worker.send(response);
}

/**
 * In a cluster worker: offers `registry` to the primary and returns what `GET /metrics` serves,
 * the whole cluster's metrics. Waits at most `timeoutMs` for the primary (which waits less for
 * the workers), then fails the scrape rather than serve one worker's figures as everyone's.
 */
export function clusterMetricsRenderer(
  registry: Registry,
  { timeoutMs = 6_000 }: { timeoutMs?: number } = {},
): () => Promise<{ contentType: string; body: string }> {
  const pending = new Map<number, (response: Message) => void>();
  let nextRequestId = 0;
  process.on('message', (value: unknown) => {
    const collect = messageOf(value, COLLECT);
    if (collect) {
      registry.getMetricsAsJSON().then(
        (metrics) => process.send?.({ type: COLLECTED, requestId: collect.requestId, metrics }),
        (error: unknown) =>
          process.send?.({ type: COLLECTED, requestId: collect.requestId, error: String(error) }),
      );
      return;
    }
    const response = messageOf(value, RESPONSE);
    if (response?.requestId !== undefined) pending.get(response.requestId)?.(response);
  });
  process.send?.({ type: ANNOUNCE });
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
      process.send?.({ type: REQUEST, requestId });
    });
}
