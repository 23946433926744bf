import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KnowledgeIndexer } from '../compliance/ports.js';
import { searchWithRetriever } from '../compliance/retriever-search.js';
import {
  createComplianceService,
  registerComplianceRoutes,
} from '../composition/register-compliance-routes.js';
import { createKnowledgeService, type KnowledgeService } from '../knowledge/knowledge-service.js';
import type { Embedder } from '../retrieval/embedder.js';
import { createApp } from '../server/app.js';
import { createTokenVerifier, signDevelopmentToken } from '../server/auth/token-verifier.js';
import { SqliteAuditLog } from '../store/audit-log.js';
import { openDatabase } from '../store/database.js';
import { sqliteBackend } from '../store/sqlite-backend.js';
import type { Role } from '../turn/types.js';
import { RecordingKnowledgeIndexer, RecordingPolicyReloader } from './compliance-doubles.js';
import { RecordingLogger } from './recording-logger.js';

const SECRET = 'compliance-test-secret-of-at-least-thirty-two-characters';
const FIXTURES = join(import.meta.dirname, '..', 'compliance', 'fixtures');

/**
 * The real app (auth, roles, error handling) with the compliance routes registered the way the
 * composition root does, over a temporary copy of the fixture documents and policies, an
 * in-memory database and a real sparse-only knowledge service, so a test can publish and then
 * retrieve. Call `cleanup()` after each test.
 */
export async function createComplianceHarness(
  options: {
    today?: string;
    /** Replaces the real knowledge service as the re-indexer (calls are still recorded). */
    indexer?: KnowledgeIndexer;
    /** False: the app has no search function, as on a server without retrieval. */
    withSearch?: boolean;
    /** A dense embedder for hybrid retrieval; absent means sparse-only. */
    embedder?: Embedder;
  } = {},
) {
  const root = mkdtempSync(join(tmpdir(), 'teller-compliance-'));
  const documentsDir = join(root, 'documents');
  const policiesDir = join(root, 'policies');
  cpSync(join(FIXTURES, 'documents'), documentsDir, { recursive: true });
  cpSync(join(FIXTURES, 'policies'), policiesDir, { recursive: true });
  const today = options.today ?? '2026-11-25';
  const now = () => new Date(`${today}T10:00:00Z`);

  const database = openDatabase(':memory:');
  const audit = new SqliteAuditLog(database, now);
  const knowledge: KnowledgeService = await createKnowledgeService({
    knowledgeDir: documentsDir,
    embedder: options.embedder,
  });
  const indexer = new RecordingKnowledgeIndexer(options.indexer ?? knowledge);
  const policyReloader = new RecordingPolicyReloader();
  const compliance = createComplianceService({
    database,
    audit,
    documentsDir,
    policiesDir,
    indexer,
    policyReloader,
    now,
  });
  const logger = new RecordingLogger();
  const stores = sqliteBackend(database);
  const app = createApp({
    verifier: createTokenVerifier({ kind: 'secret', secret: SECRET }),
    limits: { requestsPerMinute: 10_000, bodyBytes: 64 * 1024, messageCharacters: 4000 },
    conversations: stores.conversations,
    handoffQueue: stores.handoffs,
    atomically: (work) => stores.atomically(work),
    turnRecords: stores.turnRecords,
    audit,
    // The admin API never runs a customer turn; a turn reaching this would be a routing bug.
    turns: {
      run: async () => {
        throw new Error('customer turns are not part of the compliance harness');
      },
    },
    privacy: {
      redactMessage: async (_conversationId, text) => ({ redactedText: text }),
      restoreForCustomer: async (_conversationId, text) => text,
    },
    readiness: [],
    logger,
    extensions: [
      (application) =>
        registerComplianceRoutes(application, {
          compliance,
          search:
            options.withSearch === false
              ? undefined
              : searchWithRetriever(knowledge.retriever, {
                  today: () => today,
                  explain: {
                    index: knowledge.index,
                    vocabulary: () => knowledge.corpus().vocabulary,
                    embedder: options.embedder,
                  },
                }),
        }),
    ],
  });

  const tokenFor = (subject: string, roles: Role[] = ['compliance']) =>
    signDevelopmentToken(SECRET, { subject, roles });

  /** `app.request` with a bearer token and a JSON body. */
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const response = await app.request(path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    // biome-ignore lint/suspicious/noExplicitAny: tests read many response shapes and assert them
    return { status: response.status, body: text ? (JSON.parse(text) as any) : undefined };
  };

  return {
    app,
    database,
    audit,
    knowledge,
    indexer,
    policyReloader,
    compliance,
    documentsDir,
    policiesDir,
    logger,
    tokenFor,
    call,
    cleanup: () => {
      database.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
