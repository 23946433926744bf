/**
 * The full pipeline over HTTP on loopback: the composition root's app served by
 * `@hono/node-server` in a child process, driven by a closed-loop load generator with realistic
 * mixed customer messages at concurrency 1, 16 and 64. Reports turn latency percentiles,
 * throughput, server memory and CPU, and the per-stage breakdown from each turn's `timings`.
 * A second variant serves a knowledge base grown to about 10,000 chunks with synthetic documents,
 * and a third serves that same base from the real entry point in cluster mode (`src/main.ts`
 * with TELLER_WORKERS=2: a supervising primary and two workers sharing the port and the SQLite
 * file); its server CPU is summed over all three processes. When PostgreSQL answers (as in CI), the
 * normal corpus runs twice more with DATABASE_URL on a scratch database, with one instance and with
 * two (separate processes and data directories, requests alternating between them), each reported
 * beside the SQLite run of the same invocation as ratios (throughput, p95, server CPU per turn).
 *
 * `npm run bench -- pipeline` (about a minute) or `npm run bench -- pipeline --quick` (seconds).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { createRandom, type SeededRandom } from '../../src/common/seeded-random.js';
import { DEVELOPMENT_JWT_SECRET, loadConfig } from '../../src/config/config.js';
import { TURN_STAGES } from '../../src/pipeline/stage-timer.js';
import { signDevelopmentToken } from '../../src/server/auth/token-verifier.js';
import {
  createScratchDatabase,
  postgresUnavailableReason,
} from '../../src/testing/postgres-test-database.js';
import type { Role } from '../../src/turn/types.js';
import { checkOutForComparison } from '../framework/comparison-checkout.js';
import { MESSAGE_MIX, pickMessage } from '../framework/customer-messages.js';
import { projectRoot } from '../framework/datasets.js';
import {
  createKeepAliveClient,
  HttpStatusError,
  type KeepAliveClient,
} from '../framework/keep-alive-client.js';
import { type LoadResult, runLoad } from '../framework/load-generator.js';
import {
  currentProcessStats,
  type ProcessStats,
  type ServerFactoryReference,
  type ServerProcess,
  startServerProcess,
} from '../framework/loopback-server.js';
import { startMainProcess } from '../framework/loopback-server-main.js';
import { gitCommit } from '../framework/provenance.js';
import { quantile, round } from '../framework/statistics.js';
import { writeSyntheticKnowledge } from '../framework/synthetic-knowledge.js';
import type { Benchmark, BenchmarkContext, BenchmarkResult, SuiteTable } from '../framework/types.js';

/** Where the composition root lives; imported lazily so this module loads even while it is being written. */
const COMPOSITION_MODULE = fileURLToPath(new URL('../../src/composition/build-teller.ts', import.meta.url));

/** Fictional customers of the demo bank (src/tools/core-banking/seed.ts). */
const CUSTOMERS = ['c_123', 'c_456', 'c_789', 'c_999'] as const;
/**
 * How long a server may take to get ready. Generous: on a machine busy with other work a start
 * that takes 5 s idle took over 120 s, and one variant failing to start loses the whole run.
 */
const SERVER_START_TIMEOUT_MS = 300_000;

/** The stages a turn reports, in pipeline order, for the breakdown table. */
const STAGE_ORDER: readonly string[] = [...TURN_STAGES, 'total', 'outside_total'];

const turnBodySchema = z.object({
  outcome: z.string(),
  timings: z.record(z.string(), z.number()).default({}),
});
const conversationBodySchema = z.object({ id: z.string() });

const composedAppSchema = z.object({
  app: z.object({
    fetch: z.custom<(request: Request) => Response | Promise<Response>>(
      (value) => typeof value === 'function',
    ),
  }),
  close: z.custom<() => unknown>((value) => typeof value === 'function').optional(),
});

/**
 * Builds the whole app from an environment record. Runs inside the server child process (see
 * `startServerProcess`); exported so the child can call it by name.
 */
export async function createPipelineApp(options: {
  environment: Record<string, string>;
  compositionModule?: string;
}) {
  const config = loadConfig(options.environment);
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(options.compositionModule ?? COMPOSITION_MODULE).href)) as Record<
      string,
      unknown
    >;
  } catch (error) {
    throw new Error(
      `The pipeline benchmark needs the composition root src/composition/build-teller.ts exporting buildTeller(config): ${(error as Error).message}`,
    );
  }
  if (typeof module.buildTeller !== 'function')
    throw new Error('src/composition/build-teller.ts must export buildTeller(config).');
  const teller = composedAppSchema.parse(await module.buildTeller(config));
  return { fetch: (request: Request) => teller.app.fetch(request), close: () => teller.close?.() };
}

