import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';

/** The HS256 secret used when nothing is configured. Accepted only outside production. */
export const DEVELOPMENT_JWT_SECRET = 'teller-development-secret-not-for-production-use';

const booleanFromString = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const optionalUrl = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .pipe(z.url().optional())
  .optional();

const optionalSecret = z
  .string()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/**
 * Every environment variable Teller reads, in one place. Defaults give a fully offline service:
 * embedded index, embedded SQLite database, grounded composer, demo bank and a development token
 * secret. Setting `QDRANT_URL`, `OPENAI_API_KEY` / `OPENAI_BASE_URL` switches to the real services.
 */
export const environmentSchema = z.object({
  TELLER_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  /** Worker processes serving the port: an integer from 1, or `auto` for one per CPU. */
  TELLER_WORKERS: z.string().trim().toLowerCase().default('1'),
  /** Set by the cluster primary for each worker it forks (its slot, 1..N); not an operator setting. */
  TELLER_WORKER_SLOT: z.coerce.number().int().min(1).optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  DATA_DIR: z.string().default('data'),
  DATABASE_PATH: z.string().optional(),
  KNOWLEDGE_DIR: z.string().default('knowledge'),
  /** `postgres://…`: every store on this shared PostgreSQL instead of the embedded SQLite file. */
  DATABASE_URL: optionalUrl,
  DATABASE_POOL_MAX: z.coerce.number().int().positive().default(10),
  DATABASE_POOL_WAIT_MS: z.coerce.number().int().positive().default(2000),
  /** `auto` applies pending migrations at start-up (under an advisory lock); `manual` leaves them to `npm run migrate`. */
  DATABASE_MIGRATIONS: z.enum(['auto', 'manual']).default('auto'),

  AUTH_JWT_SECRET: optionalSecret,
  AUTH_JWKS_URL: optionalUrl,
  AUTH_ISSUER: z.string().optional(),
  AUTH_AUDIENCE: z.string().optional(),
  AUTH_MAX_TOKEN_LIFETIME_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(24 * 60 * 60),
  AUTH_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(600).default(60),
  AUTH_STEP_UP_MAX_AGE_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(15 * 60),

  /** Slow-client limits of the HTTP server (a body trickled byte by byte holds a socket). */
  SERVER_REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  SERVER_HEADERS_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  SERVER_MAX_CONNECTIONS: z.coerce.number().int().positive().default(1024),

  /**
   * Handoffs one customer may open per window; more are answered without a new queue entry
   * (urgent ones always open). Enough for a real customer, too few for a flood.
   */
  HANDOFF_LIMIT_PER_CUSTOMER: z.coerce.number().int().positive().default(5),
  HANDOFF_LIMIT_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 60),

  /** HMAC key (64 hex characters) that signs the audit log's head; required in production. */
  AUDIT_KEY: optionalSecret,

  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(30),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(16 * 1024),
  MESSAGE_MAX_CHARACTERS: z.coerce.number().int().positive().default(4000),

  OPENAI_API_KEY: optionalSecret,
  OPENAI_BASE_URL: optionalUrl,
  OPENAI_MODEL: z.string().default('gpt-4o-mini'),
  OPENAI_EMBEDDINGS_MODEL: z.string().default('text-embedding-3-small'),
  OPENAI_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
  MODEL_TURN_BUDGET_MS: z.coerce.number().int().positive().default(20_000),
  MODEL_MAX_TOKENS: z.coerce.number().int().positive().default(800),
  MODEL_MAX_ANSWER_CHARACTERS: z.coerce.number().int().positive().default(3000),

  QDRANT_URL: optionalUrl,
  QDRANT_API_KEY: optionalSecret,
  QDRANT_COLLECTION: z.string().default('teller_knowledge'),

  CORE_BANKING_URL: optionalUrl,
  CORE_BANKING_TOKEN: optionalSecret,
  CORE_BANKING_TIMEOUT_MS: z.coerce.number().int().positive().default(3000),

  HANDOFF_WEBHOOK_URL: optionalUrl,
  HANDOFF_WEBHOOK_SECRET: optionalSecret,

  VAULT_KEY: optionalSecret,
  /** Days a conversation's sealed vault values are kept after their last use. */
  VAULT_RETENTION_DAYS: z.coerce.number().positive().max(3650).default(30),
  /** How often the service purges vault values past retention. */
  VAULT_PURGE_INTERVAL_MINUTES: z.coerce
    .number()
    .positive()
    .max(7 * 24 * 60)
    .default(60),
  DEMO_BANK: booleanFromString.optional(),

  /** The database password, kept out of DATABASE_URL (e.g. from a Docker secret via DATABASE_PASSWORD_FILE). */
  DATABASE_PASSWORD: optionalSecret,
  /** Bearer token that GET /metrics requires; without it /metrics is served only in development on loopback. */
  METRICS_TOKEN: optionalSecret,
  /** OTLP/HTTP collector base URL; traces are exported to `<endpoint>/v1/traces` only when set. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  OTEL_SERVICE_NAME: z.string().trim().min(1).default('teller'),
});

/**
 * Secrets that may instead be read from a file named by `<NAME>_FILE` (Docker and Kubernetes
 * secrets are files), so they need not sit in the process environment.
 */
export const SECRET_FILE_VARIABLES = [
  'AUTH_JWT_SECRET',
  'AUDIT_KEY',
  'VAULT_KEY',
  'DATABASE_URL',
  'DATABASE_PASSWORD',
  'METRICS_TOKEN',
  'OPENAI_API_KEY',
  'QDRANT_API_KEY',
  'CORE_BANKING_TOKEN',
  'HANDOFF_WEBHOOK_SECRET',
] as const;

/**
 * The environment with each `<NAME>_FILE` of `SECRET_FILE_VARIABLES` replaced by `<NAME>` set to
 * the file's content (a trailing newline dropped). Setting both is refused: which one wins would
 * be a guess.
 */
export function withSecretFiles(
  environment: Record<string, string | undefined>,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): Record<string, string | undefined> {
  const resolved = { ...environment };
  const problems: string[] = [];
  for (const name of SECRET_FILE_VARIABLES) {
    const path = environment[`${name}_FILE`]?.trim();
    if (!path) continue;
    if (environment[name]) {
      problems.push(`${name} and ${name}_FILE are both set; keep one.`);
      continue;
    }
    try {
      resolved[name] = readFile(path).replace(/\r?\n$/, '');
    } catch (error) {
      problems.push(
        `${name}_FILE names ${path}, which cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
      );
    }
    delete resolved[`${name}_FILE`];
  }
  if (problems.length > 0) {
    throw new ConfigError(
      `Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
  }
  return resolved;
}

export type Environment = z.infer<typeof environmentSchema>;

/** The validated, derived configuration the composition root wires from. */
export interface Config {
  readonly environment: Environment['TELLER_ENV'];
  readonly server: {
    readonly host: string;
    readonly port: number;
    /** Worker processes sharing the port; 1 serves from the main process, as without cluster mode. */
    readonly workers: number;
    /** This worker's slot (1..workers) when the cluster primary forked it; kept by its replacements. */
    readonly workerSlot?: number;
  };
  readonly logLevel: Environment['LOG_LEVEL'];
  readonly paths: { readonly dataDir: string; readonly databasePath: string; readonly knowledgeDir: string };
  readonly auth:
    | {
        readonly kind: 'secret';
        readonly secret: string;
        readonly issuer?: string;
        readonly audience?: string;
      }
    | {
        readonly kind: 'jwks';
        readonly jwksUrl: string;
        readonly issuer?: string;
        readonly audience?: string;
      };
  /** Token time limits (lifetime, clock skew, step-up age), in seconds. */
  readonly tokenLimits: {
    readonly maxLifetimeSeconds: number;
    readonly clockSkewSeconds: number;
    readonly stepUpMaxAgeSeconds: number;
  };
  /**
   * True only with the built-in development secret on a loopback listener in development:
   * then `POST /console/dev-token` exists. Anyone who reaches it can mint any role.
   */
  readonly developmentTokens: boolean;
  readonly limits: {
    readonly requestsPerMinute: number;
    readonly bodyBytes: number;
    readonly messageCharacters: number;
  };
  /** Slow-client limits of the Node HTTP server. */
  readonly serverLimits: {
    readonly requestTimeoutMs: number;
    readonly headersTimeoutMs: number;
    readonly maxConnections: number;
  };
  /** At most `count` handoffs per customer within `windowSeconds`. */
  readonly handoffLimit: { readonly count: number; readonly windowSeconds: number };
  /** The audit head's HMAC key (hex); absent outside production, where a key file in DATA_DIR is used. */
  readonly auditKey?: string;
  readonly openai?: {
    readonly apiKey: string;
    readonly baseUrl?: string;
    readonly model: string;
    readonly embeddingsModel: string;
    readonly timeoutMs: number;
  };
  /** Bounds on the model path, whichever chat model is used. */
  readonly model: {
    /** Total time the model may take in one turn, retries and tool rounds included. */
    readonly turnBudgetMs: number;
    readonly maxTokens: number;
    readonly maxAnswerCharacters: number;
  };
  readonly qdrant?: { readonly url: string; readonly apiKey?: string; readonly collection: string };
  readonly coreBanking?: { readonly url: string; readonly token: string; readonly timeoutMs: number };
  readonly handoffWebhook?: { readonly url: string; readonly secret: string };
  readonly vaultKey?: string;
  /** Redaction vault retention (`VAULT_RETENTION_DAYS`) and purge interval. */
  readonly vaultRetention: { readonly days: number; readonly purgeIntervalMs: number };
  readonly demoBank: boolean;
  /** Set with DATABASE_URL: state lives in PostgreSQL, shared by every instance. */
  readonly postgres?: {
    readonly url: string;
    readonly maxConnections: number;
    readonly connectionTimeoutMs: number;
    readonly migrateAtStart: boolean;
  };
  /**
   * GET /metrics: served when a bearer token is configured (and then only with it), or without one
   * in development on a loopback listener; otherwise not served at all.
   */
  readonly metrics: { readonly served: boolean; readonly token?: string };
  /** Set with OTEL_EXPORTER_OTLP_ENDPOINT: turn traces are exported there over OTLP/HTTP. */
  readonly tracing?: { readonly endpoint: string; readonly serviceName: string };
}

/**
 * True when `host` only accepts connections from this machine: `localhost`, `127.0.0.0/8` or
 * `::1`. `0.0.0.0`, `::` and every other address are reachable from elsewhere.
 */
export function isLoopbackHost(host: string): boolean {
  const trimmed = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return (
    trimmed === 'localhost' ||
    trimmed === '::1' ||
    /^127\.(?:\d{1,3}\.){2}\d{1,3}$/.test(trimmed) ||
    /^::ffff:127\.(?:\d{1,3}\.){2}\d{1,3}$/.test(trimmed)
  );
}

/** More workers than this is a typo, not a plan: each one loads the whole knowledge index. */
const MAX_WORKERS = 64;

/** `auto` is one worker per CPU; otherwise a whole number within bounds, or undefined. */
function parseWorkers(text: string): number | undefined {
  if (text === 'auto') return availableParallelism();
  if (!/^\d+$/.test(text)) return undefined;
  const workers = Number(text);
  return workers >= 1 && workers <= MAX_WORKERS ? workers : undefined;
}

/** A configuration problem, with a message that says how to fix it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses the environment once. Throws a `ConfigError` listing every problem and its fix, so a
 * wrong value stops start-up instead of surfacing later as a confusing runtime failure.
 */
export function loadConfig(environment: Record<string, string | undefined>): Config {
  const parsed = environmentSchema.safeParse(withSecretFiles(environment));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  - ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(
      `Invalid configuration:\n${problems.join('\n')}\nFix the variables above and start again.`,
    );
  }
  const values = parsed.data;
  const problems: string[] = [];
  const production = values.TELLER_ENV === 'production';

  if (production && !values.AUTH_JWKS_URL && !values.AUTH_JWT_SECRET) {
    problems.push('AUTH_JWKS_URL (or AUTH_JWT_SECRET) is required when TELLER_ENV=production.');
  }
  if (values.AUTH_JWT_SECRET === DEVELOPMENT_JWT_SECRET && production) {
    problems.push(
      'AUTH_JWT_SECRET must not be the development secret in production; set a random 32+ byte secret.',
    );
  }
  if (values.AUTH_JWT_SECRET && values.AUTH_JWT_SECRET.length < 32) {
    problems.push(
      'AUTH_JWT_SECRET must be at least 32 characters; generate one with `openssl rand -hex 32`.',
    );
  }
  if (values.OPENAI_BASE_URL && !values.OPENAI_API_KEY) {
    // OpenAI-compatible local servers often accept any key; say so rather than guessing.
    problems.push(
      'OPENAI_BASE_URL is set without OPENAI_API_KEY; set OPENAI_API_KEY (any non-empty value for servers without auth).',
    );
  }
  if (values.CORE_BANKING_URL && !values.CORE_BANKING_TOKEN) {
    problems.push('CORE_BANKING_URL needs CORE_BANKING_TOKEN (the service credential for the bank API).');
  }
  if (values.HANDOFF_WEBHOOK_URL && !values.HANDOFF_WEBHOOK_SECRET) {
    problems.push('HANDOFF_WEBHOOK_URL needs HANDOFF_WEBHOOK_SECRET to sign payloads.');
  }
  if (production && !values.VAULT_KEY) {
    problems.push('VAULT_KEY (64 hex characters) is required in production to encrypt the redaction vault.');
  }
  if (production && !values.AUDIT_KEY) {
    problems.push('AUDIT_KEY (64 hex characters) is required in production to sign the audit log.');
  }
  if (values.AUDIT_KEY && !/^[0-9a-fA-F]{64}$/.test(values.AUDIT_KEY)) {
    problems.push(
      'AUDIT_KEY must be 64 hex characters (32 bytes); generate one with `openssl rand -hex 32`.',
    );
  }
  if (values.SERVER_HEADERS_TIMEOUT_MS > values.SERVER_REQUEST_TIMEOUT_MS) {
    problems.push('SERVER_HEADERS_TIMEOUT_MS must not exceed SERVER_REQUEST_TIMEOUT_MS.');
  }
  if (values.VAULT_KEY && !/^[0-9a-fA-F]{64}$/.test(values.VAULT_KEY)) {
    problems.push(
      'VAULT_KEY must be 64 hex characters (32 bytes); generate one with `openssl rand -hex 32`.',
    );
  }
  const workers = parseWorkers(values.TELLER_WORKERS);
  if (workers === undefined) {
    problems.push(
      `TELLER_WORKERS must be a whole number from 1 to ${MAX_WORKERS} or \`auto\` (one per CPU); got "${values.TELLER_WORKERS}".`,
    );
  } else if (workers > 1 && (values.DATABASE_PATH ?? '').trim() === ':memory:') {
    problems.push(
      'TELLER_WORKERS above 1 needs a database file the workers share; unset DATABASE_PATH or point it at a file.',
    );
  }
  if (values.DATABASE_URL && !/^postgres(ql)?:\/\//.test(values.DATABASE_URL)) {
    problems.push(
      'DATABASE_URL must be a PostgreSQL URL (postgres://user:password@host:5432/database), or unset for SQLite.',
    );
  }
  if (values.METRICS_TOKEN && values.METRICS_TOKEN.length < 32) {
    problems.push('METRICS_TOKEN must be at least 32 characters; generate one with `openssl rand -hex 32`.');
  }
  if (values.DATABASE_PASSWORD && !values.DATABASE_URL) {
    problems.push('DATABASE_PASSWORD is set without DATABASE_URL; set DATABASE_URL (without the password).');
  }
  if (problems.length > 0) {
    throw new ConfigError(
      `Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
  }

  const dataDir = resolve(values.DATA_DIR);
  const tokenChecks = { issuer: values.AUTH_ISSUER, audience: values.AUTH_AUDIENCE };
  return {
    environment: values.TELLER_ENV,
    server: {
      host: values.HOST,
      port: values.PORT,
      workers: workers ?? 1,
      ...(values.TELLER_WORKER_SLOT !== undefined && { workerSlot: values.TELLER_WORKER_SLOT }),
    },
    logLevel: values.LOG_LEVEL,
    paths: {
      dataDir,
      databasePath: values.DATABASE_PATH ?? resolve(dataDir, 'teller.db'),
      knowledgeDir: resolve(values.KNOWLEDGE_DIR),
    },
    auth: values.AUTH_JWKS_URL
      ? { kind: 'jwks', jwksUrl: values.AUTH_JWKS_URL, ...tokenChecks }
      : { kind: 'secret', secret: values.AUTH_JWT_SECRET ?? DEVELOPMENT_JWT_SECRET, ...tokenChecks },
    tokenLimits: {
      maxLifetimeSeconds: values.AUTH_MAX_TOKEN_LIFETIME_SECONDS,
      clockSkewSeconds: values.AUTH_CLOCK_SKEW_SECONDS,
      stepUpMaxAgeSeconds: values.AUTH_STEP_UP_MAX_AGE_SECONDS,
    },
    developmentTokens:
      values.TELLER_ENV === 'development' &&
      !values.AUTH_JWKS_URL &&
      (values.AUTH_JWT_SECRET === undefined || values.AUTH_JWT_SECRET === DEVELOPMENT_JWT_SECRET) &&
      isLoopbackHost(values.HOST),
    serverLimits: {
      requestTimeoutMs: values.SERVER_REQUEST_TIMEOUT_MS,
      headersTimeoutMs: values.SERVER_HEADERS_TIMEOUT_MS,
      maxConnections: values.SERVER_MAX_CONNECTIONS,
    },
    handoffLimit: {
      count: values.HANDOFF_LIMIT_PER_CUSTOMER,
      windowSeconds: values.HANDOFF_LIMIT_WINDOW_SECONDS,
    },
    ...(values.AUDIT_KEY && { auditKey: values.AUDIT_KEY }),
    limits: {
      requestsPerMinute: values.RATE_LIMIT_PER_MINUTE,
      bodyBytes: values.BODY_LIMIT_BYTES,
      messageCharacters: values.MESSAGE_MAX_CHARACTERS,
    },
    ...(values.OPENAI_API_KEY && {
      openai: {
        apiKey: values.OPENAI_API_KEY,
        ...(values.OPENAI_BASE_URL && { baseUrl: values.OPENAI_BASE_URL }),
        model: values.OPENAI_MODEL,
        embeddingsModel: values.OPENAI_EMBEDDINGS_MODEL,
        timeoutMs: values.OPENAI_TIMEOUT_MS,
      },
    }),
    model: {
      turnBudgetMs: values.MODEL_TURN_BUDGET_MS,
      maxTokens: values.MODEL_MAX_TOKENS,
      maxAnswerCharacters: values.MODEL_MAX_ANSWER_CHARACTERS,
    },
    ...(values.QDRANT_URL && {
      qdrant: {
        url: values.QDRANT_URL,
        ...(values.QDRANT_API_KEY && { apiKey: values.QDRANT_API_KEY }),
        collection: values.QDRANT_COLLECTION,
      },
    }),
    ...(values.CORE_BANKING_URL &&
      values.CORE_BANKING_TOKEN && {
        coreBanking: {
          url: values.CORE_BANKING_URL,
          token: values.CORE_BANKING_TOKEN,
          timeoutMs: values.CORE_BANKING_TIMEOUT_MS,
        },
      }),
    ...(values.HANDOFF_WEBHOOK_URL &&
      values.HANDOFF_WEBHOOK_SECRET && {
        handoffWebhook: { url: values.HANDOFF_WEBHOOK_URL, secret: values.HANDOFF_WEBHOOK_SECRET },
      }),
    ...(values.VAULT_KEY && { vaultKey: values.VAULT_KEY }),
    vaultRetention: {
      days: values.VAULT_RETENTION_DAYS,
      purgeIntervalMs: values.VAULT_PURGE_INTERVAL_MINUTES * 60 * 1000,
    },
    demoBank: values.DEMO_BANK ?? (!production && !values.CORE_BANKING_URL),
    ...(values.DATABASE_URL && {
      postgres: {
        url: withPassword(values.DATABASE_URL, values.DATABASE_PASSWORD),
        maxConnections: values.DATABASE_POOL_MAX,
        connectionTimeoutMs: values.DATABASE_POOL_WAIT_MS,
        migrateAtStart: values.DATABASE_MIGRATIONS === 'auto',
      },
    }),
    metrics: {
      served:
        values.METRICS_TOKEN !== undefined ||
        (values.TELLER_ENV === 'development' && isLoopbackHost(values.HOST)),
      ...(values.METRICS_TOKEN && { token: values.METRICS_TOKEN }),
    },
    ...(values.OTEL_EXPORTER_OTLP_ENDPOINT && {
      tracing: { endpoint: values.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: values.OTEL_SERVICE_NAME },
    }),
  };
}

/** `url` with `password` set in it (percent-encoded), when one is given apart from the URL. */
function withPassword(url: string, password: string | undefined): string {
  if (password === undefined) return url;
  const address = new URL(url);
  address.password = encodeURIComponent(password);
  return address.toString();
}
