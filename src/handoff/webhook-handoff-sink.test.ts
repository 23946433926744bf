import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RecordingHandoffSink } from '../testing/recording-handoff-sink.js';
import type { HandoffEnvelope } from '../turn/handoff-sink.js';
import {
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyWebhookSignature,
  WebhookHandoffSink,
} from './webhook-handoff-sink.js';

const secret = 'a'.repeat(40);
const envelope: HandoffEnvelope = {
  handoffId: 'h_1',
  conversationId: 'c_1',
  decision: { reason: 'explicit_request', priority: 'normal', explanation: 'Customer asked for a person.' },
  summary: {
    emotions: [],
    reason: 'explicit_request',
    priority: 'normal',
    explanation: 'Customer asked for a person.',
    lastCustomerAsks: ['agent please'],
    text: 'Handoff: explicit_request',
  },
  createdAt: '2026-06-01T10:00:00.000Z',
};

interface Received {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

let server: Server | undefined;

/** Starts a local receiver answering with the scripted statuses in order (the last one repeats). */
async function startReceiver(
  statuses: number[],
  delayMs = 0,
): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      const status = statuses[Math.min(received.length - 1, statuses.length - 1)]!;
      setTimeout(() => response.writeHead(status).end(), delayMs);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/handoffs`, received };
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

const noSleep = async () => {};

describe('WebhookHandoffSink', () => {
  it('when delivered then the receiver can verify the signature over timestamp and body', async () => {
    const { url, received } = await startReceiver([204]);
    const result = await new WebhookHandoffSink({ url, secret, sleep: noSleep }).deliver(envelope);
    expect(result).toEqual({ delivered: true, attempts: 1, status: 204 });
    const [request] = received;
    expect(JSON.parse(request!.body)).toEqual(envelope);
    const check = (body: string, key = secret) =>
      verifyWebhookSignature({
        secret: key,
        body,
        timestamp: request!.headers[TIMESTAMP_HEADER] as string,
        signature: request!.headers[SIGNATURE_HEADER] as string,
      });
    expect(check(request!.body)).toBe(true);
    expect(check(request!.body.replace('agent please', 'agent now'))).toBe(false);
    expect(check(request!.body, 'b'.repeat(40))).toBe(false);
    expect(request!.headers['idempotency-key']).toBe('h_1');
  });

  it('when the timestamp is stale then verification fails (replay)', () => {
    expect(
      verifyWebhookSignature({
        secret,
        body: '{}',
        timestamp: '1000',
        signature: 'sha256=00',
        now: new Date(2_000_000),
      }),
    ).toBe(false);
  });

  it('when the receiver fails with 5xx then it retries with growing backoff until success', async () => {
    const { url, received } = await startReceiver([503, 500, 200]);
    const delays: number[] = [];
    const sink = new WebhookHandoffSink({
      url,
      secret,
      backoffMs: 10,
      sleep: async (milliseconds) => void delays.push(milliseconds),
    });
    const result = await sink.deliver(envelope);
    expect(result).toEqual({ delivered: true, attempts: 3, status: 200 });
    expect(received).toHaveLength(3);
    expect(delays).toEqual([10, 20]);
  });

  it('when the receiver rejects with 4xx then it does not retry', async () => {
    const { url, received } = await startReceiver([401]);
    const result = await new WebhookHandoffSink({ url, secret, sleep: noSleep }).deliver(envelope);
    expect(result).toEqual({ delivered: false, attempts: 1, status: 401, error: 'HTTP 401' });
    expect(received).toHaveLength(1);
  });

  it('when the receiver is too slow then each attempt times out and failure is reported, not thrown', async () => {
    const { url } = await startReceiver([200], 500);
    const result = await new WebhookHandoffSink({
      url,
      secret,
      timeoutMs: 50,
      maxAttempts: 2,
      sleep: noSleep,
    }).deliver(envelope);
    expect(result).toMatchObject({ delivered: false, attempts: 2, error: 'timeout after 50 ms' });
  });

  it('when nothing listens then network errors are retried and reported', async () => {
    const { url } = await startReceiver([200]);
    server?.close();
    server = undefined;
    const result = await new WebhookHandoffSink({ url, secret, maxAttempts: 3, sleep: noSleep }).deliver(
      envelope,
    );
    expect(result.delivered).toBe(false);
    expect(result.attempts).toBe(3);
    expect(result.error).toMatch(/^network error/);
  });

  it('when misconfigured then construction fails with a fix-it message', () => {
    expect(() => new WebhookHandoffSink({ url: 'ftp://x', secret })).toThrow(/http\(s\)/);
    expect(() => new WebhookHandoffSink({ url: 'https://x', secret: 'short' })).toThrow(
      /openssl rand -hex 32/,
    );
  });
});

describe('RecordingHandoffSink', () => {
  it('when delivering then it records the envelope and returns its scripted result', async () => {
    const sink = new RecordingHandoffSink({ delivered: false, attempts: 4, error: 'HTTP 503' });
    expect(await sink.deliver(envelope)).toEqual({ delivered: false, attempts: 4, error: 'HTTP 503' });
    expect(sink.delivered).toEqual([envelope]);
  });
});
