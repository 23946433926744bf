import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_JWT_SECRET } from '../src/config/config.js';
import { signDevelopmentToken } from '../src/server/auth/token-verifier.js';
import { createTempTellerHome, type TempTellerHome } from '../src/testing/temp-teller.js';
import { type HttpReply, send as sendRequest } from './support/teller-instance.js';

/**
 * `npm start` with TELLER_WORKERS=2, as an operator runs it: a supervising primary and two
 * worker processes on one port (PORT=0, so the primary picks it) and one SQLite file. Requests on
 * fresh connections spread over both workers, and one conversation carries on whichever worker a
 * message lands on.
 */

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORKERS = 2;

let home: TempTellerHome;
let server: ChildProcess;
let baseUrl: string;
const logLines: string[] = [];

/** One request on a new connection (no keep-alive), so the cluster may hand it to any worker. */
function send(
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  token?: string,
  body?: unknown,
): Promise<HttpReply> {
  return sendRequest(baseUrl, method, path, token, body);
}

beforeAll(async () => {
  home = createTempTellerHome('teller-cluster-');
  server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      TELLER_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      TELLER_WORKERS: String(WORKERS),
      DATA_DIR: home.dataDir,
      KNOWLEDGE_DIR: home.knowledgeDir,
      DEMO_BANK: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stderr?.on('data', (chunk) => logLines.push(String(chunk)));
  baseUrl = await new Promise<string>((resolve, reject) => {
    const listening = new Set<string>();
    let buffered = '';
    server.stdout?.on('data', (chunk) => {
      buffered += String(chunk);
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        logLines.push(line);
        if (!line.includes('"teller listening"')) continue;
        const entry = JSON.parse(line) as { url: string; worker: number };
        listening.add(String(entry.worker));
        if (listening.size === WORKERS) resolve(entry.url);
      }
    });
    server.once('exit', (code) => reject(new Error(`Teller exited with ${code}:\n${logLines.join('\n')}`)));
  });
}, 120_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
  }
  home?.remove();
});