/** Sizes of one benchmark run. */
export interface PipelinePlan {
  readonly concurrencies: readonly number[];
  readonly durationMs: number;
  readonly warmupTurns: number;
  /** Turns before a worker starts a fresh conversation, so transcripts stay realistic in length. */
  readonly turnsPerConversation: number;
  readonly syntheticChunks: number;
  /** Paced levels: an offered rate with at most this many turns in flight. */
  readonly paced: ReadonlyArray<{ readonly ratePerSecond: number; readonly concurrency: number }>;
}

const FULL_PLAN: PipelinePlan = {
  concurrencies: [1, 16, 64],
  durationMs: 10_000,
  warmupTurns: 400,
  turnsPerConversation: 6,
  syntheticChunks: 10_000,
  paced: [{ ratePerSecond: 300, concurrency: 16 }],
};
const QUICK_PLAN: PipelinePlan = {
  concurrencies: [1, 16, 64],
  durationMs: 1_500,
  warmupTurns: 60,
  turnsPerConversation: 6,
  syntheticChunks: 1_000,
  paced: [{ ratePerSecond: 300, concurrency: 16 }],
};

interface WorkerState {
  readonly token: string;
  readonly random: SeededRandom;
  conversationId: string | undefined;
  turnsInConversation: number;
}

