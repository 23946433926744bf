import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTimedEchoApp } from './fixtures/timed-echo-app.js';
import { createKeepAliveClient, HttpStatusError } from './keep-alive-client.js';
import { runLoad } from './load-generator.js';
import { type LoopbackServer, serveOnLoopback } from './loopback-server.js';

let server: LoopbackServer;
beforeAll(async () => {
  server = await serveOnLoopback(createTimedEchoApp({ delayMs: 5 }).fetch);
});
afterAll(async () => server.close());

const headers = { authorization: 'Bearer test-token' };

describe('runLoad over a loopback HTTP app', () => {
  it('sends turns from every worker, measures latency and collects server stage timings', async () => {
    const client = createKeepAliveClient(server.url, 8);
    const workersSeen = new Set<number>();
    const result = await runLoad({
      concurrency: 4,
      turns: 40,
      warmupTurnsPerWorker: 1,
      serverTotalKey: 'total',
      async createWorker(index) {
        const conversation = (await client.json('POST', '/v1/conversations', {}, headers)) as { id: string };
        return { index, conversationId: conversation.id };
      },
      async sendTurn(worker, turnNumber) {
        workersSeen.add(worker.index);
        const body = (await client.json(
          'POST',
          `/v1/conversations/${worker.conversationId}/messages`,
          { text: `hello ${turnNumber}` },
          headers,
        )) as { timings: Record<string, number> };
        return { timings: body.timings };
      },
    });
    client.close();
    expect(result.turns).toBe(40);
    expect(result.errors).toBe(0);
    expect(workersSeen.size).toBe(4);
    // The handler sleeps 5 ms, so no turn can be faster than that.
    expect(result.latency.min).toBeGreaterThanOrEqual(4.5);
    expect(result.latency.p50).toBeLessThanOrEqual(result.latency.p95);
    expect(result.stages.total?.count).toBe(40);
    expect(result.stages.total?.p50).toBeGreaterThanOrEqual(4.5);
    // Client latency minus the server's own total: HTTP and framework time, never negative.
    expect(result.stages.outside_total?.count).toBe(40);
    expect(result.stages.outside_total?.min).toBeGreaterThanOrEqual(0);
    expect(result.stages.outside_total?.p50).toBeLessThan(result.latency.p50);
    // Four workers with a 5 ms floor cannot exceed 800 turns/s; they should beat one worker's 200.
    expect(result.turnsPerSecond).toBeLessThan(800);
    expect(result.turnsPerSecond).toBeGreaterThan(150);
  });

  it('counts failed turns as errors, not latency samples, and keeps the first messages', async () => {
    const client = createKeepAliveClient(server.url, 2);
    const result = await runLoad({
      concurrency: 2,
      turns: 10,
      createWorker: async () =>
        (await client.json('POST', '/v1/conversations', {}, headers)) as { id: string },
      async sendTurn(worker, turnNumber) {
        const text = turnNumber % 2 === 0 ? 'conversation closed' : 'hi';
        return (await client.json(
          'POST',
          `/v1/conversations/${worker.id}/messages`,
          { text },
          headers,
        )) as object;
      },
    });
    client.close();
    expect(result.errors).toBe(5);
    expect(result.turns).toBe(5);
    expect(result.errorSamples[0]).toContain('HTTP 409');
  });

  it('stops at the deadline when given a duration', async () => {
    const started = performance.now();
    const result = await runLoad({
      concurrency: 2,
      durationMs: 150,
      createWorker: async () => undefined,
      sendTurn: () => new Promise((resolve) => setTimeout(() => resolve({}), 10)),
    });
    expect(performance.now() - started).toBeLessThan(400);
    expect(result.turns).toBeGreaterThan(10);
  });

  it('does not count untimed preparation (a new conversation) in turn latency', async () => {
    let prepared = 0;
    const result = await runLoad({
      concurrency: 1,
      turns: 5,
      createWorker: async () => undefined,
      beforeTurn: async () => {
        prepared++;
        await new Promise((resolve) => setTimeout(resolve, 20));
      },
      sendTurn: async () => ({}),
    });
    expect(prepared).toBe(5);
    expect(result.latency.max).toBeLessThan(10);
  });

  it('marks the measured phase after set-up and warm-up, so server counters cover only measured turns', async () => {
    const events: string[] = [];
    await runLoad({
      concurrency: 1,
      turns: 2,
      warmupTurnsPerWorker: 1,
      createWorker: async () => events.push('worker'),
      onMeasuredPhase: async (moment) => {
        events.push(moment);
      },
      sendTurn: async () => {
        events.push('turn');
        return {};
      },
    });
    expect(events).toEqual(['worker', 'turn', 'start', 'turn', 'turn', 'end']);
  });

  it('rejects a run with no limit or a bad concurrency', async () => {
    const options = { createWorker: async () => undefined, sendTurn: async () => ({}) };
    await expect(runLoad({ ...options, concurrency: 1 })).rejects.toThrow(/durationMs or turns/);
    await expect(runLoad({ ...options, concurrency: 0, turns: 1 })).rejects.toThrow(/concurrency/);
  });

  it('reports a non-2xx answer with its status, e.g. a missing token', async () => {
    const client = createKeepAliveClient(server.url, 1);
    await expect(client.json('POST', '/v1/conversations', {})).rejects.toBeInstanceOf(HttpStatusError);
    client.close();
  });
});

describe('runLoad in paced mode', () => {
  it('when the server keeps up then turns go out at the offered rate', async () => {
    const result = await runLoad({
      concurrency: 4,
      durationMs: 500,
      ratePerSecond: 100,
      createWorker: async (index) => ({ index }),
      sendTurn: async () => {
        await new Promise((resolve) => setTimeout(resolve, 2));
        return {};
      },
    });
    expect(result.turnsPerSecond).toBeGreaterThan(80);
    expect(result.turnsPerSecond).toBeLessThan(120);
    expect(result.latency.p50).toBeLessThan(20);
  });

  it('when the server falls behind then the wait counts as latency (no coordinated omission)', async () => {
    // One worker, 100 turns/s offered, 30 ms per turn: each turn starts later than scheduled.
    const result = await runLoad({
      concurrency: 1,
      durationMs: 400,
      ratePerSecond: 100,
      createWorker: async () => ({}),
      sendTurn: async () => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        return {};
      },
    });
    expect(result.latency.max).toBeGreaterThan(100);
  });
});
