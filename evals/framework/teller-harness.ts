/**
 * The whole Teller service for end-to-end suites, behind one small interface: either built
 * in-process by the composition root (`buildTeller` on embedded defaults, in a temporary directory
 * with a copy of `knowledge/`) or reached over HTTP when `--target URL` is given. Suites open one
 * harness per run and reuse it; every request goes through the real routes, auth and pipeline.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEVELOPMENT_JWT_SECRET } from '../../src/config/config.js';
import type { ChatModel } from '../../src/generation/chat-model.js';
import { isInForce } from '../../src/knowledge/front-matter.js';
import { parseKnowledgeDocument } from '../../src/knowledge/parse-document.js';
import { createPrivacyGuard, type PrivacyGuard } from '../../src/privacy/guard.js';
import { signDevelopmentToken } from '../../src/server/auth/token-verifier.js';
import { createTempTellerHome } from '../../src/testing/temp-teller.js';
import type { Role } from '../../src/turn/types.js';
import { projectRoot } from './datasets.js';
import { createHttpTarget, type TurnResponse, turnResponseSchema } from './http-target.js';
import { fingerprintKnowledge } from './provenance.js';
import type { SuiteContext } from './types.js';

/** The clock in-process runs are pinned to, so "in force" and the demo bank never drift. */
export const HARNESS_NOW = '2026-11-25T10:00:00Z';

/** Fictional customers of the demo bank (src/tools/core-banking/seed.ts). */
export const DEMO_CUSTOMERS = ['c_123', 'c_456', 'c_789', 'c_999'] as const;

export interface TokenClaims {
  readonly roles?: readonly Role[];
  readonly stepUp?: boolean;
  /** A `jose` duration such as `1h`, or a negative one such as `-5m` for an expired token. */
  readonly expiresIn?: string;
  /** Sign with another secret (a forged token); the service's own secret otherwise. */
  readonly secret?: string;
}

/** The status and parsed body of one raw request. */
export interface RawResponse {
  readonly status: number;
  readonly body: unknown;
}

/** A customer's side of the chat: start conversations and send messages as that customer. */
export interface CustomerSession {
  readonly subject: string;
  startConversation(): Promise<string>;
  send(conversationId: string, text: string): Promise<TurnResponse>;
}

/** One knowledge document as the harness's Teller sees it. */
export interface HarnessDocument {
  readonly id: string;
  readonly version: string;
  readonly status: string;
  readonly inForce: boolean;
  readonly body: string;
}

export interface TellerHarness {
  readonly mode: 'in-process' | 'http';
  /** "Today" for the service under test (YYYY-MM-DD). */
  readonly day: string;
  /** True when tokens for any subject can be minted (in-process, or `--jwt-secret` given). */
  readonly canMintTokens: boolean;
  /** True when documents were added to the service's knowledge (in-process only). */
  readonly canEditKnowledge: boolean;
  /** Every document of the knowledge the service was built from, by id. */
  readonly documents: ReadonlyMap<string, HarnessDocument>;
  /** Signs a bearer token for `subject`; throws when the harness cannot mint tokens. */
  token(subject: string, claims?: TokenClaims): Promise<string>;
  /** Sends one request with an optional bearer token and JSON body; never throws on a status. */
  request(method: string, path: string, options?: { token?: string; body?: unknown }): Promise<RawResponse>;
  customer(subject: string, options?: { stepUp?: boolean }): CustomerSession;
  /** The state of a customer's cards by last four digits (in-process only; undefined over HTTP). */
  cardStates(subject: string): Record<string, string> | undefined;
  /**
   * Puts a customer's card states back (in-process only; a no-op over HTTP), so one case that
   * froze a card does not change what the next case sees.
   */
  restoreCardStates(subject: string, states: Record<string, string> | undefined): void;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Extra Markdown documents (file name → text) added to the knowledge copy before the build. */
  readonly extraDocuments?: Readonly<Record<string, string>>;
  readonly now?: string;
  /** In-process only: a chat model for the LLM path (the grounded composer otherwise). */
  readonly chatModel?: ChatModel;
  /** In-process only: extra environment for the service's configuration. */
  readonly environment?: Readonly<Record<string, string>>;
}

