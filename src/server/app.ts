import { OpenAPIHono } from '@hono/zod-openapi';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import type { Logger } from '../observability/logger.js';
import type { TurnRunner } from '../pipeline/turn-runner.js';
import type { AuditSink } from '../store/audit-log.js';
import type {
  ConversationRepository,
  HandoffRepository,
  TrainingExampleRepository,
  TurnRecordRepository,
} from '../store/ports.js';
import type { RateLimitStore } from '../store/rate-limit-store.js';
import type { TokenVerifier } from './auth/token-verifier.js';
import { ApiError, errorBody } from './errors.js';
import { createErrorHandler } from './handle-error.js';
import { authenticate, requireRole } from './middleware/authenticate.js';
import { limitBodySize } from './middleware/body-limit.js';
import { rateLimit } from './middleware/rate-limit.js';
import { registerAnalyticsRoutes } from './routes/admin-analytics.js';
import { registerTrainingExampleRoutes } from './routes/admin-training-examples.js';
import { registerAgentRoutes } from './routes/agent-handoffs.js';
import { registerConversationRoutes } from './routes/conversations.js';
import { type ReadinessCheck, registerHealthRoutes } from './routes/health.js';
import { type MetricsEndpoint, registerMetricsRoute } from './routes/metrics.js';
import { registerFeedbackRoutes } from './routes/turn-feedback.js';

export interface AppDependencies {
  readonly verifier: TokenVerifier;
  readonly limits: {
    readonly requestsPerMinute: number;
    readonly bodyBytes: number;
    readonly messageCharacters: number;
  };
  readonly conversations: ConversationRepository;
  readonly handoffQueue: HandoffRepository;
  /** The state backend's transaction: writes one request makes that must commit together or not at all. */
  readonly atomically: <Result>(work: () => Promise<Result>) => Promise<Result>;
  /** Turn records: customers' ratings, and outcome analytics for compliance and analysts. */
  readonly turnRecords: TurnRecordRepository;
  readonly audit: AuditSink;
  readonly turns: TurnRunner;
  readonly privacy: {
    redactMessage(conversationId: string, text: string): Promise<{ redactedText: string }>;
    restoreForCustomer(conversationId: string, text: string): Promise<string>;
  };
  readonly readiness: readonly ReadinessCheck[];
  readonly logger: Logger;
  /** Where rate-limit buckets live; default in process memory. Shared when several workers serve. */
  readonly rateLimitStore?: RateLimitStore;
  /** GET /metrics; absent, the route does not exist (404). */
  readonly metrics?: MetricsEndpoint;
  /** Agent-labelled training examples; absent, their admin routes are not served. */
  readonly trainingExamples?: TrainingExampleRepository;
  /** Further route groups (compliance admin, console) registered by the composition root. */
  readonly extensions?: ReadonlyArray<(app: OpenAPIHono) => void>;
}

/**
 * Builds the Hono app. It receives everything it needs: no OpenAI, Qdrant or environment access
 * here, so tests drive it through `app.request(...)` with real stages or fakes.
 */
export function createApp(dependencies: AppDependencies): OpenAPIHono {
  const app = new OpenAPIHono({
    // Validation failures get the same error shape as everything else.
    defaultHook: (result, context) => {
      if (result.success) return;
      const message = result.error.issues
        .slice(0, 5)
        .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
        .join('; ');
      return context.json(errorBody('bad_request', message, context.get('requestId')), 400);
    },
  });

  app.use(
    '*',
    requestId({
      headerName: 'X-Request-Id',
      // Accept a caller's id only when it is short and plain, so logs cannot be forged through it.
      generator: () => `req_${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`,
      limitLength: 64,
    }),
  );
  app.use(
    '*',
    secureHeaders({ contentSecurityPolicy: { defaultSrc: ["'self'"], frameAncestors: ["'none'"] } }),
  );
  app.use(
    '/v1/*',
    limitBodySize({
      maxBytes: dependencies.limits.bodyBytes,
      onTooLarge: () => {
        throw new ApiError(
          'payload_too_large',
          `The request body exceeds ${dependencies.limits.bodyBytes} bytes.`,
        );
      },
    }),
  );
  app.use('/v1/*', authenticate({ verifier: dependencies.verifier }));
  app.use(
    '/v1/*',
    rateLimit({
      requestsPerMinute: dependencies.limits.requestsPerMinute,
      ...(dependencies.rateLimitStore && { store: dependencies.rateLimitStore }),
    }),
  );
  app.use('/v1/conversations', requireRole('customer'));
  app.use('/v1/conversations/*', requireRole('customer'));
  app.use('/v1/agent/*', requireRole('agent'));
  // Analysts read analytics and the list of knowledge gaps (both read-only, no message text beyond
  // redacted examples the gap list already gates); everything else under /v1/admin, including
  // drafting from a gap and rechecking it, is compliance's.
  const complianceOnly = requireRole('compliance');
  const complianceOrAnalyst = requireRole(['compliance', 'analyst']);
  const analystReadable = (method: string, path: string) =>
    path === '/v1/admin/analytics' || (method === 'GET' && path === '/v1/admin/knowledge-gaps');
  app.use('/v1/admin/*', async function requireAdminRole(context, next) {
    if (analystReadable(context.req.method, context.req.path)) return complianceOrAnalyst(context, next);
    return complianceOnly(context, next);
  });

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  registerHealthRoutes(app, dependencies.readiness);
  if (dependencies.metrics) registerMetricsRoute(app, dependencies.metrics);
  registerConversationRoutes(app, {
    conversations: dependencies.conversations,
    turns: dependencies.turns,
    restoreForCustomer: (conversationId, text) =>
      dependencies.privacy.restoreForCustomer(conversationId, text),
    messageCharacters: dependencies.limits.messageCharacters,
  });
  registerFeedbackRoutes(app, {
    conversations: dependencies.conversations,
    turnRecords: dependencies.turnRecords,
    audit: dependencies.audit,
  });
  registerAnalyticsRoutes(app, { turnRecords: dependencies.turnRecords, audit: dependencies.audit });
  registerAgentRoutes(app, {
    handoffQueue: dependencies.handoffQueue,
    atomically: dependencies.atomically,
    conversations: dependencies.conversations,
    audit: dependencies.audit,
    redactMessage: (conversationId, text) => dependencies.privacy.redactMessage(conversationId, text),
    messageCharacters: dependencies.limits.messageCharacters,
    ...(dependencies.trainingExamples && { trainingExamples: dependencies.trainingExamples }),
  });
  if (dependencies.trainingExamples) {
    registerTrainingExampleRoutes(app, {
      trainingExamples: dependencies.trainingExamples,
      audit: dependencies.audit,
    });
  }
  for (const extend of dependencies.extensions ?? []) extend(app);

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Teller API',
      version: '0.1.0',
      description:
        'Bank customer-service assistant: customer chat, agent inbox and compliance administration.',
    },
  });
  app.notFound((context) =>
    context.json(errorBody('not_found', 'No such endpoint.', context.get('requestId')), 404),
  );
  app.onError(createErrorHandler(dependencies.logger));
  return app;
}
