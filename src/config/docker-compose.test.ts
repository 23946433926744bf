import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { environmentSchema, loadConfig, SECRET_FILE_VARIABLES } from './config.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The parts of docker-compose.yml this test reads; anything else may be there too. */
const composeSchema = z.object({
  services: z.record(
    z.string(),
    z.object({
      image: z.string().optional(),
      restart: z.string().optional(),
      environment: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
      secrets: z.array(z.string()).optional(),
      volumes: z.array(z.string()).optional(),
      healthcheck: z.object({ test: z.union([z.string(), z.array(z.string())]) }).optional(),
    }),
  ),
  secrets: z.record(z.string(), z.object({ file: z.string() })),
  volumes: z.record(z.string(), z.unknown()),
});
const compose = composeSchema.parse(parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')));
const teller = compose.services.teller!;
const tellerEnvironment = Object.fromEntries(
  Object.entries(teller.environment ?? {}).map(([name, value]) => [name, String(value)]),
);

/**
 * Schema variables the compose file leaves to their defaults on purpose, each with why. A new
 * variable in `environmentSchema` fails this test until it is set in docker-compose.yml or listed here.
 */
const LEFT_TO_DEFAULTS: Record<string, string> = {
  TELLER_WORKER_SLOT: 'set by the cluster primary for its workers, never by an operator',
  DATABASE_PATH: 'the embedded file under DATA_DIR holds only the vault, drafts and the demo bank',
  AUTH_MAX_TOKEN_LIFETIME_SECONDS: 'the default (a day) is a production value',
  AUTH_CLOCK_SKEW_SECONDS: 'the default (60 s) is a production value',
  AUTH_STEP_UP_MAX_AGE_SECONDS: 'the default (15 minutes) is a production value',
  SERVER_REQUEST_TIMEOUT_MS: 'the default is a production value',
  SERVER_HEADERS_TIMEOUT_MS: 'the default is a production value',
  SERVER_MAX_CONNECTIONS: 'the default is a production value',
  HANDOFF_LIMIT_PER_CUSTOMER: 'the default is a production value',
  HANDOFF_LIMIT_WINDOW_SECONDS: 'the default is a production value',
  RATE_LIMIT_PER_MINUTE: 'the default is a production value',
  BODY_LIMIT_BYTES: 'the default is a production value',
  MESSAGE_MAX_CHARACTERS: 'the default is a production value',
  OPENAI_EMBEDDINGS_MODEL: 'only with OPENAI_API_KEY; the default model matches the index size',
  OPENAI_TIMEOUT_MS: 'the default is a production value',
  MODEL_TURN_BUDGET_MS: 'the default is a production value',
  MODEL_MAX_TOKENS: 'the default is a production value',
  MODEL_MAX_ANSWER_CHARACTERS: 'the default is a production value',
  QDRANT_API_KEY: 'Qdrant is reachable only inside the compose network and on loopback',
  CORE_BANKING_URL: 'a bank API is site-specific; add it with CORE_BANKING_TOKEN_FILE',
  CORE_BANKING_TOKEN: 'only with CORE_BANKING_URL',
  CORE_BANKING_TIMEOUT_MS: 'only with CORE_BANKING_URL',
  VAULT_RETENTION_DAYS: 'the default (30 days) is the documented retention',
  VAULT_PURGE_INTERVAL_MINUTES: 'the default is a production value',
};

/** Compose's `${NAME:-default}` interpolation with nothing set in the shell. */
function interpolate(value: string, shell: Record<string, string> = {}): string {
  return value.replace(/\$\{(\w+)(?::-([^}]*))?\}/g, (_match, name: string, fallback?: string) =>
    shell[name] !== undefined && shell[name] !== '' ? shell[name] : (fallback ?? ''),
  );
}

