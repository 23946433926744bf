/**
 * The real entry point (`src/main.ts`) as a server process, for benchmarks of what an operator
 * runs, cluster mode included. The port is chosen here (a free loopback port) and readiness is
 * "every worker has answered /healthz", told apart by the `X-Teller-Worker` header. Stats sum
 * CPU and memory over the process tree (primary and workers) from /proc.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { ProcessStats, ServerProcess } from './loopback-server.js';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** Starts `src/main.ts` under tsx with `environment` (PORT is chosen here); resolves once `workers` workers answer. */
export async function startMainProcess(
  projectRoot: string,
  environment: Record<string, string>,
  { workers = 1, startTimeoutMs = 180_000 }: { workers?: number; startTimeoutMs?: number } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'src/main.ts')], {
    cwd: projectRoot,
    // Only what is given: nothing from this process's environment leaks into the server's config.
    env: { ...environment, PORT: String(port), TELLER_WORKERS: String(workers) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + startTimeoutMs;
  const seen = new Set<string>();
  while (seen.size < workers) {
    if (exited) throw new Error(`src/main.ts exited with code ${child.exitCode} before it was ready.`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`src/main.ts did not start ${workers} worker(s) within ${startTimeoutMs} ms.`);
    }
    const worker = await healthWorker(url);
    if (worker !== undefined) seen.add(worker);
    else await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    pid: child.pid ?? -1,
    stats: async () => treeStats(child.pid ?? -1),
    close: () => stop(child),
  };
}

/** The answering worker's id from a fresh connection to /healthz; '1' for a single process; undefined when not up. */
function healthWorker(url: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const call = request(`${url}/healthz`, { agent: false, timeout: 2_000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200 ? String(response.headers['x-teller-worker'] ?? '1') : undefined);
    });
    call.on('error', () => resolve(undefined));
    call.on('timeout', () => call.destroy());
    call.end();
  });
}

/** A free loopback port, as the operating system hands one out. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Stops `child` with SIGTERM (SIGKILL after 15 s); resolves once it has exited. */
export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
  });
}

/** CPU and memory summed over `pid` and its descendants (Linux /proc). Heap figures are not visible from outside: 0. */
function treeStats(pid: number): ProcessStats {
  let cpuUserMs = 0;
  let cpuSystemMs = 0;
  let rssKb = 0;
  let peakKb = 0;
  for (const member of descendants(pid)) {
    try {
      // Fields after the parenthesised command: state is field 3, utime 14, stime 15.
      const stat = readFileSync(`/proc/${member}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      cpuUserMs += (Number(fields[11]) * 1000) / TICKS_PER_SECOND;
      cpuSystemMs += (Number(fields[12]) * 1000) / TICKS_PER_SECOND;
      const status = readFileSync(`/proc/${member}/status`, 'utf8');
      rssKb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      peakKb += Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    } catch {
      // The process ended between listing and reading.
    }
  }
  const megabytes = (kilobytes: number) => Math.round((kilobytes / 1024) * 10) / 10;
  return {
    rssMb: megabytes(rssKb),
    heapUsedMb: 0,
    heapTotalMb: 0,
    externalMb: 0,
    maxRssMb: megabytes(peakKb),
    cpuUserMs: Math.round(cpuUserMs),
    cpuSystemMs: Math.round(cpuSystemMs),
  };
}

function descendants(pid: number): number[] {
  const found = [pid];
  for (let index = 0; index < found.length; index += 1) {
    try {
      const children = readFileSync(`/proc/${found[index]}/task/${found[index]}/children`, 'utf8');
      for (const child of children.trim().split(/\s+/).filter(Boolean)) found.push(Number(child));
    } catch {
      // Gone already.
    }
  }
  return found;
}