interface LevelResult {
  readonly load: LoadResult;
  /** Set for paced levels (offered rate); closed-loop levels have none. */
  readonly ratePerSecond?: number;
  readonly serverCpuPercent: number;
  readonly serverAfter: ProcessStats;
  /** Server CPU time (user + system) per turn, conversation starts included. */
  readonly serverCpuMsPerTurn: number;
  /** Message kind → outcome → count; `error` counts turns that failed. */
  readonly outcomesByKind: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

async function driveLevel(
  client: KeepAliveClient,
  tokens: ReadonlyMap<string, string>,
  concurrency: number,
  plan: PipelinePlan,
  seed: number,
  stats: () => Promise<ProcessStats>,
  limits: { durationMs?: number; turns?: number; ratePerSecond?: number },
): Promise<LevelResult> {
  const outcomesByKind: Record<string, Record<string, number>> = {};
  const count = (kind: string, outcome: string) => {
    const row = outcomesByKind[kind] ?? {};
    row[outcome] = (row[outcome] ?? 0) + 1;
    outcomesByKind[kind] = row;
  };
  let before: ProcessStats | undefined;
  let after: ProcessStats | undefined;
  let startedAt = 0;
  let wallMs = 0;
  const load = await runLoad<WorkerState>({
    concurrency,
    ...limits,
    warmupTurnsPerWorker: 1,
    serverTotalKey: 'total',
    async onMeasuredPhase(moment) {
      if (moment === 'start') {
        before = await stats();
        startedAt = performance.now();
      } else {
        wallMs = performance.now() - startedAt;
        after = await stats();
      }
    },
    async createWorker(index) {
      const customer = CUSTOMERS[index % CUSTOMERS.length] as string;
      return {
        token: tokens.get(customer) as string,
        random: createRandom(seed * 1000 + concurrency * 100 + index),
        conversationId: undefined,
        turnsInConversation: 0,
      };
    },
    async beforeTurn(worker) {
      if (worker.conversationId && worker.turnsInConversation < plan.turnsPerConversation) return;
      const headers = { authorization: `Bearer ${worker.token}` };
      worker.conversationId = conversationBodySchema.parse(
        await client.json('POST', '/v1/conversations', {}, headers),
      ).id;
      worker.turnsInConversation = 0;
    },
    async sendTurn(worker) {
      const headers = { authorization: `Bearer ${worker.token}` };
      const message = pickMessage(worker.random);
      worker.turnsInConversation++;
      try {
        const body = turnBodySchema.parse(
          await client.json(
            'POST',
            `/v1/conversations/${worker.conversationId}/messages`,
            { text: message.text },
            headers,
          ),
        );
        count(message.kind, body.outcome);
        // A handed-off conversation waits for an agent; the customer would start a new chat.
        if (body.outcome === 'handoff' || body.outcome === 'agent_pending') worker.conversationId = undefined;
        return { timings: body.timings };
      } catch (error) {
        count(message.kind, 'error');
        if (error instanceof HttpStatusError && error.status === 409) worker.conversationId = undefined;
        throw error;
      }
    },
  });
  if (!before || !after) throw new Error('the load generator did not report its measured phase');
  const cpuMs = after.cpuUserMs + after.cpuSystemMs - before.cpuUserMs - before.cpuSystemMs;
  const requests = load.turns + load.errors;
  return {
    load,
    serverCpuPercent: round((cpuMs / wallMs) * 100, 1),
    // CPU time per turn barely depends on other load on the machine, unlike latency.
    serverCpuMsPerTurn: requests > 0 ? round(cpuMs / requests, 2) : Number.NaN,
    serverAfter: after,
    outcomesByKind,
  };
}

interface VariantResult {
  readonly label: string;
  readonly startupMs: number;
  readonly levels: readonly LevelResult[];
  readonly serverIdle: ProcessStats;
  readonly serverEnd: ProcessStats;
}

/** The environment the composition root is built from: temp data, silent logs, no rate limit in the way. */
function pipelineServer(
  knowledgeDir: string,
  dataDir: string,
  compositionModule: string,
  extraEnvironment: Record<string, string> = {},
): ServerFactoryReference {
  const environment: Record<string, string> = {
    ...extraEnvironment,
    TELLER_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    KNOWLEDGE_DIR: knowledgeDir,
    // The limiter would otherwise answer 429 within a second at these rates.
    RATE_LIMIT_PER_MINUTE: '100000000',
    DEMO_BANK: 'true',
  };
  // Validate here, in the parent, so a bad value fails before a child process is started.
  loadConfig(environment);
  return {
    modulePath: fileURLToPath(import.meta.url),
    exportName: 'createPipelineApp',
    options: { environment, compositionModule },
  };
}

/** The environment of `pipelineServer` for the real entry point in cluster mode (no composition stand-in). */
function clusterServer(knowledgeDir: string, dataDir: string, workers: number): () => Promise<ServerProcess> {
  const environment: Record<string, string> = {
    TELLER_ENV: 'development',
    HOST: '127.0.0.1',
    // Warnings only: an info line per turn would cost the workers CPU the other variants do not spend.
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    KNOWLEDGE_DIR: knowledgeDir,
    RATE_LIMIT_PER_MINUTE: '100000000',
    DEMO_BANK: 'true',
  };
  loadConfig({ ...environment, TELLER_WORKERS: String(workers) });
  return () =>
    startMainProcess(projectRoot, environment, { workers, startTimeoutMs: SERVER_START_TIMEOUT_MS });
}

/**
 * The same HTTP path with no pipeline behind it (a tiny app answering with fixed timings): the
 * floor that server framework, loopback and load generator alone put under every figure.
 */
const HTTP_FLOOR_SERVER: ServerFactoryReference = {
  modulePath: fileURLToPath(new URL('../framework/fixtures/timed-echo-app.ts', import.meta.url)),
  exportName: 'createTimedEchoApp',
  options: {},
};

async function runVariant(
  label: string,
  factory: ServerFactoryReference | (() => Promise<ServerProcess>),
  plan: PipelinePlan,
  context: BenchmarkContext,
): Promise<VariantResult> {
  const started = performance.now();
  const server =
    typeof factory === 'function'
      ? await factory()
      : await startServerProcess(factory, projectRoot, SERVER_START_TIMEOUT_MS);
  const startupMs = performance.now() - started;
  context.log(`${label}: server ready at ${server.url} in ${Math.round(startupMs)} ms`);
  const client = createKeepAliveClient(server.urls ?? server.url, Math.max(...plan.concurrencies) + 4);
  try {
    const tokens = new Map<string, string>();
    for (const customer of CUSTOMERS) {
      tokens.set(
        customer,
        await signDevelopmentToken(DEVELOPMENT_JWT_SECRET, {
          subject: customer,
          roles: ['customer'] as Role[],
        }),
      );
    }
    const serverIdle = await server.stats();
    context.log(`${label}: warming up (${plan.warmupTurns} turns at concurrency 16)`);
    const warmup = await driveLevel(client, tokens, 16, plan, context.seed + 99, () => server.stats(), {
      turns: plan.warmupTurns,
    });
    if (warmup.load.turns === 0) {
      throw new Error(`Every warm-up turn failed: ${warmup.load.errorSamples.join(' | ')}`);
    }
    const levels: LevelResult[] = [];
    for (const concurrency of plan.concurrencies) {
      const level = await driveLevel(client, tokens, concurrency, plan, context.seed, () => server.stats(), {
        durationMs: plan.durationMs,
      });
      levels.push(level);
      context.log(
        `${label}: c=${concurrency} ${level.load.turns} turns, p50 ${round(level.load.latency.p50, 2)} ms, ` +
          `p95 ${round(level.load.latency.p95, 2)} ms, ${level.load.turnsPerSecond} turns/s, ${level.load.errors} errors` +
          (level.load.errorSamples[0] ? ` (first: ${level.load.errorSamples[0]})` : ''),
      );
    }
    for (const { ratePerSecond, concurrency } of plan.paced) {
      const level = await driveLevel(client, tokens, concurrency, plan, context.seed, () => server.stats(), {
        durationMs: plan.durationMs,
        ratePerSecond,
      });
      levels.push({ ...level, ratePerSecond });
      context.log(
        `${label}: paced ${ratePerSecond}/s, up to ${concurrency} in flight: ${level.load.turns} turns, ` +
          `p50 ${round(level.load.latency.p50, 2)} ms, p95 ${round(level.load.latency.p95, 2)} ms, ` +
          `${level.load.turnsPerSecond} turns/s, ${level.load.errors} errors`,
      );
    }
    return { label, startupMs, levels, serverIdle, serverEnd: await server.stats() };
  } finally {
    client.close();
    await server.close();
  }
}

function figuresOf(variant: VariantResult, suffix: string): Record<string, number> {
  const figures: Record<string, number> = {
    [`startup_ms${suffix}`]: round(variant.startupMs, 0),
    [`server.idle.rss_mb${suffix}`]: variant.serverIdle.rssMb,
    [`server.idle.heap_used_mb${suffix}`]: variant.serverIdle.heapUsedMb,
    [`server.end.rss_mb${suffix}`]: variant.serverEnd.rssMb,
    [`server.end.heap_used_mb${suffix}`]: variant.serverEnd.heapUsedMb,
    [`server.peak.rss_mb${suffix}`]: variant.serverEnd.maxRssMb,
  };
  for (const level of variant.levels) {
    const prefix = level.ratePerSecond
      ? `paced${level.ratePerSecond}.c${level.load.concurrency}`
      : `c${level.load.concurrency}`;
    const { latency } = level.load;
    Object.assign(figures, {
      [`${prefix}.turn.p50_ms${suffix}`]: round(latency.p50),
      [`${prefix}.turn.p95_ms${suffix}`]: round(latency.p95),
      [`${prefix}.turn.p99_ms${suffix}`]: round(latency.p99),
      [`${prefix}.throughput.turns_per_s${suffix}`]: level.load.turnsPerSecond,
      [`${prefix}.turns_count${suffix}`]: level.load.turns,
      [`${prefix}.errors_count${suffix}`]: level.load.errors,
      [`${prefix}.server.cpu_pct${suffix}`]: level.serverCpuPercent,
      [`${prefix}.server.cpu_per_turn_ms${suffix}`]: level.serverCpuMsPerTurn,
      [`${prefix}.server.rss_mb${suffix}`]: level.serverAfter.rssMb,
    });
    for (const [stage, summary] of Object.entries(level.load.stages)) {
      figures[`${prefix}.stage.${stage}.p50_ms${suffix}`] = round(summary.p50);
      figures[`${prefix}.stage.${stage}.p95_ms${suffix}`] = round(summary.p95);
    }
  }
  return figures;
}

function tablesOf(variant: VariantResult): SuiteTable[] {
  const latencyTable: SuiteTable = {
    title: `Turn latency and throughput (${variant.label})`,
    columns: [
      'concurrency',
      'turns',
      'errors',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
      'turns/s',
      'server CPU %',
      'server CPU ms/turn',
      'server RSS MB',
    ],
    rows: variant.levels.map((level) => [
      levelLabel(level),
      level.load.turns,
      level.load.errors,
      round(level.load.latency.p50, 2),
      round(level.load.latency.p95, 2),
      round(level.load.latency.p99, 2),
      round(level.load.latency.max, 2),
      level.load.turnsPerSecond,
      level.serverCpuPercent,
      level.serverCpuMsPerTurn,
      level.serverAfter.rssMb,
    ]),
  };
  const stages = new Set(variant.levels.flatMap((level) => Object.keys(level.load.stages)));
  const ordered = [
    ...STAGE_ORDER.filter((stage) => stages.has(stage)),
    ...[...stages].filter((stage) => !STAGE_ORDER.includes(stage)).sort(),
  ];
  const stageTable: SuiteTable = {
    title: `Server-reported stage timings, ms (${variant.label})`,
    columns: [
      'stage',
      ...variant.levels.flatMap((level) => [`${levelLabel(level)} p50`, `${levelLabel(level)} p95`]),
    ],
    rows: ordered.map((stage) => [
      stage,
      ...variant.levels.flatMap((level): Array<string | number> => {
        const summary = level.load.stages[stage];
        return summary ? [round(summary.p50, 3), round(summary.p95, 3)] : ['—', '—'];
      }),
    ]),
  };
  // Summed over the levels: which outcome each kind of message got (a check that the mix is realistic).
  const totals: Record<string, Record<string, number>> = {};
  for (const level of variant.levels) {
    for (const [kind, outcomes] of Object.entries(level.outcomesByKind)) {
      const row = totals[kind] ?? {};
      for (const [outcome, turns] of Object.entries(outcomes)) row[outcome] = (row[outcome] ?? 0) + turns;
      totals[kind] = row;
    }
  }
  const outcomeNames = [...new Set(Object.values(totals).flatMap((row) => Object.keys(row)))].sort();
  const mixTable: SuiteTable = {
    title: `Outcomes by message kind, all levels (${variant.label})`,
    columns: ['message kind', 'sent', ...outcomeNames],
    rows: Object.keys(totals)
      .sort()
      .map((kind) => {
        const row = totals[kind] ?? {};
        return [
          kind,
          Object.values(row).reduce((sum, turns) => sum + turns, 0),
          ...outcomeNames.map((outcome) => row[outcome] ?? 0),
        ];
      }),
  };
  return [latencyTable, stageTable, mixTable];
}

/** The HTTP floor's latency and throughput per level (no stage timings: there is no pipeline). */
function floorFigures(floor: VariantResult): Record<string, number> {
  const figures: Record<string, number> = {};
  for (const level of floor.levels.filter((candidate) => !candidate.ratePerSecond)) {
    const prefix = `http_floor.c${level.load.concurrency}`;
    figures[`${prefix}.turn.p50_ms`] = round(level.load.latency.p50);
    figures[`${prefix}.turn.p95_ms`] = round(level.load.latency.p95);
    figures[`${prefix}.throughput.turns_per_s`] = level.load.turnsPerSecond;
  }
  return figures;
}

/** `c16` for a closed-loop level, `300/s≤16` for a paced one. */
function levelLabel(level: LevelResult): string {
  return level.ratePerSecond
    ? `${level.ratePerSecond}/s≤${level.load.concurrency}`
    : `c${level.load.concurrency}`;
}

function targetsTable(variant: VariantResult): SuiteTable {
  const c16 = variant.levels.find((level) => level.load.concurrency === 16 && !level.ratePerSecond);
  const paced = variant.levels.find((level) => level.ratePerSecond === 300 && level.load.concurrency === 16);
  const best = Math.max(...variant.levels.map((level) => level.load.turnsPerSecond));
  const p95 = c16?.load.latency.p95 ?? Number.NaN;
  return {
    title: `Targets on 2 cores (${variant.label})`,
    columns: ['target', 'measured', 'met'],
    rows: [
      [
        'turn p95 < 20 ms at concurrency 16 (closed loop, saturation)',
        `${round(p95, 2)} ms`,
        p95 < 20 ? 'yes' : 'NO',
      ],
      [
        'turn p95 < 20 ms at 300 turns/s offered, up to 16 in flight (paced)',
        paced ? `${round(paced.load.latency.p95, 2)} ms at ${paced.load.turnsPerSecond} turns/s` : 'n/a',
        paced && paced.load.latency.p95 < 20 && paced.load.turnsPerSecond >= 290 ? 'yes' : 'NO',
      ],
      ['throughput ≥ 300 turns/s', `${best} turns/s (best level)`, best >= 300 ? 'yes' : 'NO'],
      // Wall-clock figures suffer when other work shares the machine; CPU per turn does not.
      [
        'capacity implied by server CPU per turn at concurrency 16 (per idle core)',
        c16 && Number.isFinite(c16.serverCpuMsPerTurn)
          ? `${round(1000 / c16.serverCpuMsPerTurn, 0)} turns/s`
          : 'n/a',
        c16 && 1000 / c16.serverCpuMsPerTurn >= 300 ? 'yes' : 'NO',
      ],
    ],
  };
}

/** The two PostgreSQL variants of the normal corpus: one instance, and two sharing the database. */
interface PostgresVariants {
  readonly single: VariantResult;
  readonly pair: VariantResult;
}

/**
 * The normal corpus with DATABASE_URL on a scratch database: one instance, then two instances
 * (separate processes and data directories, as on two hosts) on a fresh one, the load spread over
 * them request by request. Undefined (logged) when PostgreSQL does not answer.
 */
async function postgresVariants(
  scratch: string,
  compositionModule: string,
  plan: PipelinePlan,
  context: BenchmarkContext,
): Promise<PostgresVariants | undefined> {
  const unavailable = await postgresUnavailableReason();
  if (unavailable) {
    context.log(`PostgreSQL variants skipped: ${unavailable}`);
    return undefined;
  }
  const knowledge = resolve(projectRoot, 'knowledge');
  const singleDatabase = await createScratchDatabase();
  let single: VariantResult;
  try {
    single = await runVariant(
      'normal corpus, PostgreSQL',
      pipelineServer(knowledge, join(scratch, 'data-postgres'), compositionModule, {
        DATABASE_URL: singleDatabase.url,
      }),
      plan,
      context,
    );
  } finally {
    await singleDatabase.drop();
  }
  const pairDatabase = await createScratchDatabase();
  // Instances sharing a database sign its audit head with one key (an instance with another stops).
  const auditKey = randomBytes(32).toString('hex');
  try {
    const instance = (name: string) =>
      pipelineServer(knowledge, join(scratch, `data-postgres-${name}`), compositionModule, {
        DATABASE_URL: pairDatabase.url,
        AUDIT_KEY: auditKey,
      });
    const pair = await runVariant(
      'normal corpus, PostgreSQL, 2 instances',
      () => startInstances([instance('a'), instance('b')]),
      plan,
      context,
    );
    return { single, pair };
  } finally {
    await pairDatabase.drop();
  }
}

/**
 * Several server processes as one: requests alternate between them, and their CPU and memory are
 * summed. Started one after the other, so the first applies the migrations and the machine is not
 * asked to start both at once.
 */
async function startInstances(references: readonly ServerFactoryReference[]): Promise<ServerProcess> {
  const instances: ServerProcess[] = [];
  try {
    for (const reference of references) {
      instances.push(await startServerProcess(reference, projectRoot, SERVER_START_TIMEOUT_MS));
    }
  } catch (error) {
    await Promise.all(instances.map((instance) => instance.close()));
    throw error;
  }
  return {
    url: instances[0]!.url,
    urls: instances.map((instance) => instance.url),
    pid: instances[0]!.pid,
    async stats() {
      const each = await Promise.all(instances.map((instance) => instance.stats()));
      const sum = (field: keyof ProcessStats) =>
        round(
          each.reduce((total, stats) => total + stats[field], 0),
          1,
        );
      return {
        rssMb: sum('rssMb'),
        heapUsedMb: sum('heapUsedMb'),
        heapTotalMb: sum('heapTotalMb'),
        externalMb: sum('externalMb'),
        maxRssMb: sum('maxRssMb'),
        cpuUserMs: sum('cpuUserMs'),
        cpuSystemMs: sum('cpuSystemMs'),
      };
    },
    close: async () => void (await Promise.all(instances.map((instance) => instance.close()))),
  };
}

/**
 * A variant over SQLite at each closed-loop concurrency of the same run, named `<name>_over_sqlite`:
 * above 1 means the variant's figure is higher.
 */
function ratiosOver(sqlite: VariantResult, variant: VariantResult, name: string): Record<string, number> {
  const figures: Record<string, number> = {};
  for (const level of variant.levels) {
    const matching = sqlite.levels.find(
      (candidate) =>
        candidate.load.concurrency === level.load.concurrency &&
        candidate.ratePerSecond === level.ratePerSecond,
    );
    if (!matching || level.ratePerSecond) continue;
    const prefix = `c${level.load.concurrency}.${name}_over_sqlite`;
    figures[`${prefix}.turns_per_s_ratio`] = round(
      level.load.turnsPerSecond / matching.load.turnsPerSecond,
      2,
    );
    figures[`${prefix}.p95_ratio`] = round(level.load.latency.p95 / matching.load.latency.p95, 2);
    figures[`${prefix}.cpu_per_turn_ratio`] = round(
      level.serverCpuMsPerTurn / matching.serverCpuMsPerTurn,
      2,
    );
  }
  return figures;
}

/** Sizes of a two-commit comparison: alternating measurement windows at one concurrency. */
interface ComparisonPlan {
  readonly windowsPerCommit: number;
  readonly durationMs: number;
  readonly concurrency: number;
  readonly warmupTurns: number;
}

const FULL_COMPARISON: ComparisonPlan = {
  windowsPerCommit: 5,
  durationMs: 10_000,
  concurrency: 16,
  warmupTurns: 400,
};
/** How long each compared server may take to build and listen. */
const COMPARISON_START_TIMEOUT_MS = 600_000;

const QUICK_COMPARISON: ComparisonPlan = {
  windowsPerCommit: 2,
  durationMs: 1_500,
  concurrency: 16,
  warmupTurns: 60,
};

interface ComparedSide {
  readonly name: 'head' | 'base';
  readonly label: string;
  readonly server: ServerProcess;
  readonly client: KeepAliveClient;
  readonly windows: LevelResult[];
}

function median(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite).sort((left, right) => left - right);
  return finite.length === 0 ? Number.NaN : quantile(finite, 0.5);
}

