import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ComplianceService } from '../../compliance/compliance-service.js';
import { registerLifecycleRoutes } from './lifecycle-routes.js';

/**
 * Policy rules files under `/v1/admin/policies`: the same lifecycle as documents, validated with
 * the guardrails' policy schema, and refused when the policy folder would no longer load.
 */
export function registerAdminPolicyRoutes(app: OpenAPIHono, service: ComplianceService): void {
  registerLifecycleRoutes(app, service, {
    kind: 'policy',
    basePath: '/v1/admin/policies',
    tag: 'Compliance: policies',
    contentField: 'yaml',
  });
}
