import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { NotFoundForCustomerError, UpstreamError } from './adapter.js';
import { HttpCoreBankingAdapter, type HttpCoreBankingAdapterOptions } from './http-adapter.js';

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

const account = {
  id: 'acc_1',
  customerId: 'c_123',
  kind: 'current',
  name: 'Everyday Current',
  accountNumber: '41234567',
  sortCode: '04-00-04',
  currency: 'GBP',
};

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** Starts a local core-banking stand-in; `handler` decides every answer. */
async function startUpstream(handler: Handler): Promise<{
  baseUrl: string;
  requests: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }>;
}> {
  const requests: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }> =
    [];
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      requests.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      handler(request, response, body);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}/v1`, requests };
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

const adapterFor = (baseUrl: string, overrides: Partial<HttpCoreBankingAdapterOptions> = {}) =>
  new HttpCoreBankingAdapter({
    baseUrl,
    serviceToken: 'service-secret',
    timeoutMs: 200,
    retryBaseDelayMs: 5,
    ...overrides,
  });

describe('HttpCoreBankingAdapter', () => {
  it('when upstream answers then the body is validated and service credentials are sent', async () => {
    const upstream = await startUpstream((_request, response) =>
      json(response, 200, { accounts: [account] }),
    );
    const accounts = await adapterFor(upstream.baseUrl).listAccounts('c_123');
    expect(accounts).toEqual([account]);
    expect(upstream.requests[0]).toMatchObject({ method: 'GET', url: '/v1/customers/c_123/accounts' });
    expect(upstream.requests[0]!.headers.authorization).toBe('Bearer service-secret');
  });

  it('when path segments contain slashes then they are encoded, not traversed', async () => {
    const upstream = await startUpstream((_request, response) => json(response, 404, {}));
    await expect(
      adapterFor(upstream.baseUrl).getBalance('c_123', '../c_456/accounts/acc_9'),
    ).rejects.toBeInstanceOf(NotFoundForCustomerError);
    expect(upstream.requests[0]!.url).toBe(
      '/v1/customers/c_123/accounts/..%2Fc_456%2Faccounts%2Facc_9/balance',
    );
  });

  it('when upstream fails with 503 twice then a read is retried and succeeds', async () => {
    let calls = 0;
    const upstream = await startUpstream((_request, response) => {
      calls += 1;
      if (calls <= 2) return json(response, 503, { error: 'busy' });
      json(response, 200, { accounts: [account] });
    });
    const accounts = await adapterFor(upstream.baseUrl).listAccounts('c_123');
    expect(accounts).toHaveLength(1);
    expect(upstream.requests).toHaveLength(3);
  });

  it('when upstream hangs then the call fails with a timeout instead of hanging', async () => {
    const upstream = await startUpstream(() => {
      /* never answers */
    });
    const started = performance.now();
    const error = await adapterFor(upstream.baseUrl, { readRetries: 1 })
      .listCards('c_123')
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).code).toBe('timeout');
    expect(upstream.requests).toHaveLength(2);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('when a write fails with 503 then it is not retried', async () => {
    const upstream = await startUpstream((_request, response) => json(response, 503, {}));
    await expect(
      adapterFor(upstream.baseUrl).setCardState('c_123', 'card_1', 'frozen'),
    ).rejects.toMatchObject({
      code: 'unavailable',
      status: 503,
    });
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]!.method).toBe('PUT');
    expect(upstream.requests[0]!.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(upstream.requests[0]!.body)).toEqual({ state: 'frozen' });
  });

  it('when the body does not match the schema then an invalid_response error is raised', async () => {
    const upstream = await startUpstream((_request, response) =>
      json(response, 200, { accounts: [{ ...account, currency: 'GBP', accountNumber: 41234567 }] }),
    );
    await expect(adapterFor(upstream.baseUrl).listAccounts('c_123')).rejects.toMatchObject({
      code: 'invalid_response',
    });
  });

  it('when the body is not JSON then an invalid_response error is raised', async () => {
    const upstream = await startUpstream((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html>maintenance</html>');
    });
    await expect(adapterFor(upstream.baseUrl).getContactDetails('c_123')).rejects.toMatchObject({
      code: 'invalid_response',
    });
  });

  it('when upstream keeps failing then the breaker opens, fails fast, and half-opens after the reset time', async () => {
    let healthy = false;
    const upstream = await startUpstream((_request, response) =>
      healthy ? json(response, 200, { cards: [] }) : json(response, 500, {}),
    );
    let clock = 0;
    const adapter = adapterFor(upstream.baseUrl, {
      readRetries: 0,
      circuitBreaker: { failureThreshold: 3, resetAfterMs: 1_000, now: () => clock },
    });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await expect(adapter.listCards('c_123')).rejects.toMatchObject({ code: 'unavailable' });
    }
    expect(adapter.breaker.state).toBe('open');
    await expect(adapter.listCards('c_123')).rejects.toMatchObject({ code: 'circuit_open' });
    expect(upstream.requests).toHaveLength(3);

    clock = 1_000;
    expect(adapter.breaker.state).toBe('half_open');
    await expect(adapter.listCards('c_123')).rejects.toMatchObject({ code: 'unavailable' });
    expect(adapter.breaker.state).toBe('open');

    clock = 2_000;
    healthy = true;
    await expect(adapter.listCards('c_123')).resolves.toEqual([]);
    expect(adapter.breaker.state).toBe('closed');
  });

  it('when upstream says 404 then it is "not found for this customer" and does not trip the breaker', async () => {
    const upstream = await startUpstream((_request, response) => json(response, 404, {}));
    const adapter = adapterFor(upstream.baseUrl, { circuitBreaker: { failureThreshold: 1 } });
    await expect(
      adapter.openDispute('c_123', { transactionId: 'tx_1', reason: 'other' }),
    ).rejects.toBeInstanceOf(NotFoundForCustomerError);
    expect(adapter.breaker.state).toBe('closed');
  });

  it('when configuration is missing then construction fails with a fix-it message', () => {
    expect(() => new HttpCoreBankingAdapter({ baseUrl: '', serviceToken: 'x' })).toThrow(/'baseUrl' option/);
    expect(() => new HttpCoreBankingAdapter({ baseUrl: 'http://x', serviceToken: '' })).toThrow(
      /'serviceToken' option/,
    );
  });
});
