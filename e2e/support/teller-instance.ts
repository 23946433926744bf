import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** One `npm start`-style Teller process, as on its own host: its own data directory. */
export interface TellerInstance {
  readonly name: string;
  readonly baseUrl: string;
  readonly process: ChildProcess;
  readonly logLines: string[];
  send(method: 'GET' | 'POST' | 'PUT', path: string, token?: string, body?: unknown): Promise<HttpReply>;
  stop(): Promise<void>;
}

export interface HttpReply {
  readonly status: number;
  /** Which cluster worker answered (`X-Teller-Worker`), when several serve. */
  readonly worker: string | undefined;
  readonly json: Record<string, unknown>;
}

/** Starts `src/main.ts` on PORT=0 with `environment` and resolves once it listens. */
export async function startInstance(
  name: string,
  environment: Record<string, string>,
): Promise<TellerInstance> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      TELLER_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      DEMO_BANK: 'true',
      ...environment,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logLines: string[] = [];
  child.stderr?.on('data', (chunk) => logLines.push(String(chunk)));
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk) => {
      buffered += String(chunk);
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        logLines.push(line);
        if (line.includes('"teller listening"')) resolve((JSON.parse(line) as { url: string }).url);
      }
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}:\n${logLines.join('\n')}`)));
  });
  return {
    name,
    baseUrl,
    process: child,
    logLines,
    send: (method, path, token, body) => send(baseUrl, method, path, token, body),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

/** One request on a fresh connection; rejects when the connection fails (e.g. the process died). */
export function send(
  baseUrl: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<HttpReply> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${baseUrl}${path}`,
      {
        method,
        agent: false,
        headers: {
          connection: 'close',
          ...(token && { authorization: `Bearer ${token}` }),
          ...(payload && {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
          }),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => {
          try {
            resolve({
              status: response.statusCode ?? 0,
              worker: response.headers['x-teller-worker'] as string | undefined,
              json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
            });
          } catch (error) {
            reject(error);
          }
        });
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}