/**
 * This checkout against `ref`, each served by its own composition root and its own copy of this
 * harness (the other commit's `evals/benchmarks/pipeline.ts`), both running at once: warmed up,
 * then measured in alternating windows (head, base, base, head, …) with the same seeded messages,
 * so drift in the machine's load falls on both alike. Reports the median server CPU per turn of
 * each and their ratio.
 */
async function compareWithCommit(
  ref: string,
  compositionModule: string,
  plan: ComparisonPlan,
  context: BenchmarkContext,
): Promise<BenchmarkResult> {
  const other = checkOutForComparison(projectRoot, ref);
  const scratch = mkdtempSync(join(tmpdir(), 'teller-bench-compare-'));
  const sides: ComparedSide[] = [];
  const head = gitCommit(projectRoot);
  try {
    context.log(`comparing with ${ref} (${other.commit.slice(0, 12)}), checked out in ${other.root}`);
    if (!other.sameDependencies)
      context.log(
        `warning: ${ref} declares other dependencies (package-lock.json differs) but runs on this checkout's node_modules; if it fails to start, compare with the commit this branch started from (git merge-base HEAD ${ref})`,
      );
    const baseReference = pipelineServer(
      join(other.root, 'knowledge'),
      join(scratch, 'data-base'),
      join(other.root, 'src', 'composition', 'build-teller.ts'),
    );
    const starts = [
      {
        name: 'head' as const,
        label: `this checkout (${head ? head.commit.slice(0, 12) : 'no git'}${head?.dirty ? ', with changes' : ''})`,
        root: projectRoot,
        reference: pipelineServer(
          resolve(projectRoot, 'knowledge'),
          join(scratch, 'data-head'),
          compositionModule,
        ),
      },
      {
        name: 'base' as const,
        label: `${ref} (${other.commit.slice(0, 12)})`,
        root: other.root,
        reference: { ...baseReference, modulePath: join(other.root, 'evals', 'benchmarks', 'pipeline.ts') },
      },
    ];
    // Both build at once (each ingests its corpus into its own scratch folder); a busy machine
    // can take minutes, hence the longer wait. A server that did start is closed in `finally`.
    const started = await Promise.allSettled(
      starts.map((start) => startServerProcess(start.reference, start.root, COMPARISON_START_TIMEOUT_MS)),
    );
    starts.forEach((start, index) => {
      const outcome = started[index];
      if (outcome?.status !== 'fulfilled') return;
      sides.push({
        name: start.name,
        label: start.label,
        server: outcome.value,
        client: createKeepAliveClient(outcome.value.url, plan.concurrency + 4),
        windows: [],
      });
      context.log(`${start.label}: server ready at ${outcome.value.url}`);
    });
    const failed = started.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    const tokens = new Map<string, string>();
    for (const customer of CUSTOMERS) {
      tokens.set(
        customer,
        await signDevelopmentToken(DEVELOPMENT_JWT_SECRET, {
          subject: customer,
          roles: ['customer'] as Role[],
        }),
      );
    }
    const pipelinePlan: PipelinePlan = {
      ...QUICK_PLAN,
      durationMs: plan.durationMs,
      warmupTurns: plan.warmupTurns,
    };
    for (const side of sides) {
      await driveLevel(
        side.client,
        tokens,
        plan.concurrency,
        pipelinePlan,
        context.seed + 99,
        () => side.server.stats(),
        {
          turns: plan.warmupTurns,
        },
      );
    }
    for (let window = 0; window < plan.windowsPerCommit * 2; window++) {
      // head, base, base, head, head, base…: neither side always goes first.
      const side = sides[(window + Math.floor(window / 2)) % 2] as ComparedSide;
      const level = await driveLevel(
        side.client,
        tokens,
        plan.concurrency,
        pipelinePlan,
        context.seed + Math.floor(window / 2),
        () => side.server.stats(),
        { durationMs: plan.durationMs },
      );
      side.windows.push(level);
      context.log(
        `window ${window + 1}: ${side.label}: ${level.load.turns} turns, ${level.serverCpuMsPerTurn} ms CPU/turn, ` +
          `${level.load.turnsPerSecond} turns/s, ${level.load.errors} errors`,
      );
    }
    const cpu = (side: ComparedSide) => median(side.windows.map((window) => window.serverCpuMsPerTurn));
    const [headSide, baseSide] = sides as [ComparedSide, ComparedSide];
    const figures: Record<string, number> = {};
    for (const side of sides) {
      figures[`compare.${side.name}.server.cpu_per_turn_ms`] = round(cpu(side), 3);
      figures[`compare.${side.name}.throughput.turns_per_s`] = round(
        median(side.windows.map((window) => window.load.turnsPerSecond)),
        1,
      );
      figures[`compare.${side.name}.turn.p95_ms`] = round(
        median(side.windows.map((window) => window.load.latency.p95)),
      );
      figures[`compare.${side.name}.errors_count`] = side.windows.reduce(
        (sum, window) => sum + window.load.errors,
        0,
      );
    }
    figures['compare.head_over_base.cpu_per_turn_ratio'] = round(cpu(headSide) / cpu(baseSide), 3);
    return {
      figures,
      tables: [
        {
          title: `Server CPU per turn, this checkout against ${ref}, alternating windows at concurrency ${plan.concurrency}`,
          columns: [
            'window',
            'commit',
            'turns',
            'errors',
            'server CPU ms/turn',
            'turns/s',
            'p50 ms',
            'p95 ms',
          ],
          rows: sides
            .flatMap((side) => side.windows.map((window, index) => ({ side, window, index })))
            .map(({ side, window, index }) => [
              index + 1,
              side.label,
              window.load.turns,
              window.load.errors,
              window.serverCpuMsPerTurn,
              window.load.turnsPerSecond,
              round(window.load.latency.p50, 2),
              round(window.load.latency.p95, 2),
            ]),
        },
      ],
      environment: {
        seed: String(context.seed),
        head: head ? `${head.commit}${head.dirty ? ' (with uncommitted changes)' : ''}` : 'unknown',
        base: `${ref} = ${other.commit}`,
        windowsPerCommit: String(plan.windowsPerCommit),
        durationPerWindowMs: String(plan.durationMs),
        concurrency: String(plan.concurrency),
        warmupTurns: String(plan.warmupTurns),
        corpus: 'each commit its own knowledge/ folder',
      },
    };
  } finally {
    for (const side of sides) {
      side.client.close();
      await side.server.close();
    }
    rmSync(scratch, { recursive: true, force: true });
    other.remove();
  }
}

