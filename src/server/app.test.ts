import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../store/database.js';
import { SqliteRateLimitStore } from '../store/rate-limit-sqlite-store.js';
import { createTestApp, jsonRequest, TEST_JWT_SECRET } from '../testing/test-app.js';
import { signDevelopmentToken } from './auth/token-verifier.js';

async function startConversation(harness: ReturnType<typeof createTestApp>, token: string): Promise<string> {
  const response = await harness.app.request('/v1/conversations', jsonRequest('POST', token));
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

describe('chat API', () => {
  it('when a customer sends a message then the answer comes back and only redacted text is stored', async () => {
    const harness = createTestApp();
    const token = await harness.tokenFor('c_123');
    const id = await startConversation(harness, token);
    const response = await harness.app.request(
      `/v1/conversations/${id}/messages`,
      jsonRequest('POST', token, { text: 'my email is jane.doe@example.com' }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { outcome: string; text: string };
    expect(body.outcome).toBe('answer');
    // The customer sees their own value restored; the store and the audit log never hold it.
    expect(body.text).toContain('jane.doe@example.com');
    const stored = harness.database.prepare('SELECT text FROM messages').all() as Array<{ text: string }>;
    expect(stored.map((row) => row.text).join(' ')).not.toContain('jane.doe@example.com');
    expect(stored[0]!.text).toBe('my email is <EMAIL_ADDRESS_1>');
    const audit = harness.database.prepare('SELECT details FROM audit_log').all() as Array<{
      details: string;
    }>;
    expect(JSON.stringify(audit)).not.toContain('jane.doe');
  });

  it('when another customer uses a conversation id then it is not found, for reading and writing', async () => {
    const harness = createTestApp();
    const owner = await harness.tokenFor('c_123');
    const intruder = await harness.tokenFor('c_456');
    const id = await startConversation(harness, owner);
    const read = await harness.app.request(`/v1/conversations/${id}`, jsonRequest('GET', intruder));
    const write = await harness.app.request(
      `/v1/conversations/${id}/messages`,
      jsonRequest('POST', intruder, { text: 'hi' }),
    );
    expect(read.status).toBe(404);
    expect(write.status).toBe(404);
    expect(harness.conversations.messages(id)).toHaveLength(0);
  });

  it.each([
    ['no header', undefined],
    ['a garbage token', 'Bearer not-a-jwt-at-all'],
    ['a token signed with another secret', 'other'],
    ['an expired token', 'expired'],
    ['an alg:none token', 'none'],
  ])('when the request has %s then it is 401 with the error shape', async (_label, kind) => {
    const harness = createTestApp();
    let header: string | undefined;
    if (kind === 'other')
      header = `Bearer ${await signDevelopmentToken('another-secret-that-is-long-enough-1234', { subject: 'c_123' })}`;
    else if (kind === 'expired')
      header = `Bearer ${await signDevelopmentToken(TEST_JWT_SECRET, { subject: 'c_123', expiresIn: '-1m' })}`;
    else if (kind === 'none') {
      const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      header = `Bearer ${encode({ alg: 'none', typ: 'JWT' })}.${encode({ sub: 'c_123', roles: ['customer'] })}.`;
    } else header = kind;
    const response = await harness.app.request('/v1/conversations', {
      method: 'POST',
      headers: header ? { authorization: header } : {},
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: { code: string; message: string; requestId: string } };
    expect(body.error.code).toBe('unauthorized');
    expect(body.error.requestId).toBe(response.headers.get('x-request-id'));
  });

  it.each([
    ['invalid JSON', '{"text": '],
    ['an empty text', { text: '   ' }],
    ['an unknown field', { text: 'hi', customerId: 'c_456' }],
    ['a number instead of text', { text: 42 }],
  ])('when the body is %s then it is 400 with the error shape', async (_label, body) => {
    const harness = createTestApp();
    const token = await harness.tokenFor('c_123');
    const id = await startConversation(harness, token);
    const response = await harness.app.request(
      `/v1/conversations/${id}/messages`,
      jsonRequest('POST', token, body),
    );
    expect(response.status).toBe(400);
    const payload = (await response.json()) as {
      error: { code: string; message: string; requestId: string };
    };
    expect(payload.error.code).toBe('bad_request');
    expect(payload.error.requestId).toMatch(/^req_/);
  });

  it('when the body is larger than the limit then it is 413', async () => {
    const harness = createTestApp();
    const token = await harness.tokenFor('c_123');
    const id = await startConversation(harness, token);
    const response = await harness.app.request(
      `/v1/conversations/${id}/messages`,
      jsonRequest('POST', token, { text: 'x'.repeat(20_000) }),
    );
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('when a customer exceeds the rate limit then it is 429 with Retry-After', async () => {
    const harness = createTestApp({}, { requestsPerMinute: 3 });
    const token = await harness.tokenFor('c_123');
    const statuses: number[] = [];
    for (let index = 0; index < 5; index += 1) {
      statuses.push((await harness.app.request('/v1/conversations', jsonRequest('POST', token))).status);
    }
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    const other = await harness.app.request(
      '/v1/conversations',
      jsonRequest('POST', await harness.tokenFor('c_456')),
    );
    expect(other.status).toBe(201);
  });

  it('when two workers share a bucket store then a customer cannot double the limit by spreading requests', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'teller-shared-limit-'));
    const databases = [0, 1].map(() => openDatabase(join(directory, 'teller.db')));
    try {
      const workers = databases.map((database) =>
        createTestApp({}, { requestsPerMinute: 3, rateLimitStore: new SqliteRateLimitStore(database) }),
      );
      const token = await (workers[0] as ReturnType<typeof createTestApp>).tokenFor('c_123');
      const statuses: number[] = [];
      for (let index = 0; index < 6; index += 1) {
        const worker = workers[index % 2] as ReturnType<typeof createTestApp>;
        statuses.push((await worker.app.request('/v1/conversations', jsonRequest('POST', token))).status);
      }
      expect(statuses).toEqual([201, 201, 201, 429, 429, 429]);
    } finally {
      for (const database of databases) database.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('when a staff token without the customer role starts a chat then it is 403', async () => {
    const harness = createTestApp();
    const response = await harness.app.request(
      '/v1/conversations',
      jsonRequest('POST', await harness.tokenFor('a_1', ['agent'])),
    );
    expect(response.status).toBe(403);
  });

  it('serves health, readiness, secure headers and the OpenAPI description', async () => {
    const harness = createTestApp();
    expect((await harness.app.request('/healthz')).status).toBe(200);
    const ready = await harness.app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.headers.get('x-content-type-options')).toBe('nosniff');
    const openapi = (await (await harness.app.request('/openapi.json')).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(openapi.paths)).toContain('/v1/conversations/{id}/messages');
  });

  it('streams the checked answer as server-sent events when asked', async () => {
    const harness = createTestApp();
    const token = await harness.tokenFor('c_123');
    const id = await startConversation(harness, token);
    const response = await harness.app.request(`/v1/conversations/${id}/messages`, {
      ...jsonRequest('POST', token, { text: 'hello there' }),
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        accept: 'text/event-stream',
      },
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const stream = await response.text();
    expect(stream).toContain('event: delta');
    expect(stream).toContain('event: done');
    expect(stream).toContain('echo: hello there');
  });
});

describe('agent inbox', () => {
  it('when a customer asks for a human then an agent can claim, reply and resolve, and the bot stands down meanwhile', async () => {
    const harness = createTestApp();
    const customer = await harness.tokenFor('c_123');
    const agent = await harness.tokenFor('agent_7', ['agent']);
    const otherAgent = await harness.tokenFor('agent_8', ['agent']);
    const id = await startConversation(harness, customer);
    const turn = await harness.app.request(
      `/v1/conversations/${id}/messages`,
      jsonRequest('POST', customer, { text: 'I want a human' }),
    );
    const turnBody = (await turn.json()) as { outcome: string; handoff: { handoffId: string } };
    expect(turnBody.outcome).toBe('handoff');
    expect(harness.handoffSink.delivered).toHaveLength(1);

    const pending = await harness.app.request(
      `/v1/conversations/${id}/messages`,
      jsonRequest('POST', customer, { text: 'hello?' }),
    );
    expect(((await pending.json()) as { outcome: string }).outcome).toBe('agent_pending');

    const handoffId = turnBody.handoff.handoffId;
    const customerPeek = await harness.app.request(
      `/v1/agent/handoffs/${handoffId}`,
      jsonRequest('GET', customer),
    );
    expect(customerPeek.status).toBe(403);
    expect(
      (await harness.app.request(`/v1/agent/handoffs/${handoffId}/claim`, jsonRequest('POST', agent))).status,
    ).toBe(200);
    expect(
      (await harness.app.request(`/v1/agent/handoffs/${handoffId}/claim`, jsonRequest('POST', otherAgent)))
        .status,
    ).toBe(409);
    const intruderReply = await harness.app.request(
      `/v1/agent/handoffs/${handoffId}/messages`,
      jsonRequest('POST', otherAgent, { text: 'hi' }),
    );
    expect(intruderReply.status).toBe(409);
    const reply = await harness.app.request(
      `/v1/agent/handoffs/${handoffId}/messages`,
      jsonRequest('POST', agent, { text: 'Hello, I am here to help.' }),
    );
    expect(reply.status).toBe(201);
    const transcript = (await (
      await harness.app.request(`/v1/conversations/${id}`, jsonRequest('GET', customer))
    ).json()) as {
      status: string;
      messages: Array<{ author: string; text: string }>;
    };
    expect(transcript.messages.at(-1)).toMatchObject({ author: 'agent', text: 'Hello, I am here to help.' });
    expect(
      (await harness.app.request(`/v1/agent/handoffs/${handoffId}/resolve`, jsonRequest('POST', agent)))
        .status,
    ).toBe(200);
    expect(harness.conversations.find(id)?.status).toBe('active');
    expect(harness.audit.verifyChain()).toBeUndefined();
    expect(harness.audit.list({ subject: handoffId }).map((record) => record.action)).toEqual([
      'handoff.resolved',
      'handoff.replied',
      'handoff.claimed',
    ]);
  });
});
