import { join } from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { shippedModelsVersion } from '../classifier/shipped-models.js';
import { searchWithRetriever } from '../compliance/retriever-search.js';
import type { Config } from '../config/config.js';
import { registerConsole } from '../console/register-console.js';
import type { ChatModel } from '../generation/chat-model.js';
import { clarificationStage, honestDecline } from '../generation/clarification.js';
import { GroundedComposer } from '../generation/grounded-composer.js';
import { LlmGenerator } from '../generation/llm-generator.js';
import { MeteredChatModel } from '../generation/metered-chat-model.js';
import { ModelWithFallback } from '../generation/model-with-fallback.js';
import { SYSTEM_PROMPT } from '../generation/prompts.js';
import { createGuardrails, type Guardrails } from '../guardrails/create-guardrails.js';
import { retrievalStage } from '../guardrails/screening/retrieval-stage.js';
import { WebhookHandoffSink } from '../handoff/webhook-handoff-sink.js';
import { contentWordVectors, recentKnowledgeGaps } from '../knowledge/knowledge-gaps.js';
import { createKnowledgeService, type KnowledgeService } from '../knowledge/knowledge-service.js';
import { readPublishedDocument } from '../knowledge/published-document.js';
import { createJsonLogger, type Logger } from '../observability/logger.js';
import type { TracingPipeline } from '../observability/otel-tracing.js';
import { dryRunAnswer } from '../pipeline/dry-run-answer.js';
import type { TurnDependencies } from '../pipeline/run-turn.js';
import { createTurnRunner } from '../pipeline/turn-runner.js';
import { loadPolicies, type PolicySet } from '../policy/load-policies.js';
import type { PrivacyGuard } from '../privacy/guard.js';
import { createShippedIntentRouter } from '../routing/shipped-router.js';
import { createApp } from '../server/app.js';
import { createTokenVerifier } from '../server/auth/token-verifier.js';
import { registerKnowledgeGapRoutes } from '../server/routes/admin-knowledge-gaps.js';
import type { SqliteDatabase } from '../store/database.js';
import { followGeneration } from '../store/shared-generations.js';
import type { CoreBankingAdapter } from '../tools/core-banking/adapter.js';
import { EmbeddedBank } from '../tools/core-banking/embedded-bank.js';
import { HttpCoreBankingAdapter } from '../tools/core-banking/http-adapter.js';
import { migrate as migrateBank } from '../tools/core-banking/schema.js';
import { seedDemoBank } from '../tools/core-banking/seed.js';
import { createDefaultToolRegistry } from '../tools/default-tools.js';
import type { HandoffSink } from '../turn/handoff-sink.js';
import type { RetrievalStage } from '../turn/stages.js';
import { routerStage, toolCallingLoop, toolStage } from './account-stages.js';
import { chooseEmbedders } from './embedders.js';
import { handoffStage } from './handoff-stage.js';
import { buildObservability } from './observability.js';
import { privacyStage } from './privacy-stage.js';
import { buildPrivacyGuard, scheduleVaultPurge } from './privacy-vault.js';
import { inputRailsStage, outputRailsStage, unboundFindForeignPii } from './rails-stages.js';
import { createComplianceService, registerComplianceRoutes } from './register-compliance-routes.js';
import { openServiceState } from './state-backend.js';

export interface BuildOptions {
  /** Clock for the whole service (tests and benchmarks pin it). */
  readonly now?: () => Date;
  readonly logger?: Logger;
  /** A chat model to use instead of the configured one (tests use `ScriptedChatModel`). */
  readonly chatModel?: ChatModel;
  /** Where turn spans go instead of the configured OTLP endpoint (tests pass an in-memory exporter). */
  readonly tracing?: TracingPipeline;
}

export interface Teller {
  readonly app: OpenAPIHono;
  readonly logger: Logger;
  readonly database: SqliteDatabase;
  readonly knowledge: KnowledgeService;
  readonly dependencies: TurnDependencies;
  /** What is wired, for the start-up log line and `/readyz`. */
  describe(): Record<string, string>;
  close(): Promise<void>;
}

