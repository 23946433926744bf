/**
 * Serving an app under test on 127.0.0.1 with an ephemeral port, either in this process (tests,
 * small smoke runs) or in a child process (benchmarks: the server gets its own event loop and
 * core, and its memory is measured apart from the load generator's).
 */
import { type ChildProcess, fork } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { z } from 'zod';

/** A request handler such as a Hono app's `fetch`. */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

/** Serves `fetch` on 127.0.0.1 on a port the OS picks. */
export function serveOnLoopback(fetch: FetchHandler): Promise<LoopbackServer> {
  return new Promise((resolvePromise, reject) => {
    const server = serve({ fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
      resolvePromise({
        url: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise<void>((closed) => {
            // Keep-alive sockets would hold `close` open until they time out.
            if ('closeAllConnections' in server) server.closeAllConnections();
            server.close(() => closed());
          }),
      });
    });
    server.once('error', reject);
  });
}

/** Memory and CPU of the server process, in MB and milliseconds. */
export const processStatsSchema = z.object({
  rssMb: z.number(),
  heapUsedMb: z.number(),
  heapTotalMb: z.number(),
  externalMb: z.number(),
  /** Peak resident set size over the process lifetime. */
  maxRssMb: z.number(),
  cpuUserMs: z.number(),
  cpuSystemMs: z.number(),
});
export type ProcessStats = z.infer<typeof processStatsSchema>;

/** Reads this process's memory and CPU figures. */
export function currentProcessStats(): ProcessStats {
  const memory = process.memoryUsage();
  const usage = process.resourceUsage();
  const megabytes = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
  return {
    rssMb: megabytes(memory.rss),
    heapUsedMb: megabytes(memory.heapUsed),
    heapTotalMb: megabytes(memory.heapTotal),
    externalMb: megabytes(memory.external),
    // resourceUsage reports maxRSS in kilobytes.
    maxRssMb: Math.round((usage.maxRSS / 1024) * 10) / 10,
    cpuUserMs: Math.round(usage.userCPUTime / 1000),
    cpuSystemMs: Math.round(usage.systemCPUTime / 1000),
  };
}

/**
 * How the child builds its app: it imports `modulePath` and calls `exportName(options)`, which
 * returns `{ fetch, close? }`. `options` must survive structured cloning (plain data).
 */
export interface ServerFactoryReference {
  readonly modulePath: string;
  readonly exportName: string;
  readonly options: unknown;
}

export interface ServerProcess extends LoopbackServer {
  readonly pid: number;
  /** Each instance's address when the server is several instances; the load is spread over them. */
  readonly urls?: readonly string[];
  /** Memory and CPU of the server process right now. */
  stats(): Promise<ProcessStats>;
}

const childMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), url: z.string() }),
  z.object({ type: z.literal('failed'), message: z.string() }),
  z.object({ type: z.literal('stats'), id: z.number(), stats: processStatsSchema }),
]);

const CHILD_ENTRY = fileURLToPath(new URL('./loopback-server-child.ts', import.meta.url));

/**
 * Starts the server in a child Node process (TypeScript loaded with tsx) and resolves once it
 * listens. Rejects with the child's own message when the app cannot be built.
 */
export function startServerProcess(
  factory: ServerFactoryReference,
  cwd: string,
  startTimeoutMs = 120_000,
): Promise<ServerProcess> {
  const child: ChildProcess = fork(CHILD_ENTRY, [], {
    cwd,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pendingStats = new Map<
    number,
    { answer: (stats: ProcessStats) => void; fail: (error: Error) => void }
  >();
  let nextId = 0;
  let exited = false;
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`The server process did not start within ${startTimeoutMs} ms.`));
    }, startTimeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The server process exited with code ${code} before it was ready.`));
    });
    child.on('message', (raw) => {
      const message = childMessageSchema.safeParse(raw);
      if (!message.success) return;
      if (message.data.type === 'stats') {
        pendingStats.get(message.data.id)?.answer(message.data.stats);
        pendingStats.delete(message.data.id);
      } else if (message.data.type === 'failed') {
        clearTimeout(timer);
        child.kill();
        reject(new Error(`The server process could not start: ${message.data.message}`));
      } else {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        // A server that crashes mid-run must not leave a stats request waiting forever.
        child.once('exit', (code) => {
          exited = true;
          for (const pending of pendingStats.values())
            pending.fail(new Error(`The server process exited with code ${code}.`));
          pendingStats.clear();
        });
        resolvePromise({
          url: message.data.url,
          pid: child.pid ?? -1,
          stats: () =>
            new Promise((answer, fail) => {
              if (exited) return fail(new Error('The server process has exited.'));
              const id = nextId++;
              pendingStats.set(id, { answer, fail });
              child.send({ type: 'stats', id }, (error) => {
                if (!error) return;
                pendingStats.delete(id);
                fail(new Error(`The server process has exited (${error.message}).`));
              });
            }),
          close: () =>
            new Promise<void>((closed) => {
              if (exited) return closed();
              child.once('exit', () => closed());
              // Sending fails when the child has just died; its exit event then resolves this.
              child.send({ type: 'stop' }, () => {});
              // A server that ignores the request to stop is ended after a grace period.
              setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
            }),
        });
      }
    });
    child.send({ type: 'start', factory }, (error) => {
      if (error) reject(new Error(`Could not talk to the server process: ${error.message}`));
    });
  });
}
