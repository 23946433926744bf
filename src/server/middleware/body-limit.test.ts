import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { limitBodySize } from './body-limit.js';

function appWithLimit(maxBytes: number) {
  const app = new Hono();
  app.use('*', limitBodySize({ maxBytes, onTooLarge: (context) => context.text('too large', 413) }));
  app.post('/echo', async (context) => context.text(String((await context.req.text()).length)));
  app.get('/ping', (context) => context.text('pong'));
  return app;
}

/** A body of unknown length, as a client sends with `Transfer-Encoding: chunked`. */
function streamOf(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(controller) {
      for (let offset = 0; offset < bytes.length; offset += 64)
        controller.enqueue(bytes.slice(offset, offset + 64));
      controller.close();
    },
  });
}

describe('limitBodySize', () => {
  it('when the declared length is within the limit then the handler reads the body', async () => {
    const response = await appWithLimit(100).request('/echo', {
      method: 'POST',
      body: 'x'.repeat(100),
      headers: { 'content-length': '100' },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('100');
  });

  it('when the declared length exceeds the limit then it is refused before the body is read', async () => {
    const response = await appWithLimit(100).request('/echo', {
      method: 'POST',
      body: 'x'.repeat(101),
      headers: { 'content-length': '101' },
    });
    expect(response.status).toBe(413);
  });

  it('when the declared length is not a number then it is refused', async () => {
    for (const declared of ['-1', '1e9', 'abc', '99999999999999999999']) {
      const response = await appWithLimit(100).request('/echo', {
        method: 'POST',
        body: 'x',
        headers: { 'content-length': declared },
      });
      expect(response.status, declared).toBe(413);
    }
  });

  it('when a body of unknown length grows past the limit then counting the bytes refuses it', async () => {
    const app = appWithLimit(100);
    const small = await app.request('/echo', {
      method: 'POST',
      body: streamOf('x'.repeat(90)),
      duplex: 'half',
    } as RequestInit);
    expect(small.status).toBe(200);
    const large = await app.request('/echo', {
      method: 'POST',
      body: streamOf('x'.repeat(500)),
      duplex: 'half',
    } as RequestInit);
    expect(large.status).toBe(413);
  });

  it('when the request has no body then it passes', async () => {
    expect((await appWithLimit(1).request('/ping')).status).toBe(200);
  });
});