/** No contact-centre system configured: the SQLite queue (agent inbox) is the only destination. */
const queueOnlySink: HandoffSink = { deliver: async () => ({ delivered: true, attempts: 0 }) };

/**
 * The composition root: builds every dependency from the validated config. The only place that
 * chooses between embedded defaults and real services (Qdrant, OpenAI-compatible model, bank API).
 */
export async function buildTeller(config: Config, options: BuildOptions = {}): Promise<Teller> {
  const now = options.now ?? (() => new Date());
  const today = () => now().toISOString().slice(0, 10);
  const logger = options.logger ?? createJsonLogger(config.logLevel);
  // The embedded file always opens: the demo bank and the vault live there. Conversations, handoffs,
  // audit (its head signed so a truncated log shows), pending actions, leases and rate limits:
  // SQLite, or PostgreSQL shared by every instance when DATABASE_URL is set.
  const { database, state } = await openServiceState(config, now, logger);
  const { conversations, handoffs: handoffQueue, audit } = state.stores;
  // Several processes (cluster workers or instances on PostgreSQL): in-memory state follows shared counters.
  const shared = state.generations;
  // Metrics on a registry of this process's own; traces only when an OTLP endpoint is configured.
  const observability = await buildObservability(config, {
    ...(state.poolStatus && { databasePool: state.poolStatus }),
    ...(options.tracing && { tracing: options.tracing }),
  });

  // The vault is always sealed and stored, so a restart loses no customer's tokens; values (and
  // turn records) past retention are purged now and on an interval.
  const privacy: PrivacyGuard = buildPrivacyGuard(config, state.stores.vault, now);
  const privacyForTurns = privacyStage(privacy);
  const stopVaultPurge = scheduleVaultPurge(privacy, config, {
    now,
    audit,
    logger,
    turnRecords: state.stores.turnRecords,
  });

  const documentsDir = join(config.paths.knowledgeDir, 'documents');
  const policiesDir = join(config.paths.knowledgeDir, 'policies');
  let policies: PolicySet = loadPolicies({ directory: policiesDir, day: today() });
  const buildGuardrails = (): Guardrails =>
    createGuardrails(policies, {
      findForeignPii: unboundFindForeignPii,
      protectedTexts: [SYSTEM_PROMPT],
    });
  let guardrails = buildGuardrails();
  const reloadPolicies = () => {
    policies = loadPolicies({ directory: policiesDir, day: today() });
    guardrails = buildGuardrails();
  };
  const policyGeneration = shared && followGeneration(shared, 'policies');

  const { embedder, wordVectors } = await chooseEmbedders(config, logger);
  const knowledge = await createKnowledgeService({
    knowledgeDir: documentsDir,
    dataDir: config.paths.dataDir,
    ...(config.qdrant && { qdrant: config.qdrant }),
    ...(embedder && { embedder }),
    ...(wordVectors && { wordVectors }),
    ...(shared && { generations: shared }),
  });

  const bank = openBank(config, database, today());
  const registry = createDefaultToolRegistry();
  const accountTools = {
    registry,
    adapter: bank,
    pendingActions: state.stores.pendingActions,
    audit,
    now,
    onAuditFailure: (error: unknown) => logger.error('tool audit write failed', { error: String(error) }),
  };
  const configuredModel =
    options.chatModel ?? (config.openai && (await openAIChatModel(config.openai, config.model)));
  const chatModel = configuredModel && new MeteredChatModel(configuredModel, observability.metrics);
  const composer = new GroundedComposer({
    now,
    // An honest decline says where to get the answer: the referral the question names, or a person.
    decline: (question) => honestDecline(question, policies).text,
    // Question words are weighed by their rarity in the corpus the retriever indexed (kept current on publish).
    termRarity: (term) => knowledge.retriever.termRarity(term),
    correctWord: (word) => knowledge.retriever.correctWord(word),
  });
  // A model that fails, stalls or writes too much never costs the customer an answer: the
  // grounded composer answers instead, and the audit log says why.
  const generation = chatModel
    ? new ModelWithFallback({
        model: new LlmGenerator({
          model: chatModel,
          toolLoop: toolCallingLoop(accountTools),
          fallback: composer,
        }),
        fallback: composer,
        turnBudgetMs: config.model.turnBudgetMs,
        maxAnswerCharacters: config.model.maxAnswerCharacters,
        onFallback: ({ reason, conversationId, requestId, detail }) => {
          observability.metrics.modelFellBack(reason);
          return audit.record({
            actor: 'system',
            action: 'generation.fallback',
            subject: conversationId,
            requestId,
            details: { reason, detail, model: chatModel.name },
          });
        },
      })
    : composer;

  const dependencies: TurnDependencies = {
    atomically: (work) => state.stores.atomically(work),
    privacy: privacyForTurns,
    // Input rails run first in a turn: catch up there with policies published by another worker.
    inputRails: inputRailsStage(() => {
      policyGeneration?.sync(reloadPolicies);
      return guardrails;
    }, logger),
    router: routerStage(createShippedIntentRouter({ now }), registry, {
      revealForArguments: (conversationId, text) =>
        privacy.restoreForCustomer(conversationId, text, ['CREDIT_CARD', 'BANK_ACCOUNT']),
    }),
    retrieval: catchingUpWith(
      knowledge,
      retrievalStage(() => knowledge.retriever, {
        onQuarantine: (items) =>
          void Promise.resolve(
            audit.record({
              actor: 'system',
              action: 'retrieval.quarantined',
              details: { items: items.map((item) => ({ ...item })) },
            }),
          ).catch((error: unknown) =>
            logger.error('quarantine audit write failed', { error: String(error) }),
          ),
      }),
    ),
    tools: toolStage(accountTools),
    generation,
    outputRails: outputRailsStage({
      guardrails: () => guardrails,
      policies: () => policies,
      privacy,
      logger,
    }),
    clarification: clarificationStage({ policies: () => policies }),
    handoff: handoffStage({ policies: () => policies, redactForLog: privacyForTurns.redactForLog }),
    handoffSink: config.handoffWebhook
      ? new WebhookHandoffSink({ url: config.handoffWebhook.url, secret: config.handoffWebhook.secret })
      : queueOnlySink,
    conversations,
    handoffQueue,
    turnRecords: state.stores.turnRecords,
    // The served version (models/active.json or MODELS_VERSION), as its manifest names it.
    routerVersion: shippedModelsVersion(),
    handoffLimit: config.handoffLimit,
    audit,
    logger,
    telemetry: observability.telemetry,
    now,
  };

  const compliance = createComplianceService({
    database,
    // Drafts, publication history and their audit trail on the same database as the turns'.
    store: state.complianceStore,
    audit,
    documentsDir,
    policiesDir,
    indexer: knowledge,
    policyReloader: {
      reloadPolicies() {
        reloadPolicies();
        policyGeneration?.bump();
      },
    },
    now,
  });

  // One verifier for the API and the console: one JWKS cache and one memory of verified tokens.
  // Token times are the identity provider's wall-clock times, so they are checked against the
  // wall clock, not the service clock that tests pin to decide which documents are in force.
  const verifier = createTokenVerifier({ ...config.auth, limits: config.tokenLimits });
  const app = createApp({
    verifier,
    limits: config.limits,
    conversations,
    handoffQueue,
    atomically: (work) => state.stores.atomically(work),
    turnRecords: state.stores.turnRecords,
    audit,
    trainingExamples: state.stores.trainingExamples,
    // Several workers share one budget per subject; one process keeps its buckets in memory.
    ...(state.shared && { rateLimitStore: state.stores.rateLimits('api') }),
    turns: createTurnRunner(dependencies, {
      ...(state.shared && { leases: state.stores.leases }),
    }),
    privacy: privacyForTurns,
    ...(observability.endpoint && { metrics: observability.endpoint }),
    readiness: [
      { name: 'database', check: () => state.stores.ping() },
      {
        name: 'knowledge_index',
        check: async () =>
          void (await knowledge.retriever.retrieve('fees', { limit: 1, filter: { day: today() } })),
      },
    ],
    logger,
    extensions: [
      (api) =>
        registerComplianceRoutes(api, {
          compliance,
          search: searchWithRetriever(knowledge.retriever, {
            today,
            explain: {
              index: knowledge.index,
              vocabulary: () => knowledge.corpus().vocabulary,
              ...(embedder && { embedder }),
            },
          }),
        }),
      (api) =>
        registerKnowledgeGapRoutes(api, {
          // Grouped by the shipped offline word vectors; content words when they are not installed.
          findGaps: () =>
            recentKnowledgeGaps(state.stores.turnRecords, {
              embed: wordVectors ? (texts) => wordVectors.embedDocuments(texts) : contentWordVectors,
              now: now(),
            }),
          compliance,
          recheck: (question) => dryRunAnswer(dependencies, question),
          audit,
          today,
        }),
      (api) =>
        registerConsole(api, {
          verifier,
          readPublishedDocument: (id) => readPublishedDocument(documentsDir, id, today()),
          requestsPerMinute: config.limits.requestsPerMinute * 4,
          ...(state.shared && { rateLimitStore: state.stores.rateLimits('console') }),
          ...(config.developmentTokens &&
            config.auth.kind === 'secret' && { developmentTokens: { secret: config.auth.secret } }),
        }),
    ],
  });

  return {
    app,
    logger,
    database,
    knowledge,
    dependencies,
    describe: () => ({
      state: state.description,
      index: config.qdrant ? `qdrant ${config.qdrant.url}/${config.qdrant.collection}` : 'embedded',
      embedder: embedder?.id ?? 'none (sparse only)',
      generator: chatModel ? `llm ${chatModel.name}` : 'grounded composer',
      bank: config.coreBanking ? `http ${config.coreBanking.url}` : 'embedded demo bank',
      policies: policies.sources.join(', '),
      documents: String(knowledge.corpus().documents.length),
      traces: observability.description,
      metrics: config.metrics.served
        ? config.metrics.token
          ? 'GET /metrics (bearer token)'
          : 'GET /metrics (loopback development)'
        : 'off',
    }),
    async close() {
      stopVaultPurge();
      await observability.close();
      await state.close();
    },
  };
}

