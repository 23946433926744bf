import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

/** How long a client may take and how many may be connected at once. */
export interface ServerLimits {
  /** Whole request (headers and body) must arrive within this; then the socket is closed (408). */
  readonly requestTimeoutMs: number;
  /** The headers must arrive within this. */
  readonly headersTimeoutMs: number;
  /** Connections beyond this are refused by the server at accept time. */
  readonly maxConnections: number;
}

export interface ListenOptions {
  readonly fetch: (request: Request) => Response | Promise<Response>;
  readonly hostname: string;
  readonly port: number;
  readonly limits: ServerLimits;
  readonly onListening?: (address: AddressInfo) => void;
}

/**
 * Serves `fetch` on Node's HTTP server with bounds on slow clients: without them a body sent a
 * byte at a time holds a socket for Node's default of five minutes, and sockets are unlimited.
 */
export function listen({ fetch, hostname, port, limits, onListening }: ListenOptions) {
  const server = serve(
    {
      fetch,
      hostname,
      port,
      serverOptions: {
        requestTimeout: limits.requestTimeoutMs,
        headersTimeout: limits.headersTimeoutMs,
        // Node enforces both timeouts only when it sweeps connections (every 30 s by default).
        connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(limits.headersTimeoutMs / 2))),
      },
    },
    onListening,
  );
  server.maxConnections = limits.maxConnections;
  return server;
}
