import type { TurnDependencies } from '../pipeline/run-turn.js';
import { createTurnRunner } from '../pipeline/turn-runner.js';
import { createApp } from '../server/app.js';
import { createTokenVerifier, signDevelopmentToken } from '../server/auth/token-verifier.js';
import { SqliteAuditLog } from '../store/audit-log.js';
import { ConversationStore } from '../store/conversation-store.js';
import { openDatabase, type SqliteDatabase } from '../store/database.js';
import { HandoffQueue } from '../store/handoff-queue.js';
import type { RateLimitStore } from '../store/rate-limit-store.js';
import { sqliteBackend } from '../store/sqlite-backend.js';
import type { Role } from '../turn/types.js';
import {
  EchoGeneration,
  EmailOnlyPrivacyFake,
  KeywordHandoffFake,
  PassThroughOutputRails,
  RecordingToolStage,
  ScriptedInputRails,
  StaticRetrieval,
  StaticRouter,
} from './fake-stages.js';
import { RecordingHandoffSink } from './recording-handoff-sink.js';
import { RecordingLogger } from './recording-logger.js';

export const TEST_JWT_SECRET = 'test-secret-of-at-least-thirty-two-characters!';

/**
 * Turn dependencies over `database` with every stage faked and the real stores (through the
 * asynchronous ports, as production uses them); any of them can be overridden. The clock is
 * pinned to the test day.
 */
export function fakeTurnDependencies(
  database: SqliteDatabase,
  overrides: Partial<TurnDependencies> = {},
): TurnDependencies {
  const stores = sqliteBackend(database);
  return {
    atomically: (work) => stores.atomically(work),
    privacy: new EmailOnlyPrivacyFake(),
    inputRails: new ScriptedInputRails(),
    router: new StaticRouter(),
    retrieval: new StaticRetrieval([]),
    tools: new RecordingToolStage(),
    generation: new EchoGeneration(),
    outputRails: new PassThroughOutputRails(),
    handoff: new KeywordHandoffFake(),
    handoffSink: new RecordingHandoffSink(),
    conversations: stores.conversations,
    handoffQueue: stores.handoffs,
    turnRecords: stores.turnRecords,
    routerVersion: 'test-router',
    // The shipped default; tests of the limit itself override it.
    handoffLimit: { count: 5, windowSeconds: 600 },
    audit: stores.audit,
    logger: new RecordingLogger(),
    now: () => new Date('2026-11-25T10:00:00Z'),
    ...overrides,
  };
}

/**
 * The real app, store and runTurn over an in-memory SQLite database, with fake stages that can be
 * overridden one by one. For route and orchestration tests.
 */
export function createTestApp(
  overrides: Partial<TurnDependencies> = {},
  limits: { requestsPerMinute?: number; rateLimitStore?: RateLimitStore } = {},
) {
  const database = openDatabase(':memory:');
  const logger = new RecordingLogger();
  const audit = new SqliteAuditLog(database);
  const handoffSink = new RecordingHandoffSink();
  const dependencies = fakeTurnDependencies(database, { logger, audit, handoffSink, ...overrides });
  const trainingExamples = sqliteBackend(database).trainingExamples;
  // Synchronous views of the same database, for tests to read back what the app stored.
  const conversations = new ConversationStore(database);
  const handoffQueue = new HandoffQueue(database);
  const app = createApp({
    verifier: createTokenVerifier({ kind: 'secret', secret: TEST_JWT_SECRET }),
    limits: {
      requestsPerMinute: limits.requestsPerMinute ?? 1000,
      bodyBytes: 16 * 1024,
      messageCharacters: 4000,
    },
    conversations: dependencies.conversations,
    handoffQueue: dependencies.handoffQueue,
    atomically: dependencies.atomically,
    turnRecords: dependencies.turnRecords,
    audit: dependencies.audit,
    trainingExamples,
    ...(limits.rateLimitStore && { rateLimitStore: limits.rateLimitStore }),
    turns: createTurnRunner(dependencies),
    privacy: dependencies.privacy,
    readiness: [{ name: 'database', check: async () => void database.prepare('SELECT 1').get() }],
    logger,
  });
  const tokenFor = (subject: string, roles: Role[] = ['customer'], stepUp = false) =>
    signDevelopmentToken(TEST_JWT_SECRET, { subject, roles, stepUp });
  return { app, database, logger, conversations, handoffQueue, audit, handoffSink, dependencies, tokenFor };
}

/** JSON request helper for `app.request`. */
export function jsonRequest(method: string, token: string | undefined, body?: unknown): RequestInit {
  return {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token && { authorization: `Bearer ${token}` }),
    },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  };
}
