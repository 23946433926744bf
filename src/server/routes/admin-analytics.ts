import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AuditSink } from '../../store/audit-log.js';
import type { TurnRecordRepository } from '../../store/ports.js';
import { TURN_KINDS } from '../../store/turn-analytics.js';
import '../context.js';
import { ApiError } from '../errors.js';
import { bearerSecurity, errorResponses, jsonOf } from '../schemas.js';

export interface AnalyticsRoutesDependencies {
  readonly turnRecords: TurnRecordRepository;
  readonly audit: AuditSink;
}

/** The longest window one request may ask for, so a request cannot scan years of turns. */
export const MAX_ANALYTICS_DAYS = 400;
const DAY_MS = 86_400_000;

const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine(
    (day) =>
      !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) &&
      new Date(`${day}T00:00:00Z`).toISOString().startsWith(day),
    {
      message: 'not a calendar day',
    },
  );

const AnalyticsQuerySchema = z.object({
  from: Day.openapi({ description: 'First day (UTC), inclusive', example: '2026-11-18' }),
  to: Day.openapi({ description: 'Last day (UTC), inclusive', example: '2026-11-24' }),
  bucket: z.enum(['day', 'week']).default('day').openapi({ description: 'Weeks start on Monday (UTC)' }),
});

const Rate = z.number().nullable();
const FiguresSchema = z.object({
  turns: z.number().int(),
  contained: z.number().int().openapi({ description: 'Turns in conversations no handoff touched' }),
  containmentRate: Rate,
  kinds: z.object(Object.fromEntries(TURN_KINDS.map((kind) => [kind, z.number().int()]))),
  handoffRate: Rate,
  ratings: z.object({ helpful: z.number().int(), notHelpful: z.number().int(), helpfulShare: Rate }),
  queue: z.object({
    opened: z.number().int(),
    claimed: z.number().int(),
    resolved: z.number().int(),
    averageWaitSeconds: Rate.openapi({ description: 'Opened → claimed' }),
    maxWaitSeconds: Rate,
    averageHandlingSeconds: Rate.openapi({ description: 'Claimed → resolved' }),
  }),
});
const CountSchema = z.object({
  bucket: z.string(),
  name: z.string(),
  detail: z.string().nullable(),
  count: z.number().int(),
});
const AnalyticsSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    bucket: z.enum(['day', 'week']),
    totals: FiguresSchema,
    buckets: z.array(FiguresSchema.extend({ start: z.string() })),
    handoffReasons: z.array(CountSchema).openapi({ description: '`detail` is the priority' }),
    refusalRules: z.array(CountSchema).openapi({ description: '`guardrail:rule` of refused turns' }),
    ratingReasons: z.array(CountSchema).openapi({ description: '`detail` is the rating' }),
    intents: z.array(CountSchema),
    topics: z.array(CountSchema),
  })
  .openapi('Analytics');

/**
 * Outcome analytics (roles `compliance` or `analyst`): counts and rates over redacted turn
 * records and the handoff queue, never any message text. Every read is audited.
 */
export function registerAnalyticsRoutes(app: OpenAPIHono, dependencies: AnalyticsRoutesDependencies): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/admin/analytics',
      tags: ['Analytics'],
      summary: 'Containment, handoffs, refusals, declines, ratings and queue times per day or week',
      description: `Role \`compliance\` or \`analyst\`. At most ${MAX_ANALYTICS_DAYS} days per request.`,
      security: bearerSecurity,
      request: { query: AnalyticsQuerySchema },
      responses: {
        200: jsonOf(AnalyticsSchema, 'Analytics'),
        ...errorResponses,
      },
    }),
    async (context) => {
      const { from, to, bucket } = context.req.valid('query');
      const first = Date.parse(`${from}T00:00:00Z`);
      const afterLast = Date.parse(`${to}T00:00:00Z`) + DAY_MS;
      if (afterLast <= first) throw new ApiError('bad_request', 'to: must be on or after from.');
      if ((afterLast - first) / DAY_MS > MAX_ANALYTICS_DAYS) {
        throw new ApiError('bad_request', `to: at most ${MAX_ANALYTICS_DAYS} days after from.`);
      }
      const principal = context.get('principal');
      await dependencies.audit.record({
        actor: principal.subject,
        action: 'analytics.read',
        requestId: context.get('requestId'),
        details: { from, to, bucket },
      });
      const analytics = await dependencies.turnRecords.aggregate({
        from,
        to: new Date(afterLast).toISOString().slice(0, 10),
        bucket,
      });
      // The window as asked (last day inclusive), not the store's exclusive end.
      return context.json({ ...analytics, to }, 200);
    },
  );
}
