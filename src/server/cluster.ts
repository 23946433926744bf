/**
 * Cluster mode: the primary process forks worker processes that share one listening port
 * (`node:cluster`), restarts a worker that dies, and stops them all on SIGINT/SIGTERM. The primary
 * only supervises: it never loads the knowledge index or opens the database. Each worker runs
 * the ordinary single-process server (see `main.ts`) and shares state through the SQLite file.
 */
import cluster, { type Worker } from 'node:cluster';
import { answerClusterMetricsRequests } from '../observability/cluster-metrics.js';
import type { Logger } from '../observability/logger.js';

export interface ClusterPrimaryOptions {
  readonly workers: number;
  readonly logger: Logger;
  /** First restart delay after a crash; doubles for each crash in a row, up to `maxRestartDelayMs`. Default 250 ms. */
  readonly restartDelayMs?: number;
  readonly maxRestartDelayMs?: number;
  /** A worker up this long has recovered: its next crash restarts after the first delay again. Default 30 s. */
  readonly stableAfterMs?: number;
  /** How long shutdown waits for workers before killing them. Default 10 s. */
  readonly shutdownTimeoutMs?: number;
}

/** Whether this process is a worker forked by the cluster primary. */
export function isClusterWorker(): boolean {
  return cluster.isWorker;
}

/**
 * Runs the primary. The first worker starts alone and the others only once it is listening: the
 * first one applies migrations and brings the persisted index up to date, so the others find
 * both ready instead of racing to write them. A worker that exits before it ever listened means
 * Teller cannot start (bad configuration, broken document): the primary stops everything and
 * exits 1 rather than restarting it in a loop.
 */
export function runClusterPrimary({
  workers,
  logger,
  restartDelayMs = 250,
  maxRestartDelayMs = 10_000,
  stableAfterMs = 30_000,
  shutdownTimeoutMs = 10_000,
}: ClusterPrimaryOptions): void {
  const slots = new Map<Worker, { slot: number; startedAt: number; listening: boolean }>();
  const crashesInARow = new Map<number, number>();
  let stopping = false;
  let exitCode = 0;
  let othersForked = false;

  const fork = (slot: number): Worker => {
    // The slot travels in the environment, so a replacement worker answers with the same number.
    const worker = cluster.fork({ TELLER_WORKER_SLOT: String(slot) });
    slots.set(worker, { slot, startedAt: Date.now(), listening: false });
    return worker;
  };

  cluster.on('listening', (worker, address) => {
    const state = slots.get(worker);
    if (!state) return;
    state.listening = true;
    logger.info('worker listening', { worker: state.slot, pid: worker.process.pid, port: address.port });
    if (othersForked) return;
    othersForked = true;
    for (let slot = 2; slot <= workers; slot += 1) fork(slot);
  });

  cluster.on('exit', (worker, code, signal) => {
    const state = slots.get(worker);
    slots.delete(worker);
    if (!state || stopping) {
      if (stopping && slots.size === 0) process.exit(exitCode);
      return;
    }
    if (!state.listening) {
      logger.error('worker could not start; stopping', { worker: state.slot, code, signal });
      stopAll('start-up failure', 1);
      return;
    }
    const recovered = Date.now() - state.startedAt >= stableAfterMs;
    const crashes = recovered ? 1 : (crashesInARow.get(state.slot) ?? 0) + 1;
    crashesInARow.set(state.slot, crashes);
    const delayMs = Math.min(maxRestartDelayMs, restartDelayMs * 2 ** (crashes - 1));
    logger.warn('worker exited; restarting', {
      worker: state.slot,
      code,
      signal,
      crashesInARow: crashes,
      delayMs,
    });
    setTimeout(() => {
      if (!stopping) fork(state.slot);
    }, delayMs).unref();
  });

  const stopAll = (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    logger.info('shutting down workers', { reason, workers: slots.size });
    if (slots.size === 0) process.exit(exitCode);
    for (const worker of slots.keys()) worker.process.kill('SIGTERM');
    setTimeout(() => {
      for (const worker of slots.keys()) worker.process.kill('SIGKILL');
      process.exit(exitCode);
    }, shutdownTimeoutMs).unref();
  };

  process.on('SIGINT', () => stopAll('SIGINT', 0));
  process.on('SIGTERM', () => stopAll('SIGTERM', 0));
  // GET /metrics on any worker serves every worker's metrics, gathered here.
  answerClusterMetricsRequests();
  logger.info('cluster primary started', { pid: process.pid, workers });
  fork(1);
}

/**
 * Adds `X-Teller-Worker: <slot>` to every response of a worker, so operators (and the cluster
 * test) can see that requests spread over the workers. The slot (1..N) is not a pid, and a
 * replacement worker keeps the slot of the one it replaces.
 */
export function withWorkerHeader(
  fetch: (request: Request) => Response | Promise<Response>,
  workerId: number,
): (request: Request) => Promise<Response> {
  const id = String(workerId);
  return async function fetchWithWorkerHeader(request) {
    const response = await fetch(request);
    try {
      response.headers.set('X-Teller-Worker', id);
      return response;
    } catch {
      // Headers of a response built elsewhere may be immutable: copy it.
      const copy = new Response(response.body, response);
      copy.headers.set('X-Teller-Worker', id);
      return copy;
    }
  };
}
