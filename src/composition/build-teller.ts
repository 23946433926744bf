import { join } from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import {
  createComplianceService,
  registerComplianceRoutes,
} from '../compliance/register-compliance-routes.js';
import { searchWithRetriever } from '../compliance/retriever-search.js';
import type { Config } from '../config/config.js';
import { registerConsole } from '../console/register-console.js';
import type { ChatModel } from '../generation/chat-model.js';
import { GroundedComposer } from '../generation/grounded-composer.js';
import { LangChainChatModel } from '../generation/langchain-chat-model.js';
import { LlmGenerator } from '../generation/llm-generator.js';
import { SYSTEM_PROMPT } from '../generation/prompts.js';
import { createGuardrails, type Guardrails } from '../guardrails/create-guardrails.js';
import { loadPolicies, type PolicySet } from '../guardrails/policy/load-policies.js';
import type { HandoffSink } from '../handoff/handoff-sink.js';
import { WebhookHandoffSink } from '../handoff/webhook-handoff-sink.js';
import { isInForce } from '../knowledge/front-matter.js';
import { createKnowledgeService, type KnowledgeService } from '../knowledge/knowledge-service.js';
import { parseKnowledgeDocument } from '../knowledge/parse-document.js';
import { createJsonLogger, type Logger } from '../observability/logger.js';
import type { TurnDependencies } from '../pipeline/run-turn.js';
import type { RetrievalStage } from '../pipeline/stages.js';
import { createTurnRunner } from '../pipeline/turn-runner.js';
import { SqliteConversationLeases } from '../pipeline/turn-runner-leases.js';
import { createPrivacyGuard, type PrivacyGuard } from '../privacy/guard.js';
import { EncryptedConversationVault } from '../privacy/vault.js';
import { localVaultKey } from '../privacy/vault-key.js';
import { createShippedIntentRouter } from '../routing/shipped-router.js';
import { createApp } from '../server/app.js';
import { createTokenVerifier } from '../server/auth/token-verifier.js';
import { SqliteRateLimitStore } from '../server/middleware/rate-limit-sqlite-store.js';
import { SqliteAuditLog } from '../store/audit-log.js';
import { ConversationStore } from '../store/conversation-store.js';
import { createAtomically, openDatabase, type SqliteDatabase } from '../store/database.js';
import { HandoffQueue } from '../store/handoff-queue.js';
import { followGeneration, SqliteSharedGenerations } from '../store/shared-generations.js';
import { SqliteKeyValueStore } from '../store/sqlite-key-value-store.js';
import { SqlitePendingActionStore } from '../store/sqlite-pending-action-store.js';
import type { CoreBankingAdapter } from '../tools/core-banking/adapter.js';
import { EmbeddedBank } from '../tools/core-banking/embedded-bank.js';
import { HttpCoreBankingAdapter } from '../tools/core-banking/http-adapter.js';
import { migrate as migrateBank } from '../tools/core-banking/schema.js';
import { seedDemoBank } from '../tools/core-banking/seed.js';
import { createDefaultToolRegistry } from '../tools/default-tools.js';
import { routerStage, toolCallingLoop, toolStage } from './account-stages.js';
import { chooseEmbedders } from './embedders.js';
import { handoffStage } from './handoff-stage.js';
import { privacyStage } from './privacy-stage.js';
import { inputRailsStage, outputRailsStage, unboundFindForeignPii } from './rails-stages.js';
import { retrievalStage } from './retrieval-stage.js';

export interface BuildOptions {
  /** Clock for the whole service (tests and benchmarks pin it). */
  readonly now?: () => Date;
  readonly logger?: Logger;
  /** A chat model to use instead of the configured one (tests use `ScriptedChatModel`). */
  readonly chatModel?: ChatModel;
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
  const database = openDatabase(config.paths.databasePath);
  const conversations = new ConversationStore(database, now);
  const handoffQueue = new HandoffQueue(database, now);
  const audit = new SqliteAuditLog(database, now);
  // Cluster mode (TELLER_WORKERS > 1): state every worker keeps in memory follows shared counters.
  const shared = config.server.workers > 1 ? new SqliteSharedGenerations(database) : undefined;

