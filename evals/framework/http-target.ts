/**
 * A small client for running suites against a deployed Teller (`npm run eval -- --target URL`):
 * create a conversation, send a message, read the turn. The bearer token is given (`--token`) or
 * minted with the shared development secret (`--jwt-secret`) for the subject under test.
 */
import { z } from 'zod';
import { signDevelopmentToken } from '../../src/server/auth/token-verifier.js';
import type { Role } from '../../src/turn/types.js';
import type { SuiteContext } from './types.js';

/** The fields of a turn response suites look at; everything else the server sends is kept as is. */
export const turnResponseSchema = z
  .object({
    conversationId: z.string(),
    messageId: z.string(),
    text: z.string(),
    outcome: z.enum(['answer', 'refusal', 'handoff', 'agent_pending', 'confirmation_required']),
    citations: z.array(z.object({ documentId: z.string() }).passthrough()).default([]),
    tools: z.array(z.object({ tool: z.string(), status: z.string() })).default([]),
    rules: z.array(z.string()).default([]),
    timings: z.record(z.string(), z.number()).default({}),
  })
  .passthrough();
export type TurnResponse = z.infer<typeof turnResponseSchema>;

const conversationSchema = z.object({ id: z.string() }).passthrough();

export interface HttpTargetOptions {
  /** Base URL of the running service, e.g. `http://127.0.0.1:3000`. */
  readonly baseUrl: string;
  /** A bearer token to send as is. */
  readonly token?: string;
  /** A shared HS256 secret to mint tokens with, when no token is given. */
  readonly jwtSecret?: string;
  /** The customer a minted token speaks for. */
  readonly subject?: string;
  readonly roles?: readonly Role[];
  /** Injected for tests; the global fetch otherwise. */
  readonly fetch?: typeof fetch;
}

/** An HTTP error from the target, with the status and the server's error body. */
export class HttpTargetError extends Error {
  override readonly name = 'HttpTargetError';
  constructor(
    message: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(message);
  }
}

/** A conversation-level client of a running Teller. */
export interface HttpTarget {
  readonly baseUrl: string;
  createConversation(): Promise<string>;
  sendMessage(conversationId: string, text: string): Promise<TurnResponse>;
  /** Starts a conversation and sends one message: the usual single-turn eval case. */
  ask(text: string): Promise<TurnResponse>;
}

/** Creates the client. Throws at once when neither a token nor a secret is available. */
export function createHttpTarget(options: HttpTargetOptions): HttpTarget {
  const { baseUrl, subject = 'c_eval', roles = ['customer'] } = options;
  const fetchImplementation = options.fetch ?? fetch;
  if (!options.token && !options.jwtSecret) {
    throw new Error(
      'An HTTP target needs credentials: pass `--token <bearer token>` or `--jwt-secret <secret>` to `npm run eval`.',
    );
  }
  let token: Promise<string> | undefined;
  const bearer = (): Promise<string> => {
    token ??= options.token
      ? Promise.resolve(options.token)
      : signDevelopmentToken(options.jwtSecret as string, { subject, roles, expiresIn: '1h' });
    return token;
  };
  const root = baseUrl.replace(/\/+$/, '');

  async function post(path: string, body: unknown): Promise<unknown> {
    const response = await fetchImplementation(`${root}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await bearer()}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok)
      throw new HttpTargetError(`POST ${path} returned ${response.status}`, response.status, text);
    try {
      return JSON.parse(text);
    } catch {
      throw new HttpTargetError(
        `POST ${path} returned a body that is not JSON`,
        response.status,
        text.slice(0, 500),
      );
    }
  }

  async function createConversation(): Promise<string> {
    return conversationSchema.parse(await post('/v1/conversations', {})).id;
  }
  async function sendMessage(conversationId: string, text: string): Promise<TurnResponse> {
    return turnResponseSchema.parse(
      await post(`/v1/conversations/${encodeURIComponent(conversationId)}/messages`, { text }),
    );
  }
  return {
    baseUrl: root,
    createConversation,
    sendMessage,
    async ask(text) {
      return sendMessage(await createConversation(), text);
    },
  };
}

/**
 * The HTTP target a suite should use, or undefined when the run is in-process (no `--target`).
 * Suites that support HTTP call this first and fall back to their in-process path.
 */
export function httpTargetFromContext(
  context: Pick<SuiteContext, 'target' | 'targetAuth'>,
  overrides: Omit<HttpTargetOptions, 'baseUrl'> = {},
): HttpTarget | undefined {
  if (!context.target) return undefined;
  return createHttpTarget({ ...context.targetAuth, ...overrides, baseUrl: context.target });
}
