/**
 * A local HTTP proxy in front of a real Qdrant that checks every request passing through against
 * the published API description, so the live contract suite proves its requests valid as well.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { QdrantApiDescription } from './qdrant-openapi.js';
import type { RecordedQdrantRequest } from './qdrant-stand-in.js';

/** The proxy; `close()` it after the suite. */
export class QdrantValidatingProxy {
  readonly requests: RecordedQdrantRequest[] = [];
  readonly #server: Server;

  private constructor(api: QdrantApiDescription, target: string) {
    this.#server = createServer((request, response) => {
      void (async () => {
        const url = new URL(request.url ?? '/', target);
        const raw = await readBody(request);
        const body = raw.length > 0 ? (JSON.parse(raw) as unknown) : undefined;
        const query = Object.fromEntries(url.searchParams.entries());
        const method = request.method ?? 'GET';
        const check = api.checkRequest({ method, path: url.pathname, query, body });
        this.requests.push({ method, path: url.pathname, query, body, ...check });
        const headers = new Headers();
        for (const name of ['content-type', 'api-key', 'authorization']) {
          const value = request.headers[name];
          if (typeof value === 'string') headers.set(name, value);
        }
        try {
          const forwarded = await fetch(url, { method, headers, body: raw.length > 0 ? raw : undefined });
          response.writeHead(forwarded.status, {
            'content-type': forwarded.headers.get('content-type') ?? 'application/json',
          });
          response.end(Buffer.from(await forwarded.arrayBuffer()));
        } catch (error) {
          response.writeHead(502, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ status: { error: `proxy: ${(error as Error).message}` }, time: 0 }));
        }
      })();
    });
  }

  /** Starts a proxy on an ephemeral local port, forwarding to `target` (a Qdrant base URL). */
  static async start(api: QdrantApiDescription, target: string): Promise<QdrantValidatingProxy> {
    const proxy = new QdrantValidatingProxy(api, target);
    await new Promise<void>((resolve) => proxy.#server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Requests whose method, path, query or body break the description. */
  invalidRequests(): RecordedQdrantRequest[] {
    return this.requests.filter((request) => request.problems.length > 0);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    request.on('error', reject);
  });
}
