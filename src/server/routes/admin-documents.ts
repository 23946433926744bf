import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { ComplianceService } from '../../compliance/compliance-service.js';
import { bearerSecurity, errorResponses, jsonBody, jsonOf } from '../schemas.js';
import {
  ArtifactIdSchema,
  DRAFT_MAX_CHARACTERS,
  LineIssueSchema,
  registerLifecycleRoutes,
} from './lifecycle-routes.js';

const ValidateBody = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('document'),
      markdown: z.string().min(1).max(DRAFT_MAX_CHARACTERS),
      id: ArtifactIdSchema.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('policy'),
      yaml: z.string().min(1).max(DRAFT_MAX_CHARACTERS),
      id: ArtifactIdSchema.optional(),
    })
    .strict(),
]);

/**
 * Knowledge documents under `/v1/admin/documents` (the draft → approve → publish / retire
 * lifecycle) and `POST /v1/admin/validate` for live validation in an editor.
 */
export function registerAdminDocumentRoutes(app: OpenAPIHono, service: ComplianceService): void {
  registerLifecycleRoutes(app, service, {
    kind: 'document',
    basePath: '/v1/admin/documents',
    tag: 'Compliance: documents',
    contentField: 'markdown',
  });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/admin/validate',
      tags: ['Compliance: documents'],
      summary: 'Validate a document or policy draft without saving it',
      description:
        'Send `{ kind: "document", markdown }` or `{ kind: "policy", yaml }`; with `id`, the id in the text must match it. Problems come with their line.',
      security: bearerSecurity,
      request: {
        body: jsonBody(ValidateBody),
      },
      responses: {
        200: jsonOf(z.object({ ok: z.boolean(), errors: z.array(LineIssueSchema) }), 'Validation result'),
        ...errorResponses,
      },
    }),
    (context) => {
      const body = context.req.valid('json');
      const text = body.kind === 'document' ? body.markdown : body.yaml;
      const result = service.validate(body.kind, text, body.id);
      return context.json({ ok: result.ok, errors: [...result.errors] }, 200);
    },
  );
}
