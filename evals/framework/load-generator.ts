/**
 * A load generator with two modes. Closed loop (default): `concurrency` workers each send one
 * turn, wait for the answer, and send the next: what a chat service sees when every customer types
 * again at once, i.e. the service at saturation. Paced (`ratePerSecond`): turns are scheduled at a
 * fixed offered rate, with at most `concurrency` in flight, and latency is measured from each
 * turn's *scheduled* time, so a server that falls behind is charged for the wait (no coordinated
 * omission). Both run for a fixed duration or number of turns.
 */
import { round, type Summary, summarize } from './statistics.js';

/** What one turn reported back: per-stage timings from the server, when it sends them. */
export interface TurnSample {
  readonly timings?: Readonly<Record<string, number>>;
}

export interface LoadOptions<Worker> {
  readonly concurrency: number;
  /** Stop starting new turns after this long (measured phase only). */
  readonly durationMs?: number;
  /** Or stop after this many turns in total; whichever limit comes first. */
  readonly turns?: number;
  /** Turns per worker sent before measuring (JIT, caches, connection set-up); not recorded. */
  readonly warmupTurnsPerWorker?: number;
  /** Creates a worker's state (a connection, a conversation, a seeded message picker). */
  createWorker(workerIndex: number): Promise<Worker>;
  /**
   * Untimed preparation before a turn, e.g. starting a fresh conversation: creating one is not
   * part of a turn's latency. A failure here counts as an error of the turn.
   */
  beforeTurn?(worker: Worker): Promise<void>;
  /** Sends one turn; throws on any failure (counted as an error, not as a latency sample). */
  sendTurn(worker: Worker, turnNumber: number): Promise<TurnSample>;
  /**
   * The timing key holding the server's own total for a turn. When given, each turn also records
   * `outside_<key>`: client latency minus that total, i.e. HTTP, middleware, (de)serialisation
   * and queueing — time no stage accounts for.
   */
  readonly serverTotalKey?: string;
  /** Paced mode: offered turns per second across all workers (see the module comment). */
  readonly ratePerSecond?: number;
  /**
   * Called just before the measured phase starts and just after it ends (after set-up and
   * warm-up), e.g. to read the server's CPU time for exactly the measured turns.
   */
  onMeasuredPhase?(moment: 'start' | 'end'): Promise<void>;
  readonly now?: () => number;
}

export interface LoadResult {
  readonly concurrency: number;
  readonly turns: number;
  readonly errors: number;
  /** The first few error messages, to make a failing run diagnosable. */
  readonly errorSamples: readonly string[];
  readonly elapsedMs: number;
  readonly turnsPerSecond: number;
  /** Client-observed turn latency in milliseconds (request written → body parsed). */
  readonly latency: Summary;
  /** Server-reported stage timings in milliseconds, one summary per stage name. */
  readonly stages: Readonly<Record<string, Summary>>;
}

/** Runs the load and summarises it. Without `durationMs` or `turns` it refuses to run forever. */
export async function runLoad<Worker>(options: LoadOptions<Worker>): Promise<LoadResult> {
  const { concurrency, durationMs, turns, warmupTurnsPerWorker = 0 } = options;
  const now = options.now ?? (() => performance.now());
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError('concurrency must be a positive integer');
  if (durationMs === undefined && turns === undefined)
    throw new RangeError('give durationMs or turns, or both');

  const workers = await Promise.all(
    Array.from({ length: concurrency }, (_, index) => options.createWorker(index)),
  );
  let turnNumber = 0;
  await Promise.all(
    workers.map(async (worker) => {
      for (let index = 0; index < warmupTurnsPerWorker; index++) {
        await options.beforeTurn?.(worker);
        await options.sendTurn(worker, turnNumber++).catch(() => {});
      }
    }),
  );

  const latencies: number[] = [];
  const stageSamples = new Map<string, number[]>();
  const errorSamples: string[] = [];
  let errors = 0;
  let started = 0;
  await options.onMeasuredPhase?.('start');
  const began = now();
  const deadline = durationMs === undefined ? Number.POSITIVE_INFINITY : began + durationMs;
  const mayStart = (): boolean => (turns === undefined || started < turns) && now() < deadline;
  const { ratePerSecond } = options;
  if (ratePerSecond !== undefined && !(ratePerSecond > 0))
    throw new RangeError('ratePerSecond must be positive');
  let scheduled = 0;

  await Promise.all(
    workers.map(async (worker) => {
      while (mayStart()) {
        started++;
        try {
          await options.beforeTurn?.(worker);
          let sent = now();
          if (ratePerSecond !== undefined) {
            const scheduledAt = began + (scheduled++ * 1000) / ratePerSecond;
            const wait = scheduledAt - now();
            if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
            sent = scheduledAt;
          }
          const sample = await options.sendTurn(worker, turnNumber++);
          const latency = now() - sent;
          latencies.push(latency);
          const timings = { ...sample.timings };
          const serverTotal = options.serverTotalKey ? timings[options.serverTotalKey] : undefined;
          if (serverTotal !== undefined)
            timings[`outside_${options.serverTotalKey}`] = Math.max(0, latency - serverTotal);
          for (const [stage, milliseconds] of Object.entries(timings)) {
            if (typeof milliseconds !== 'number') continue;
            const series = stageSamples.get(stage) ?? [];
            series.push(milliseconds);
            stageSamples.set(stage, series);
          }
        } catch (error) {
          errors++;
          if (errorSamples.length < 5)
            errorSamples.push(error instanceof Error ? error.message : String(error));
        }
      }
    }),
  );
  const elapsedMs = now() - began;
  await options.onMeasuredPhase?.('end');
  const stages: Record<string, Summary> = {};
  for (const [stage, series] of [...stageSamples.entries()].sort(([left], [right]) =>
    left.localeCompare(right),
  )) {
    stages[stage] = summarize(series);
  }
  return {
    concurrency,
    turns: latencies.length,
    errors,
    errorSamples,
    elapsedMs: round(elapsedMs),
    turnsPerSecond: elapsedMs > 0 ? round((latencies.length / elapsedMs) * 1000) : 0,
    latency: summarize(latencies),
    stages,
  };
}
