/**
 * How fast Teller is ready and how small it stays, as an operator runs it: the `npm start`
 * command (`node scripts/start.mjs`) in a child process with a temporary data directory,
 * timed from spawn until `GET /readyz` answers 200. First from a fresh data directory (the
 * word-vector cache and the index are built), then several times from the now warm one. After
 * the last warm start a warm-up of mixed customer turns runs at concurrency 16, the server idles
 * for a moment, and its resident memory (/proc/<pid>/status) and V8 heap (asked over the IPC
 * channel, see fixtures/memory-reporter.mjs) are read.
 *
 * `npm run bench -- startup` (about a minute on an idle machine) or `--quick` (one warm start,
 * a shorter warm-up). Wall-clock start-up moves with other load on the machine; the CPU time the
 * server spent until ready is reported beside it and moves much less.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createRandom } from '../../src/common/seeded-random.js';
import { DEVELOPMENT_JWT_SECRET } from '../../src/config/config.js';
import { signDevelopmentToken } from '../../src/server/auth/token-verifier.js';
import { checkOutForComparison } from '../framework/comparison-checkout.js';
import { pickMessage } from '../framework/customer-messages.js';
import { projectRoot } from '../framework/datasets.js';
import { createKeepAliveClient, HttpStatusError } from '../framework/keep-alive-client.js';
import { freePort, stop } from '../framework/loopback-server-main.js';
import { round } from '../framework/statistics.js';
import type { Benchmark, BenchmarkContext, BenchmarkResult } from '../framework/types.js';

const MEMORY_REPORTER = fileURLToPath(new URL('../framework/fixtures/memory-reporter.mjs', import.meta.url));

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** Fictional customers of the demo bank (src/tools/core-banking/seed.ts). */
const CUSTOMERS = ['c_123', 'c_456', 'c_789', 'c_999'] as const;

const memoryMessageSchema = z.object({
  memory: z.object({ rss: z.number(), heapUsed: z.number(), heapTotal: z.number(), external: z.number() }),
});
const conversationSchema = z.object({ id: z.string() });

interface StartupPlan {
  readonly warmStarts: number;
  readonly warmupTurns: number;
  readonly concurrency: number;
  readonly turnsPerConversation: number;
  /** How long the server idles after the warm-up before its memory is read. */
  readonly idleMs: number;
}

const FULL_PLAN: StartupPlan = {
  warmStarts: 3,
  warmupTurns: 400,
  concurrency: 16,
  turnsPerConversation: 6,
  idleMs: 2_000,
};
const QUICK_PLAN: StartupPlan = { ...FULL_PLAN, warmStarts: 1, warmupTurns: 60 };

interface StartedServer {
  readonly url: string;
  readonly child: ChildProcess;
  readonly readyMs: number;
  /** Server CPU time (user + system) spent until ready. */
  readonly cpuMs: number;
  readonly rssMb: number;
}

interface ProcessMemory {
  readonly rssMb: number;
  readonly peakRssMb: number;
  readonly heapUsedMb: number;
  readonly heapTotalMb: number;
  readonly externalMb: number;
}

function serverEnvironment(dataDir: string, port: number): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    TELLER_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    DEMO_BANK: 'true',
    // The limiter would otherwise answer 429 during the warm-up.
    RATE_LIMIT_PER_MINUTE: '100000000',
  };
}

/**
 * Starts the server the way `npm start` does (in the checkout at `root`) and resolves once
 * `/readyz` answers 200.
 */
async function startServer(dataDir: string, root = projectRoot, timeoutMs = 300_000): Promise<StartedServer> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', MEMORY_REPORTER, join(root, 'scripts/start.mjs')], {
    cwd: root,
    env: serverEnvironment(dataDir, port),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`src/main.ts exited with code ${child.exitCode} before it was ready.`);
    if (performance.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`src/main.ts was not ready within ${timeoutMs} ms.`);
    }
    if ((await statusOf(`${url}/readyz`)) === 200) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const readyMs = performance.now() - started;
  return {
    url,
    child,
    readyMs,
    cpuMs: cpuMsOf(child.pid ?? -1),
    rssMb: statusFigureMb(child.pid ?? -1, 'VmRSS'),
  };
}

function statusOf(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const call = request(url, { agent: false, timeout: 2_000 }, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    call.on('error', () => resolve(undefined));
    call.on('timeout', () => call.destroy());
    call.end();
  });
}

function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command: utime is field 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

function statusFigureMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
  return round(kilobytes / 1024, 1);
}