  // The vault is always sealed and stored, so a restart loses no customer's tokens. Production
  // brings its key (VAULT_KEY); elsewhere a key is created once beside the database.
  const vaultKey = config.vaultKey ?? localVaultKey(config.paths.dataDir);
  const privacy: PrivacyGuard = createPrivacyGuard({
    vault: new EncryptedConversationVault({
      key: Buffer.from(vaultKey, 'hex'),
      store: new SqliteKeyValueStore(database),
    }),
  });
  const privacyForTurns = privacyStage(privacy);

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
    pendingActions: new SqlitePendingActionStore(database),
    audit,
    now,
  };
  const chatModel =
    options.chatModel ??
    (config.openai &&
      new LangChainChatModel({
        apiKey: config.openai.apiKey,
        model: config.openai.model,
        timeoutMs: config.openai.timeoutMs,
        ...(config.openai.baseUrl && { baseUrl: config.openai.baseUrl }),
      }));
  const generation = chatModel
    ? new LlmGenerator({ model: chatModel, toolLoop: toolCallingLoop(accountTools) })
    : new GroundedComposer({ now });

  const dependencies: TurnDependencies = {
    atomically: createAtomically(database),
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
          audit.record({
            actor: 'system',
            action: 'retrieval.quarantined',
            details: { items: items.map((item) => ({ ...item })) },
          }),
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
    handoff: handoffStage({ policies: () => policies, redactForLog: privacyForTurns.redactForLog }),
    handoffSink: config.handoffWebhook
      ? new WebhookHandoffSink({ url: config.handoffWebhook.url, secret: config.handoffWebhook.secret })
      : queueOnlySink,
    conversations,
    handoffQueue,
    audit,
    logger,
    now,
  };

  const compliance = createComplianceService({
    database,
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
  const verifier = createTokenVerifier(config.auth, now);
  const app = createApp({
    verifier,
    limits: config.limits,
    conversations,
    handoffQueue,
    audit,
    // Several workers share one budget per subject; one process keeps its buckets in memory.
    ...(config.server.workers > 1 && {
      rateLimitStore: new SqliteRateLimitStore(database, { scope: 'api' }),
    }),
    turns: createTurnRunner(dependencies, {
      ...(config.server.workers > 1 && { leases: new SqliteConversationLeases(database) }),
    }),
    privacy: privacyForTurns,
    readiness: [
      { name: 'database', check: async () => void database.prepare('SELECT 1').get() },
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
        registerConsole(api, {
          verifier,
          readPublishedDocument: (id) => readPublishedDocument(documentsDir, id, today()),
          requestsPerMinute: config.limits.requestsPerMinute * 4,
          ...(config.server.workers > 1 && {
            rateLimitStore: new SqliteRateLimitStore(database, { scope: 'console' }),
          }),
          ...(config.environment === 'development' &&
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
      index: config.qdrant ? `qdrant ${config.qdrant.url}/${config.qdrant.collection}` : 'embedded',
      embedder: embedder?.id ?? 'none (sparse only)',
      generator: chatModel ? `llm ${chatModel.name}` : 'grounded composer',
      bank: config.coreBanking ? `http ${config.coreBanking.url}` : 'embedded demo bank',
      policies: policies.sources.join(', '),
      documents: String(knowledge.corpus().documents.length),
    }),
    async close() {
      database.close();
    },
  };
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

async function readPublishedDocument(documentsDir: string, id: string, day: string) {
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)) return undefined;
  try {
    const { readFile } = await import('node:fs/promises');
    const path = join(documentsDir, `${id}.md`);
    const document = parseKnowledgeDocument(await readFile(path, 'utf8'), path);
    if (!isInForce(document.frontMatter, day)) return undefined;
    return {
      id,
      title: document.frontMatter.title,
      version: document.frontMatter.version,
      body: document.body,
    };
  } catch {
    return undefined;
  }
}
