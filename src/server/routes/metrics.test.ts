import { OpenAPIHono } from '@hono/zod-openapi';
import { requestId } from 'hono/request-id';
import { describe, expect, it } from 'vitest';
import { registerMetricsRoute } from './metrics.js';

const TOKEN = 'metrics-token-of-at-least-thirty-two-chars';

function appWith(bearerToken?: string) {
  const app = new OpenAPIHono();
  app.use('*', requestId());
  let renders = 0;
  registerMetricsRoute(app, {
    render: async () => {
      renders += 1;
      return { contentType: 'text/plain; version=0.0.4; charset=utf-8', body: 'teller_turns_total 1\n' };
    },
    ...(bearerToken && { bearerToken }),
  });
  return { app, renders: () => renders };
}

describe('GET /metrics', () => {
  it('when a token is configured then only that bearer token gets the metrics', async () => {
    const { app, renders } = appWith(TOKEN);
    const missing = await app.request('/metrics');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toContain('Bearer');
    expect(await missing.json()).toMatchObject({ error: { code: 'unauthorized' } });
    const wrong = await app.request('/metrics', { headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
    expect(renders()).toBe(0);

    const right = await app.request('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(right.status).toBe(200);
    expect(right.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    expect(right.headers.get('cache-control')).toBe('no-store');
    expect(await right.text()).toBe('teller_turns_total 1\n');
  });

  it('when no token is configured then the route answers without one (registered only where that is safe)', async () => {
    const { app } = appWith();
    expect((await app.request('/metrics')).status).toBe(200);
  });
});