function memoryOf(server: StartedServer): Promise<ProcessMemory> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not report its memory')), 10_000);
    server.child.once('message', (message) => {
      clearTimeout(timer);
      const { memory } = memoryMessageSchema.parse(message);
      const megabytes = (bytes: number) => round(bytes / 1024 / 1024, 1);
      resolve({
        rssMb: statusFigureMb(server.child.pid ?? -1, 'VmRSS'),
        peakRssMb: statusFigureMb(server.child.pid ?? -1, 'VmHWM'),
        heapUsedMb: megabytes(memory.heapUsed),
        heapTotalMb: megabytes(memory.heapTotal),
        externalMb: megabytes(memory.external),
      });
    });
    server.child.send('memory');
  });
}

/** Mixed customer turns at `concurrency`, each worker starting a new conversation every few turns. */
async function warmUp(
  url: string,
  plan: StartupPlan,
  seed: number,
): Promise<{ turns: number; errors: number; ms: number }> {
  const client = createKeepAliveClient(url, plan.concurrency + 2);
  const tokens = await Promise.all(
    CUSTOMERS.map((customer) =>
      signDevelopmentToken(DEVELOPMENT_JWT_SECRET, { subject: customer, roles: ['customer'] }),
    ),
  );
  let remaining = plan.warmupTurns;
  let turns = 0;
  let errors = 0;
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: plan.concurrency }, async (_, worker) => {
        const headers = { authorization: `Bearer ${tokens[worker % tokens.length]}` };
        const random = createRandom(seed * 1000 + worker);
        let conversationId: string | undefined;
        let turnsInConversation = 0;
        while (remaining > 0) {
          remaining -= 1;
          if (!conversationId || turnsInConversation >= plan.turnsPerConversation) {
            conversationId = conversationSchema.parse(
              await client.json('POST', '/v1/conversations', {}, headers),
            ).id;
            turnsInConversation = 0;
          }
          turnsInConversation += 1;
          try {
            const body = z
              .object({ outcome: z.string() })
              .parse(
                await client.json(
                  'POST',
                  `/v1/conversations/${conversationId}/messages`,
                  { text: pickMessage(random).text },
                  headers,
                ),
              );
            turns += 1;
            // A handed-off conversation waits for an agent; the customer would start a new chat.
            if (body.outcome === 'handoff' || body.outcome === 'agent_pending') conversationId = undefined;
          } catch (error) {
            errors += 1;
            if (!(error instanceof HttpStatusError)) throw error;
            conversationId = undefined;
          }
        }
      }),
    );
  } finally {
    client.close();
  }
  return { turns, errors, ms: performance.now() - started };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Warm starts of each side in a comparison (`--quick`: 2). */
const COMPARED_WARM_STARTS = 6;

/**
 * `--compare <ref>`: this checkout and `ref` started in turns on the same machine, each from its
 * own data directory: once fresh, then warm starts alternating head, base, base, head, … so drift
 * in the machine's load falls on both alike. Reports each side's fresh figures, its median warm
 * ready time, CPU and RSS, the ratios head / base, and the load average before and after.
 */
async function compareStartups(ref: string, context: BenchmarkContext): Promise<BenchmarkResult> {
  const other = checkOutForComparison(projectRoot, ref);
  const scratch = mkdtempSync(join(tmpdir(), 'teller-startup-compare-'));
  const loadAtStart = loadavg()[0] ?? 0;
  try {
    context.log(`comparing with ${ref} (${other.commit.slice(0, 12)}), checked out in ${other.root}`);
    const sides = [
      { name: 'head', root: projectRoot, dataDir: join(scratch, 'data-head'), warm: [] as StartedServer[] },
      { name: 'base', root: other.root, dataDir: join(scratch, 'data-base'), warm: [] as StartedServer[] },
    ];
    const figures: Record<string, number> = {};
    for (const side of sides) {
      const fresh = await startServer(side.dataDir, side.root);
      context.log(`${side.name} fresh: ready in ${Math.round(fresh.readyMs)} ms (${fresh.cpuMs} ms CPU)`);
      await stop(fresh.child);
      figures[`compare.${side.name}.fresh.ready_ms`] = Math.round(fresh.readyMs);
      figures[`compare.${side.name}.fresh.cpu_ms`] = fresh.cpuMs;
      figures[`compare.${side.name}.fresh.rss_mb`] = fresh.rssMb;
    }
    const warmStarts = context.quick ? 2 : COMPARED_WARM_STARTS;
    for (let round = 0; round < warmStarts; round += 1) {
      for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
        const warm = await startServer(side.dataDir, side.root);
        context.log(`${side.name} warm: ready in ${Math.round(warm.readyMs)} ms (${warm.cpuMs} ms CPU)`);
        await stop(warm.child);
        side.warm.push(warm);
      }
    }
    for (const side of sides) {
      figures[`compare.${side.name}.warm.ready_ms`] = Math.round(
        median(side.warm.map((start) => start.readyMs)),
      );
      figures[`compare.${side.name}.warm.cpu_ms`] = median(side.warm.map((start) => start.cpuMs));
      figures[`compare.${side.name}.warm.rss_mb`] = median(side.warm.map((start) => start.rssMb));
    }
    const ratio = (figure: string) =>
      round((figures[`compare.head.${figure}`] ?? 0) / (figures[`compare.base.${figure}`] ?? 1), 3);
    figures['compare.head_over_base.warm_ready_ratio'] = ratio('warm.ready_ms');
    figures['compare.head_over_base.warm_cpu_ratio'] = ratio('warm.cpu_ms');
    figures['compare.head_over_base.fresh_cpu_ratio'] = ratio('fresh.cpu_ms');
    figures['machine.load_average_1m.start'] = round(loadAtStart, 2);
    figures['machine.load_average_1m.end'] = round(loadavg()[0] ?? 0, 2);
    return {
      figures,
      environment: {
        command: 'node scripts/start.mjs (npm start) of each checkout, LOG_LEVEL=warn, DEMO_BANK=true',
        base: `${ref} (${other.commit})`,
        warmStarts: `${warmStarts} per side, alternating`,
      },
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    other.remove();
  }
}

