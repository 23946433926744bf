import { afterAll, describe, expect, it } from 'vitest';
import { connectPostgres } from '../store/postgres/connection.js';
import { postgresBackendOn } from '../store/postgres/postgres-backend.js';
import { createTestApp, jsonRequest } from '../testing/test-app.js';

describe('when PostgreSQL cannot be reached', () => {
  // Nothing listens on port 1: every connection attempt is refused at once.
  const unreachable = postgresBackendOn(
    connectPostgres({ url: 'postgres://teller@127.0.0.1:1/teller', connectionTimeoutMs: 500 }),
  );
  afterAll(() => unreachable.close());
  const harness = createTestApp({
    conversations: unreachable.conversations,
    handoffQueue: unreachable.handoffs,
    audit: unreachable.audit,
    atomically: (work) => unreachable.atomically(work),
  });

  it('when a customer starts a conversation then the answer is a fast 503 with Retry-After, not a 500', async () => {
    const token = await harness.tokenFor('c_123');
    const started = performance.now();
    const response = await harness.app.request('/v1/conversations', jsonRequest('POST', token));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    const body = (await response.json()) as { error: { code: string; message: string; requestId: string } };
    expect(body.error.code).toBe('unavailable');
    expect(body.error.message).toMatch(/database/);
    expect(body.error.requestId).toBeTruthy();
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('when an agent opens the queue then it is a 503 as well', async () => {
    const token = await harness.tokenFor('agent_1', ['agent']);
    const response = await harness.app.request('/v1/agent/handoffs', jsonRequest('GET', token));
    expect(response.status).toBe(503);
  });

  it('when readiness is asked then the database check fails', async () => {
    await expect(unreachable.ping()).rejects.toThrow(/unreachable/);
  });
});
