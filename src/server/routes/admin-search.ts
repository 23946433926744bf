import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { ComplianceSearch } from '../../compliance/ports.js';
import { productSchema } from '../../knowledge/front-matter.js';
import { ApiError } from '../errors.js';
import { bearerSecurity, errorResponses, jsonBody, jsonOf } from '../schemas.js';

const HitSchema = z
  .object({
    chunkId: z.string(),
    documentId: z.string(),
    title: z.string(),
    version: z.string(),
    section: z.string(),
    text: z.string(),
    score: z.number(),
    why: z.object({
      sparseRank: z.number().int().nullable().optional(),
      denseRank: z.number().int().nullable().optional(),
      fusedScore: z.number().nullable().optional(),
      notes: z.array(z.string()).optional(),
    }),
  })
  .openapi('ComplianceSearchHit');

/**
 * `POST /v1/admin/search`: what retrieval returns for a question, with scores and why, so a
 * compliance officer can check that a published change is what customers will be answered from.
 * Without a `search` function the route answers 503.
 */
export function registerAdminSearchRoutes(app: OpenAPIHono, search: ComplianceSearch | undefined): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/search',
      tags: ['Compliance: search'],
      summary: 'Try retrieval as a customer question would use it',
      security: bearerSecurity,
      request: {
        body: jsonBody(
          z
            .object({
              query: z.string().trim().min(1).max(500),
              topic: productSchema.optional(),
              limit: z.number().int().min(1).max(20).default(5),
            })
            .strict(),
        ),
      },
      responses: {
        200: jsonOf(
          z.object({
            hits: z.array(HitSchema),
            confidence: z.record(z.string(), z.unknown()).nullable(),
          }),
          'Retrieved passages, best first',
        ),
        ...errorResponses,
      },
    }),
    async (context) => {
      if (!search) throw new ApiError('unavailable', 'Retrieval is not configured on this server.');
      const { query, topic, limit } = context.req.valid('json');
      const result = await search({ query, topic, limit });
      return context.json(
        {
          hits: result.hits.map((hit) => ({
            ...hit,
            why: { ...hit.why, notes: hit.why.notes ? [...hit.why.notes] : undefined },
          })),
          confidence: result.confidence ? { ...result.confidence } : null,
        },
        200,
      );
    },
  );
}