export const benchmark: Benchmark = {
  name: 'startup',
  description:
    'npm start to ready (GET /readyz 200) from a fresh and a warm data directory; RSS and heap after start and idle after a warm-up',
  comparesCommits: true,
  async run(context) {
    if (context.compare !== undefined) return compareStartups(context.compare, context);
    const plan = context.quick ? QUICK_PLAN : FULL_PLAN;
    const dataDir = mkdtempSync(join(tmpdir(), 'teller-startup-'));
    try {
      const fresh = await startServer(dataDir);
      context.log(`fresh data directory: ready in ${Math.round(fresh.readyMs)} ms (${fresh.cpuMs} ms CPU)`);
      await stop(fresh.child);
      const warmStarts: StartedServer[] = [];
      for (let start = 0; start < plan.warmStarts; start += 1) {
        const warm = await startServer(dataDir);
        context.log(`warm data directory: ready in ${Math.round(warm.readyMs)} ms (${warm.cpuMs} ms CPU)`);
        warmStarts.push(warm);
        if (start < plan.warmStarts - 1) await stop(warm.child);
      }
      const last = warmStarts.at(-1) as StartedServer;
      try {
        const afterStart = await memoryOf(last);
        context.log(`warming up: ${plan.warmupTurns} turns at concurrency ${plan.concurrency}`);
        const warmup = await warmUp(last.url, plan, context.seed);
        if (warmup.turns === 0) throw new Error('every warm-up turn failed');
        await new Promise((resolve) => setTimeout(resolve, plan.idleMs));
        const idle = await memoryOf(last);
        context.log(`idle after warm-up: RSS ${idle.rssMb} MB, heap ${idle.heapUsedMb} MB`);
        return {
          figures: {
            'fresh.ready_ms': Math.round(fresh.readyMs),
            'fresh.cpu_ms': fresh.cpuMs,
            'fresh.rss_mb': fresh.rssMb,
            'warm.ready_ms': Math.round(median(warmStarts.map((start) => start.readyMs))),
            'warm.cpu_ms': median(warmStarts.map((start) => start.cpuMs)),
            'warm.rss_mb': afterStart.rssMb,
            'warm.heap_used_mb': afterStart.heapUsedMb,
            'idle_after_warmup.rss_mb': idle.rssMb,
            'idle_after_warmup.heap_used_mb': idle.heapUsedMb,
            'idle_after_warmup.heap_total_mb': idle.heapTotalMb,
            'idle_after_warmup.external_mb': idle.externalMb,
            'peak.rss_mb': idle.peakRssMb,
            'warmup.turns_per_s': round((warmup.turns / warmup.ms) * 1000, 1),
            'warmup.errors_count': warmup.errors,
          },
          environment: {
            command: 'node scripts/start.mjs (npm start), LOG_LEVEL=warn, DEMO_BANK=true',
            warmStarts: String(plan.warmStarts),
            warmup: `${plan.warmupTurns} mixed turns at concurrency ${plan.concurrency}, ${plan.turnsPerConversation} per conversation, then ${plan.idleMs} ms idle`,
          },
        };
      } finally {
        await stop(last.child);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
