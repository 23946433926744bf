import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listen } from './listen.js';

const servers: Array<ReturnType<typeof listen>> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((done) => server.close(done))));
});

async function start(limits: { requestTimeoutMs: number; headersTimeoutMs: number; maxConnections: number }) {
  let port = 0;
  await new Promise<void>((ready) => {
    servers.push(
      listen({
        fetch: async (request) => new Response(await request.text()),
        hostname: '127.0.0.1',
        port: 0,
        limits,
        onListening: (address) => {
          port = address.port;
          ready();
        },
      }),
    );
  });
  return port;
}

/** Resolves with what the server sent and how long until it closed the socket. */
function untilClosed(socket: Socket): Promise<{ received: string; afterMs: number }> {
  const started = Date.now();
  let received = '';
  socket.on('data', (chunk) => {
    received += chunk.toString();
  });
  return new Promise((done) => {
    socket.on('close', () => done({ received, afterMs: Date.now() - started }));
  });
}

describe('listen', () => {
  it('when a body trickles in slower than the request timeout then the server answers 408 and closes', async () => {
    const port = await start({ requestTimeoutMs: 400, headersTimeoutMs: 200, maxConnections: 10 });
    const socket = connect(port, '127.0.0.1');
    const closed = untilClosed(socket);
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n');
    const trickle = setInterval(() => socket.writable && socket.write('a'), 50);
    const { received, afterMs } = await closed;
    clearInterval(trickle);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    expect(afterMs).toBeLessThan(3000);
  });

  it('when the headers never finish then the socket is closed after the headers timeout', async () => {
    const port = await start({ requestTimeoutMs: 2000, headersTimeoutMs: 200, maxConnections: 10 });
    const socket = connect(port, '127.0.0.1');
    const closed = untilClosed(socket);
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n');
    const { afterMs } = await closed;
    expect(afterMs).toBeLessThan(1500);
  });

  it('when more clients connect than the cap then the extra connection is dropped', async () => {
    const port = await start({ requestTimeoutMs: 5000, headersTimeoutMs: 5000, maxConnections: 1 });
    const first = connect(port, '127.0.0.1');
    await new Promise((ready) => first.on('connect', ready));
    // Give the server a moment to accept the first before the second arrives.
    await new Promise((pause) => setTimeout(pause, 50));
    const second = connect(port, '127.0.0.1');
    const { received } = await untilClosed(second);
    expect(received).toBe('');
    first.destroy();
  });
});
