import type { OpenAPIHono } from '@hono/zod-openapi';
import { type ComplianceAudit, ComplianceService } from '../compliance/compliance-service.js';
import { type ComplianceStore, SqliteComplianceStore } from '../compliance/compliance-store.js';
import { migrateCompliance } from '../compliance/migrate-compliance.js';
import type { ComplianceSearch, KnowledgeIndexer, PolicyReloader } from '../compliance/ports.js';
import { DirectoryPublishedFiles } from '../compliance/published-files.js';
import { registerAdminDocumentRoutes } from '../server/routes/admin-documents.js';
import { registerAdminPolicyRoutes } from '../server/routes/admin-policies.js';
import { registerAdminSearchRoutes } from '../server/routes/admin-search.js';
import type { SqliteDatabase } from '../store/database.js';

export interface ComplianceRoutesDependencies {
  readonly compliance: ComplianceService;
  /** Absent: `POST /v1/admin/search` answers 503. */
  readonly search?: ComplianceSearch;
}

/**
 * Registers the compliance admin API (`/v1/admin/documents`, `/v1/admin/policies`,
 * `/v1/admin/validate`, `/v1/admin/search`). For `createApp({ extensions: [...] })`; the app
 * already requires the `compliance` role on `/v1/admin/*`.
 */
export function registerComplianceRoutes(app: OpenAPIHono, dependencies: ComplianceRoutesDependencies): void {
  registerAdminDocumentRoutes(app, dependencies.compliance);
  registerAdminPolicyRoutes(app, dependencies.compliance);
  registerAdminSearchRoutes(app, dependencies.search);
}

export interface CreateComplianceServiceOptions {
  /** The embedded file: its compliance tables are created, and drafts live there unless `store` is given. */
  readonly database: SqliteDatabase;
  /** Where drafts and history live instead (PostgreSQL with DATABASE_URL). */
  readonly store?: ComplianceStore;
  readonly audit: ComplianceAudit;
  /** `knowledge/documents`. */
  readonly documentsDir: string;
  /** `knowledge/policies`. */
  readonly policiesDir: string;
  /** Usually the `KnowledgeService`: re-indexes a document right after it is published or retired. */
  readonly indexer?: KnowledgeIndexer;
  /** Reloads the guardrails' policies after a policy is published or retired. */
  readonly policyReloader?: PolicyReloader;
  readonly now?: () => Date;
}

/** Creates the compliance tables (idempotent) and the service over the knowledge folder. */
export function createComplianceService(options: CreateComplianceServiceOptions): ComplianceService {
  migrateCompliance(options.database);
  return new ComplianceService({
    store: options.store ?? new SqliteComplianceStore(options.database),
    files: new DirectoryPublishedFiles({
      documentsDir: options.documentsDir,
      policiesDir: options.policiesDir,
    }),
    audit: options.audit,
    indexer: options.indexer,
    policyReloader: options.policyReloader,
    now: options.now,
  });
}