/**
 * LangChain and the OpenAI client are about 650 modules, a second of start-up and tens of MB:
 * imported only when a model is configured.
 */
async function openAIChatModel(
  openai: NonNullable<Config['openai']>,
  model: Config['model'],
): Promise<ChatModel> {
  const { LangChainChatModel } = await import('../generation/langchain-chat-model.js');
  return new LangChainChatModel({
    apiKey: openai.apiKey,
    model: openai.model,
    timeoutMs: openai.timeoutMs,
    maxTokens: model.maxTokens,
    ...(openai.baseUrl && { baseUrl: openai.baseUrl }),
  });
}

function openBank(config: Config, database: SqliteDatabase, today: string): CoreBankingAdapter {
  if (config.coreBanking) {
    return new HttpCoreBankingAdapter({
      baseUrl: config.coreBanking.url,
      serviceToken: config.coreBanking.token,
      timeoutMs: config.coreBanking.timeoutMs,
    });
  }
  migrateBank(database);
  const { count } = database.prepare('SELECT COUNT(*) AS count FROM bank_customers').get() as {
    count: number;
  };
  if (count === 0 && config.demoBank) seedDemoBank(database, { today });
  return new EmbeddedBank({ database });
}

/** The retrieval stage, first catching up with documents another worker published. */
function catchingUpWith(knowledge: KnowledgeService, stage: RetrievalStage): RetrievalStage {
  return {
    async search(query, options) {
      await knowledge.ensureCurrent();
      return stage.search(query, options);
    },
  };
}
