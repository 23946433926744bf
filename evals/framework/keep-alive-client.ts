/**
 * A minimal JSON-over-HTTP client on `node:http` with keep-alive sockets, for load generation on
 * loopback. It is deliberately cheaper than `fetch` (no WHATWG streams per request): the client
 * shares the machine's two cores with the server under test, and every microsecond it spends is
 * taken from the server.
 */
import { Agent, request } from 'node:http';

export interface KeepAliveClient {
  /** Sends a JSON request and parses the JSON answer; throws on a non-2xx status. */
  json(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<unknown>;
  close(): void;
}

/** An HTTP status outside 2xx, with the body the server sent. */
export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError';
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status}: ${body.slice(0, 200)}`);
  }
}

/**
 * Creates a client for `baseUrl` (http only) keeping up to `maxSockets` connections open. Given
 * several base URLs (instances behind no balancer), it sends each request to the next one in
 * turn, as a round-robin load balancer would, with `maxSockets` connections to each.
 */
export function createKeepAliveClient(
  baseUrl: string | readonly string[],
  maxSockets: number,
): KeepAliveClient {
  const targets = (typeof baseUrl === 'string' ? [baseUrl] : baseUrl).map((address) => {
    const url = new URL(address);
    if (url.protocol !== 'http:')
      throw new Error(`The load generator speaks plain HTTP on loopback; got ${address}`);
    return { url, agent: new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets }) };
  });
  if (targets.length === 0) throw new Error('The load generator needs at least one base URL.');
  let next = 0;
  return {
    json(method, path, body, headers = {}) {
      const { url, agent } = targets[next]!;
      next = (next + 1) % targets.length;
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      return new Promise((resolvePromise, reject) => {
        const outgoing = request(
          {
            agent,
            host: url.hostname,
            port: url.port,
            method,
            path,
            headers: {
              accept: 'application/json',
              ...(payload && {
                'content-type': 'application/json',
                'content-length': String(payload.length),
              }),
              ...headers,
            },
          },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('error', reject);
            response.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              const status = response.statusCode ?? 0;
              if (status < 200 || status >= 300) return reject(new HttpStatusError(status, text));
              try {
                resolvePromise(text === '' ? undefined : JSON.parse(text));
              } catch {
                reject(new HttpStatusError(status, `not JSON: ${text.slice(0, 200)}`));
              }
            });
          },
        );
        outgoing.on('error', reject);
        outgoing.end(payload);
      });
    },
    close() {
      for (const { agent } of targets) agent.destroy();
    },
  };
}
