import { createHash, timingSafeEqual } from 'node:crypto';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { errorBody } from '../errors.js';

/** What GET /metrics serves, and the bearer token it requires when one is configured. */
export interface MetricsEndpoint {
  /** The metrics in Prometheus' text exposition format. */
  render(): Promise<{ readonly contentType: string; readonly body: string }>;
  /** Absent: the composition root only registers the route where that is safe (development, loopback). */
  readonly bearerToken?: string;
}

/**
 * GET /metrics for Prometheus. Outside /v1, so customer tokens and rate limits do not apply; with
 * a bearer token configured, anything else gets 401 (compared in constant time).
 */
export function registerMetricsRoute(app: OpenAPIHono, endpoint: MetricsEndpoint): void {
  const expected = endpoint.bearerToken === undefined ? undefined : digest(endpoint.bearerToken);
  app.get('/metrics', async (context) => {
    if (expected) {
      const presented = /^Bearer (\S+)$/i.exec(context.req.header('authorization') ?? '')?.[1];
      if (!presented || !timingSafeEqual(digest(presented), expected)) {
        context.header('WWW-Authenticate', 'Bearer realm="metrics"');
        return context.json(
          errorBody('unauthorized', 'GET /metrics needs the metrics bearer token.', context.get('requestId')),
          401,
        );
      }
    }
    const { contentType, body } = await endpoint.render();
    context.header('Cache-Control', 'no-store');
    return context.body(body, 200, { 'Content-Type': contentType });
  });
}

/** Equal-length digests, so the comparison takes the same time whatever was presented. */
function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