describe('Teller with two worker processes', () => {
  it('spreads requests over both workers on one port', async () => {
    const seen = new Set<string | undefined>();
    for (let attempt = 0; attempt < 12 && seen.size < WORKERS; attempt += 1) {
      const health = await send('GET', '/healthz');
      expect(health.status).toBe(200);
      seen.add(health.worker);
    }
    expect([...seen].sort()).toEqual(['1', '2']);
  });

  it('carries one conversation on whichever worker each message lands', async () => {
    const token = await signDevelopmentToken(DEVELOPMENT_JWT_SECRET, { subject: 'c_123' });
    const created = await send('POST', '/v1/conversations', token, {});
    expect(created.status).toBe(201);
    const conversationId = created.json.id as string;

    const workersUsed = new Set<string | undefined>();
    const questions = [
      'What is the fee for an international wire transfer?',
      'How long does a CHAPS payment take to arrive?',
      'Thanks, that was helpful!',
      'What are the cut-off times for Faster Payments?',
    ];
    for (const text of questions) {
      const turn = await send('POST', `/v1/conversations/${conversationId}/messages`, token, { text });
      expect(turn.status, JSON.stringify(turn.json)).toBe(200);
      workersUsed.add(turn.worker);
    }
    expect(workersUsed.size).toBe(WORKERS);

    // Every turn, from both workers, is in the one transcript, in order.
    const transcript = await send('GET', `/v1/conversations/${conversationId}`, token);
    const messages = transcript.json.messages as Array<{ author: string; text: string }>;
    expect(messages.map((message) => message.author)).toEqual(
      questions.flatMap(() => ['customer', 'assistant']),
    );
    expect(messages[1]?.text).toContain('£15');

    // Another customer still cannot see it, whichever worker answers.
    const intruder = await signDevelopmentToken(DEVELOPMENT_JWT_SECRET, { subject: 'c_456' });
    for (let attempt = 0; attempt < WORKERS; attempt += 1) {
      expect((await send('GET', `/v1/conversations/${conversationId}`, intruder)).status).toBe(404);
    }
  });

  it('answers from a document and a policy published through one worker on every worker', async () => {
    const author = await signDevelopmentToken(DEVELOPMENT_JWT_SECRET, {
      subject: 'officer_author',
      roles: ['compliance'],
    });
    const reviewer = await signDevelopmentToken(DEVELOPMENT_JWT_SECRET, {
      subject: 'officer_reviewer',
      roles: ['compliance'],
    });
    /** Draft by one officer, approval by another, publish: the four-eyes path, each on any worker. */
    async function publish(kind: 'documents' | 'policies', id: string, edit: (text: string) => string) {
      const current = await send('GET', `/v1/admin/${kind}/${id}`, author);
      expect(current.status).toBe(200);
      const text = (current.json.published as { text: string }).text;
      const field = kind === 'documents' ? 'markdown' : 'yaml';
      // A draft says it is one; the approval step records who approved.
      const asDraft = edit(text)
        .replace(/^status: .*$/m, 'status: draft')
        .replace(/^approved_by: .*\n/m, '');
      const draft = await send('PUT', `/v1/admin/${kind}/${id}/draft`, author, {
        [field]: asDraft,
        expectedRevision: 0,
      });
      expect(draft.status, JSON.stringify(draft.json)).toBe(200);
      const approved = await send('POST', `/v1/admin/${kind}/${id}/approve`, reviewer, {
        expectedRevision: draft.json.revision,
      });
      expect(approved.status, JSON.stringify(approved.json)).toBe(200);
      const published = await send('POST', `/v1/admin/${kind}/${id}/publish`, reviewer);
      expect(published.status, JSON.stringify(published.json)).toBe(200);
      expect(published.json.applied).toBe(true);
    }
    /** Asks on fresh connections until every worker has answered once. */
    async function askEveryWorker(text: string) {
      const token = await signDevelopmentToken(DEVELOPMENT_JWT_SECRET, { subject: 'c_456' });
      const answers = new Map<string, Record<string, unknown>>();
      for (let attempt = 0; attempt < 12 && answers.size < WORKERS; attempt += 1) {
        const created = await send('POST', '/v1/conversations', token, {});
        const turn = await send('POST', `/v1/conversations/${created.json.id}/messages`, token, { text });
        expect(turn.status).toBe(200);
        // Connections go round the workers in turn: one more request shifts the next message.
        if (answers.has(turn.worker ?? '?')) await send('GET', '/healthz');
        answers.set(turn.worker ?? '?', turn.json);
      }
      expect(answers.size).toBe(WORKERS);
      return [...answers.values()];
    }

    await publish('documents', 'fees-international-payments', (text) =>
      text.replace(/^version: .*$/m, 'version: "3.1"').replaceAll('£15', '£17'),
    );
    for (const answer of await askEveryWorker('What is the fee for an international wire transfer?')) {
      expect(answer.text).toContain('£17');
      expect(answer.text).not.toContain('£15');
    }

    await publish('policies', 'scope', (text) =>
      text
        .replace(/^version: .*$/m, 'version: "1.2"')
        .replace(
          'out_of_scope_topics:\n',
          "out_of_scope_topics:\n  - id: scope.astrology\n    patterns:\n      - '\\bhoroscopes?\\b'\n",
        ),
    );
    for (const answer of await askEveryWorker('Can you read my horoscope for today?')) {
      expect(answer.outcome).toBe('refusal');
      expect(answer.rules).toContain('out_of_scope:scope.astrology');
    }
  });

  it('replaces a worker that dies, under the same number', async () => {
    const listening = () =>
      logLines
        .filter((line) => line.includes('"teller listening"'))
        .map((line) => JSON.parse(line) as { worker: number; pid: number });
    const victim = listening().find((entry) => entry.worker === 2) as { worker: number; pid: number };
    process.kill(victim.pid, 'SIGKILL');
    const deadline = Date.now() + 60_000;
    while (!listening().some((entry) => entry.worker === 2 && entry.pid !== victim.pid)) {
      if (Date.now() > deadline) throw new Error(`worker 2 was not replaced:\n${logLines.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(logLines.some((line) => line.includes('"worker exited; restarting"'))).toBe(true);
    const seen = new Set<string | undefined>();
    for (let attempt = 0; attempt < 12 && seen.size < WORKERS; attempt += 1) {
      seen.add((await send('GET', '/healthz')).worker);
    }
    expect([...seen].sort()).toEqual(['1', '2']);
  });

  it('stops every process on SIGTERM', async () => {
    // The workers now running: the last to listen in each slot.
    const workerPids = [
      ...new Map(
        logLines
          .filter((line) => line.includes('"teller listening"'))
          .map((line) => JSON.parse(line) as { worker: number; pid: number })
          .map((entry) => [entry.worker, entry.pid] as const),
      ).values(),
    ];
    expect(workerPids).toHaveLength(WORKERS);
    server.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => server.once('exit', resolve));
    expect(code).toBe(0);
    for (const pid of workerPids) {
      expect(() => process.kill(pid, 0), `worker ${pid} still running`).toThrow();
    }
  });
});
