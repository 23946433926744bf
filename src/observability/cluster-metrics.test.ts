import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('../testing/cluster-metrics-child.ts', import.meta.url));

/** One request on a new connection (so the cluster spreads them over the workers). */
function send(
  port: number,
  method: string,
  path: string,
): Promise<{ worker: string; body: string; status: number }> {
  return new Promise((resolve, reject) => {
    const call = request({ host: '127.0.0.1', port, method, path, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () =>
        resolve({
          worker: String(response.headers['x-teller-worker']),
          body,
          status: response.statusCode ?? 0,
        }),
      );
    });
    call.on('error', reject);
    call.end();
  });
}

describe('GET /metrics with TELLER_WORKERS=2 (a real cluster primary and two workers)', () => {
  let cluster: ChildProcess;
  let port = 0;

  beforeAll(async () => {
    cluster = spawn(process.execPath, ['--import', 'tsx', child], {
      env: {
        PATH: process.env.PATH ?? '',
        TELLER_ENV: 'development',
        TELLER_WORKERS: '2',
        HOST: '127.0.0.1',
        PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let listening = 0;
    for await (const line of createInterface({ input: cluster.stdout! })) {
      const entry = JSON.parse(line) as { message: string; port?: number };
      if (entry.message !== 'worker listening') continue;
      port = entry.port ?? 0;
      listening += 1;
      if (listening === 2) break;
    }
  }, 60_000);

  afterAll(async () => {
    if (cluster.exitCode !== null) return;
    const exited = new Promise((resolve) => cluster.once('exit', resolve));
    cluster.kill('SIGTERM');
    await exited;
  });

  it('when turns were counted by both workers then every scrape, whichever worker answers it, shows all of them', async () => {
    const turnsBy = new Map<string, number>();
    for (let turn = 0; turn < 12; turn += 1) {
      const { worker, status } = await send(port, 'POST', '/turn');
      expect(status).toBe(204);
      turnsBy.set(worker, (turnsBy.get(worker) ?? 0) + 1);
    }
    // Both workers counted some of the turns: one worker's figures alone would be short.
    expect([...turnsBy.keys()].sort()).toEqual(['1', '2']);

    const scrapedBy = new Set<string>();
    for (let scrape = 0; scrape < 6; scrape += 1) {
      const { worker, body, status } = await send(port, 'GET', '/metrics');
      expect(status).toBe(200);
      scrapedBy.add(worker);
      expect(body).toContain('teller_turns_total{outcome="answer"} 12');
      expect(body).toMatch(/teller_turn_duration_seconds_count\{outcome="answer"\} 12\b/);
      expect(body).toContain('teller_cluster_workers_reporting 2');
    }
    expect([...scrapedBy].sort()).toEqual(['1', '2']);
  }, 60_000);
});