export interface PipelineBenchmarkOptions {
  /** Module exporting `buildTeller(config)`; the composition root by default (a stand-in in checks of this file). */
  readonly compositionModule?: string;
  /** Sizes; by default 10 s per level (1.5 s with `--quick`). */
  readonly plan?: PipelinePlan;
}

/** The pipeline benchmark; see the module comment. */
export const benchmark: Benchmark = createPipelineBenchmark();

/** Builds the benchmark; options exist so the harness can be checked against a stand-in app. */
export function createPipelineBenchmark(options: PipelineBenchmarkOptions = {}): Benchmark {
  const compositionModule = options.compositionModule ?? COMPOSITION_MODULE;
  return {
    name: 'pipeline',
    description:
      'Full pipeline over HTTP on loopback (composition root in a child process, keep-alive load generator in this process, sharing the same cores): ' +
      'mixed customer messages at concurrency 1, 16 and 64; latency, throughput, memory and per-stage timings, with the normal corpus and with about 10,000 chunks.',
    comparesCommits: true,
    async run(context) {
      if (context.compare !== undefined)
        return compareWithCommit(
          context.compare,
          compositionModule,
          context.quick ? QUICK_COMPARISON : FULL_COMPARISON,
          context,
        );
      const plan = options.plan ?? (context.quick ? QUICK_PLAN : FULL_PLAN);
      const scratch = mkdtempSync(join(tmpdir(), 'teller-bench-'));
      const size =
        plan.syntheticChunks >= 1000
          ? `${Math.round(plan.syntheticChunks / 1000)}k`
          : String(plan.syntheticChunks);
      const suffix = `@${size}`;
      try {
        const floor = await runVariant('HTTP floor, no pipeline', HTTP_FLOOR_SERVER, plan, context);
        const normal = await runVariant(
          'normal corpus',
          pipelineServer(resolve(projectRoot, 'knowledge'), join(scratch, 'data-normal'), compositionModule),
          plan,
          context,
        );
        const postgres = await postgresVariants(scratch, compositionModule, plan, context);
        const synthetic = writeSyntheticKnowledge(
          resolve(projectRoot, 'knowledge'),
          join(scratch, 'knowledge'),
          plan.syntheticChunks,
          context.seed,
        );
        const largeLabel = `${size} synthetic chunks`;
        context.log(`${largeLabel}: wrote ${synthetic.documents} synthetic documents`);
        const large = await runVariant(
          largeLabel,
          pipelineServer(join(scratch, 'knowledge'), join(scratch, 'data-large'), compositionModule),
          plan,
          context,
        );
        // The real entry point only builds the real composition root; a stand-in (harness checks) skips it.
        const clusterLabel = `${size} synthetic chunks, 2 workers`;
        const cluster =
          compositionModule === COMPOSITION_MODULE
            ? await runVariant(
                clusterLabel,
                clusterServer(join(scratch, 'knowledge'), join(scratch, 'data-cluster'), 2),
                plan,
                context,
              )
            : undefined;
        const client = currentProcessStats();
        return {
          figures: {
            ...figuresOf(normal, ''),
            ...figuresOf(large, suffix),
            ...(cluster && figuresOf(cluster, `${suffix}.workers2`)),
            ...(postgres && figuresOf(postgres.single, '.postgres')),
            ...(postgres && figuresOf(postgres.pair, '.postgres.instances2')),
            ...(postgres && ratiosOver(normal, postgres.single, 'postgres')),
            ...(postgres && ratiosOver(normal, postgres.pair, 'postgres2')),
            ...floorFigures(floor),
            'load_generator.rss_mb': client.rssMb,
          },
          tables: [
            targetsTable(normal),
            ...tablesOf(normal),
            targetsTable(large),
            ...tablesOf(large),
            ...(cluster ? [targetsTable(cluster), ...tablesOf(cluster).slice(0, 1)] : []),
            ...(postgres
              ? [...tablesOf(postgres.single).slice(0, 1), ...tablesOf(postgres.pair).slice(0, 1)]
              : []),
            ...tablesOf(floor).slice(0, 1),
          ],
          environment: {
            seed: String(context.seed),
            levels: plan.concurrencies.join(', '),
            durationPerLevelMs: String(plan.durationMs),
            warmupTurns: String(plan.warmupTurns),
            turnsPerConversation: String(plan.turnsPerConversation),
            messageMix: MESSAGE_MIX.map((group) => `${group.kind} ${Math.round(group.weight * 100)}%`).join(
              ', ',
            ),
            syntheticKnowledge: `${synthetic.documents} documents × 10 sections added to the real corpus (about ${synthetic.sections} chunks)`,
            client: 'node:http keep-alive, closed loop, same machine as the server',
          },
        };
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    },
  };
}