/** Reads and front-matter-parses every document of a knowledge directory. */
export function readKnowledgeDocuments(knowledgeDir: string, day: string): Map<string, HarnessDocument> {
  const documentsDir = join(knowledgeDir, 'documents');
  const documents = new Map<string, HarnessDocument>();
  for (const name of readdirSync(documentsDir)
    .filter((file) => file.endsWith('.md'))
    .sort()) {
    const path = join(documentsDir, name);
    const parsed = parseKnowledgeDocument(readFileSync(path, 'utf8'), path);
    documents.set(parsed.frontMatter.id, {
      id: parsed.frontMatter.id,
      version: parsed.frontMatter.version,
      status: parsed.frontMatter.status,
      inForce: isInForce(parsed.frontMatter, day),
      body: parsed.body,
    });
  }
  return documents;
}

/**
 * Opens the service a suite runs against: over HTTP when `context.target` is set, otherwise
 * built in-process (which takes a few seconds: build once per suite run and share it).
 */
export async function openTellerHarness(
  context: Pick<SuiteContext, 'target' | 'targetAuth'>,
  options: HarnessOptions = {},
): Promise<TellerHarness> {
  return context.target
    ? openHttpHarness(context.target, context.targetAuth ?? {})
    : openInProcessHarness(options);
}