describe('docker-compose.yml', () => {
  const directory = mkdtempSync(join(tmpdir(), 'teller-compose-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  /** The container's environment, each /run/secrets/<name> replaced by a file made like the README says. */
  function containerEnvironment(shell: Record<string, string> = {}, emptySecrets: readonly string[] = []) {
    const environment: Record<string, string> = {};
    for (const [name, value] of Object.entries(tellerEnvironment)) {
      const resolved = interpolate(value, shell);
      const secret = /^\/run\/secrets\/(\w+)$/.exec(resolved)?.[1];
      if (secret) {
        const path = join(directory, secret);
        writeFileSync(path, emptySecrets.includes(secret) ? '' : `${randomBytes(32).toString('hex')}\n`);
        environment[name] = path;
      } else {
        environment[name] = resolved;
      }
    }
    return environment;
  }

  it('runs Teller, PostgreSQL and Qdrant with restart policies, healthchecks and volumes', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['postgres', 'qdrant', 'teller']);
    for (const service of Object.values(compose.services)) {
      expect(service.restart).toBe('unless-stopped');
      expect(service.healthcheck).toBeDefined();
      expect(service.volumes?.length).toBeGreaterThan(0);
    }
    expect(JSON.stringify(teller.healthcheck?.test)).toContain('http://127.0.0.1:3000/readyz');
    expect(tellerEnvironment.NODE_ENV).toBe('production');
    expect(tellerEnvironment.TELLER_ENV).toBe('production');
  });

  it('pins Qdrant to the version the adapter and its published API description are for', () => {
    const tag = compose.services.qdrant?.image?.split(':v')[1];
    const client = (
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
        dependencies: Record<string, string>;
      }
    ).dependencies['@qdrant/js-client-rest'];
    expect(tag).toBe(client);
    const source = join(root, '../shared/qdrant/SOURCE.txt');
    if (existsSync(source)) expect(readFileSync(source, 'utf8')).toContain(`Tag: v${tag}`);
  });

  it('sets only variables Teller reads, and every one it reads is set or left to a default on purpose', () => {
    const known = new Set(Object.keys(environmentSchema.shape));
    const secretFiles = new Map(SECRET_FILE_VARIABLES.map((name) => [`${name}_FILE`, name]));
    const set = new Set<string>();
    for (const name of Object.keys(tellerEnvironment)) {
      if (name === 'NODE_ENV') continue; // Node's own convention, set as the Dockerfile does
      const variable = secretFiles.get(name) ?? name;
      expect(known.has(variable), `${name} is not a Teller variable`).toBe(true);
      set.add(variable);
    }
    const unset = [...known].filter((name) => !set.has(name)).sort();
    expect(unset).toEqual(Object.keys(LEFT_TO_DEFAULTS).sort());
  });

  it('mounts every secret file Teller is told to read, and defines each as a file under ./secrets', () => {
    for (const value of Object.values(tellerEnvironment)) {
      const secret = /^\/run\/secrets\/(\w+)$/.exec(value)?.[1];
      if (!secret) continue;
      expect(teller.secrets).toContain(secret);
      expect(compose.secrets[secret]?.file).toBe(`./secrets/${secret}`);
    }
    expect(compose.services.postgres?.environment?.POSTGRES_PASSWORD_FILE).toBe(
      '/run/secrets/postgres_password',
    );
    expect(compose.services.postgres?.secrets).toContain('postgres_password');
  });

  it('is accepted by the configuration as production on PostgreSQL and Qdrant, with /metrics behind its token', () => {
    const config = loadConfig(containerEnvironment());
    expect(config.environment).toBe('production');
    expect(config.server).toMatchObject({ host: '0.0.0.0', port: 3000, workers: 1 });
    const database = new URL(config.postgres?.url ?? '');
    expect([database.hostname, database.username, database.pathname]).toEqual([
      'postgres',
      'teller',
      '/teller',
    ]);
    expect(database.password).toMatch(/^[0-9a-f]{64}$/);
    expect(config.qdrant).toMatchObject({ url: 'http://qdrant:6333', collection: 'teller_knowledge' });
    expect(config.auth.kind).toBe('secret');
    expect(config.auditKey).toMatch(/^[0-9a-f]{64}$/);
    expect(config.vaultKey).toMatch(/^[0-9a-f]{64}$/);
    expect(config.metrics.served && config.metrics.token).toMatch(/^[0-9a-f]{64}$/);
    expect(config.developmentTokens).toBe(false);
    expect(config.demoBank).toBe(false);
    expect(config.tracing).toBeUndefined();
    expect(config.openai).toBeUndefined();
  });

  it('with the optional settings from the shell: JWKS tokens, a chat model and traces', () => {
    const config = loadConfig(
      containerEnvironment(
        {
          AUTH_JWKS_URL: 'https://login.bank.example/.well-known/jwks.json',
          OPENAI_API_KEY: 'sk-test',
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318',
          DEMO_BANK: 'true',
        },
        ['auth_jwt_secret'],
      ),
    );
    expect(config.auth.kind).toBe('jwks');
    expect(config.openai?.model).toBe('gpt-4o-mini');
    expect(config.tracing).toEqual({ endpoint: 'http://otel-collector:4318', serviceName: 'teller' });
    expect(config.demoBank).toBe(true);
  });

  it('stops at start-up when the vault or audit secret is empty, as production requires', () => {
    expect(() => loadConfig(containerEnvironment({}, ['vault_key']))).toThrow(/VAULT_KEY/);
    expect(() => loadConfig(containerEnvironment({}, ['audit_key']))).toThrow(/AUDIT_KEY/);
    expect(() => loadConfig(containerEnvironment({}, ['auth_jwt_secret']))).toThrow(/AUTH_JWKS_URL/);
  });
});
