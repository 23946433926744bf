import { describe, expect, it } from 'vitest';
import { ConfigError, DEVELOPMENT_JWT_SECRET, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('when nothing is set then it runs fully offline on embedded defaults', () => {
    const config = loadConfig({});
    expect(config.environment).toBe('development');
    expect(config.auth).toEqual({ kind: 'secret', secret: DEVELOPMENT_JWT_SECRET });
    expect(config.openai).toBeUndefined();
    expect(config.qdrant).toBeUndefined();
    expect(config.demoBank).toBe(true);
    expect(config.paths.databasePath).toMatch(/data[/\\]teller\.db$/);
  });

  it('when real services are configured then they are used', () => {
    const config = loadConfig({
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: 'http://localhost:8000/v1',
      QDRANT_URL: 'http://qdrant:6333',
      AUTH_JWKS_URL: 'https://id.example.com/.well-known/jwks.json',
    });
    expect(config.openai).toMatchObject({ apiKey: 'sk-test', baseUrl: 'http://localhost:8000/v1' });
    expect(config.qdrant).toMatchObject({ url: 'http://qdrant:6333', collection: 'teller_knowledge' });
    expect(config.auth.kind).toBe('jwks');
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ TELLER_ENV: 'production' }, /AUTH_JWKS_URL.*required/],
    [
      { TELLER_ENV: 'production', AUTH_JWT_SECRET: DEVELOPMENT_JWT_SECRET, VAULT_KEY: 'a'.repeat(64) },
      /development secret/,
    ],
    [{ AUTH_JWT_SECRET: 'short' }, /at least 32 characters/],
    [{ QDRANT_URL: 'not a url' }, /QDRANT_URL/],
    [{ VAULT_KEY: 'xyz' }, /64 hex characters/],
    [{ HANDOFF_WEBHOOK_URL: 'https://cc.example.com/hook' }, /HANDOFF_WEBHOOK_SECRET/],
    [
      { TELLER_ENV: 'production', AUTH_JWT_SECRET: 'r'.repeat(40), VAULT_KEY: 'a'.repeat(64) },
      /AUDIT_KEY.*required in production/,
    ],
    [{ AUDIT_KEY: 'not-hex' }, /AUDIT_KEY must be 64 hex/],
    [{ SERVER_HEADERS_TIMEOUT_MS: '60000', SERVER_REQUEST_TIMEOUT_MS: '1000' }, /SERVER_HEADERS_TIMEOUT_MS/],
  ])('when %o then start-up stops with a message that says how to fix it', (environment, message) => {
    expect(() => loadConfig(environment)).toThrow(ConfigError);
    expect(() => loadConfig(environment)).toThrow(message);
  });

  it.each([
    [{}, true],
    [{ HOST: 'localhost' }, true],
    [{ HOST: '::1' }, true],
    [{ AUTH_JWT_SECRET: DEVELOPMENT_JWT_SECRET }, true],
    [{ HOST: '0.0.0.0' }, false],
    [{ HOST: '::' }, false],
    [{ HOST: '10.0.0.5' }, false],
    [{ AUTH_JWT_SECRET: 'a-real-secret-that-is-long-enough-0123456789' }, false],
    [{ AUTH_JWKS_URL: 'https://id.example.com/jwks.json' }, false],
    [{ TELLER_ENV: 'test' }, false],
  ])('when %o then development tokens are %s', (environment, enabled) => {
    expect(loadConfig(environment).developmentTokens).toBe(enabled);
  });

  it('when nothing is set then slow clients, token lifetimes and step-up have bounds', () => {
    const config = loadConfig({});
    expect(config.serverLimits).toEqual({
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 10_000,
      maxConnections: 1024,
    });
    expect(config.tokenLimits).toEqual({
      maxLifetimeSeconds: 86_400,
      clockSkewSeconds: 60,
      stepUpMaxAgeSeconds: 900,
    });
  });
});