async function openInProcessHarness(options: HarnessOptions): Promise<TellerHarness> {
  const now = options.now ?? HARNESS_NOW;
  const day = now.slice(0, 10);
  // Suites send hundreds of turns per customer in seconds on a pinned clock; the request limiter
  // and the handoff limit are not under test here (the security suite's flood case sets its own).
  const home = createTempTellerHome('teller-eval-', {
    RATE_LIMIT_PER_MINUTE: '1000000',
    HANDOFF_LIMIT_PER_CUSTOMER: '1000000',
    ...options.environment,
  });
  const { knowledgeDir } = home;
  for (const [name, text] of Object.entries(options.extraDocuments ?? {}))
    writeFileSync(join(knowledgeDir, 'documents', name), text);
  // Imported lazily: building the service pulls in the whole pipeline, which the HTTP mode never needs.
  const { buildTeller } = await import('../../src/composition/build-teller.js');
  const teller = await buildTeller(home.config, {
    now: () => new Date(now),
    ...(options.chatModel && { chatModel: options.chatModel }),
  });

  async function request(
    method: string,
    path: string,
    { token, body }: { token?: string; body?: unknown } = {},
  ): Promise<RawResponse> {
    const response = await teller.app.request(path, {
      method,
      headers: {
        ...(token !== undefined && { authorization: `Bearer ${token}` }),
        'content-type': 'application/json',
        accept: 'application/json',
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: parseJson(text) };
  }
  const token = (subject: string, claims: TokenClaims = {}) =>
    signDevelopmentToken(claims.secret ?? DEVELOPMENT_JWT_SECRET, {
      subject,
      roles: claims.roles ?? ['customer'],
      ...(claims.stepUp && { stepUp: true }),
      expiresIn: claims.expiresIn ?? '8h',
    });

  return {
    mode: 'in-process',
    day,
    canMintTokens: true,
    canEditKnowledge: true,
    documents: readKnowledgeDocuments(knowledgeDir, day),
    token,
    request,
    customer(subject, { stepUp = false } = {}) {
      const bearer = token(subject, { stepUp });
      return {
        subject,
        async startConversation() {
          const created = await request('POST', '/v1/conversations', { token: await bearer });
          return expectOk(created, 'POST /v1/conversations').id as string;
        },
        async send(conversationId, text) {
          const sent = await request('POST', `/v1/conversations/${conversationId}/messages`, {
            token: await bearer,
            body: { text },
          });
          return turnResponseSchema.parse(expectOk(sent, 'POST /v1/conversations/{id}/messages'));
        },
      };
    },
    cardStates(subject) {
      const rows = teller.database
        .prepare('SELECT last4, state FROM bank_cards WHERE customer_id = ? ORDER BY last4')
        .all(subject) as Array<{ last4: string; state: string }>;
      return Object.fromEntries(rows.map((row) => [row.last4, row.state]));
    },
    restoreCardStates(subject, states) {
      const update = teller.database.prepare(
        'UPDATE bank_cards SET state = ? WHERE customer_id = ? AND last4 = ?',
      );
      for (const [last4, state] of Object.entries(states ?? {})) update.run(state, subject, last4);
    },
    async close() {
      await teller.close();
      home.remove();
    },
  };
}

function openHttpHarness(target: string, auth: NonNullable<SuiteContext['targetAuth']>): TellerHarness {
  const root = target.replace(/\/+$/, '');
  const day = new Date().toISOString().slice(0, 10);
  const token = async (subject: string, claims: TokenClaims = {}) => {
    const secret = claims.secret ?? auth.jwtSecret;
    if (!secret) {
      throw new Error(
        `Minting a token for ${subject} needs the target's signing secret: pass --jwt-secret to npm run eval.`,
      );
    }
    return signDevelopmentToken(secret, {
      subject,
      roles: claims.roles ?? ['customer'],
      ...(claims.stepUp && { stepUp: true }),
      expiresIn: claims.expiresIn ?? '1h',
    });
  };
  return {
    mode: 'http',
    day,
    canMintTokens: auth.jwtSecret !== undefined,
    canEditKnowledge: false,
    // The deployed service's documents cannot be listed without a compliance token; the project's
    // own copy stands in for groundedness checks, which is right when the target runs this commit.
    documents: readKnowledgeDocuments(resolve(projectRoot, 'knowledge'), day),
    token,
    async request(method, path, { token: bearer, body } = {}) {
      const response = await fetch(`${root}${path}`, {
        method,
        headers: {
          ...(bearer !== undefined && { authorization: `Bearer ${bearer}` }),
          'content-type': 'application/json',
          accept: 'application/json',
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: parseJson(await response.text()) };
    },
    customer(subject, { stepUp = false } = {}) {
      // With only `--token`, every session speaks as that token's subject.
      const client = auth.jwtSecret
        ? createHttpTarget({ baseUrl: root, subject, jwtSecret: auth.jwtSecret })
        : createHttpTarget({ baseUrl: root, ...(auth.token && { token: auth.token }) });
      if (stepUp && auth.jwtSecret) {
        const stepped = token(subject, { stepUp: true });
        return {
          subject,
          startConversation: async () =>
            createHttpTarget({ baseUrl: root, token: await stepped }).createConversation(),
          send: async (conversationId, text) =>
            createHttpTarget({ baseUrl: root, token: await stepped }).sendMessage(conversationId, text),
        };
      }
      return {
        subject,
        startConversation: () => client.createConversation(),
        send: (conversationId, text) => client.sendMessage(conversationId, text),
      };
    },
    cardStates: () => undefined,
    restoreCardStates: () => {},
    close: async () => {},
  };
}

let reportGuard: PrivacyGuard | undefined;

/**
 * Irreversible redaction for what a suite writes into its report (inputs, expected and actual
 * texts): eval data holds card numbers and e-mail addresses on purpose, reports must not.
 */
export function redactForReport(text: string): string {
  reportGuard ??= createPrivacyGuard();
  return reportGuard.redactForLog(text);
}

/** Where a suite reads policy versions for provenance: the knowledge the harness was built from. */
export function policyVersions(): string {
  return fingerprintKnowledge(resolve(projectRoot, 'knowledge')).policies.versions.join(', ');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function expectOk(response: RawResponse, what: string): Record<string, unknown> {
  if (response.status < 200 || response.status >= 300 || typeof response.body !== 'object') {
    throw new Error(`${what} returned ${response.status}: ${JSON.stringify(response.body).slice(0, 300)}`);
  }
  return response.body as Record<string, unknown>;
}
