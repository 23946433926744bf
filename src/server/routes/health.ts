import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { jsonOf } from '../schemas.js';

/** A dependency the service needs to serve: checked by `/readyz`. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<void>;
}

const HealthSchema = z.object({ status: z.literal('ok') }).openapi('Health');
const ReadinessSchema = z
  .object({
    status: z.enum(['ready', 'not_ready']),
    checks: z.record(
      z.string(),
      z.object({ ok: z.boolean(), millis: z.number(), error: z.string().optional() }),
    ),
  })
  .openapi('Readiness');

/** Liveness (`/healthz`: the process answers) and readiness (`/readyz`: its dependencies answer). */
export function registerHealthRoutes(
  app: OpenAPIHono,
  checks: readonly ReadinessCheck[],
  timeoutMs = 2000,
): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/healthz',
      tags: ['Operations'],
      responses: { 200: jsonOf(HealthSchema, 'Alive') },
    }),
    (context) => context.json({ status: 'ok' as const }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/readyz',
      tags: ['Operations'],
      responses: {
        200: jsonOf(ReadinessSchema, 'Ready'),
        503: jsonOf(ReadinessSchema, 'A dependency is down'),
      },
    }),
    async (context) => {
      const results = await Promise.all(
        checks.map(async (check) => {
          const started = performance.now();
          try {
            await Promise.race([
              check.check(),
              new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), timeoutMs).unref()),
            ]);
            return [check.name, { ok: true, millis: Math.round(performance.now() - started) }] as const;
          } catch (error) {
            const message = error instanceof Error ? error.message : 'failed';
            return [
              check.name,
              { ok: false, millis: Math.round(performance.now() - started), error: message },
            ] as const;
          }
        }),
      );
      const ready = results.every(([, result]) => result.ok);
      return context.json(
        { status: ready ? ('ready' as const) : ('not_ready' as const), checks: Object.fromEntries(results) },
        ready ? 200 : 503,
      );
    },
  );
}
