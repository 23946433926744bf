import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, withSecretFiles } from './config.js';

const KEY = 'ab'.repeat(32);
const production = {
  TELLER_ENV: 'production',
  HOST: '0.0.0.0',
  AUTH_JWT_SECRET: 'a-production-secret-of-at-least-32-chars',
  VAULT_KEY: KEY,
  AUDIT_KEY: KEY,
};

describe('metrics and traces configuration', () => {
  it('when nothing is set in development on loopback then /metrics is served without a token and traces are off', () => {
    const config = loadConfig({});
    expect(config.metrics).toEqual({ served: true });
    expect(config.tracing).toBeUndefined();
  });

  it('when production or a public listener has no METRICS_TOKEN then /metrics is not served', () => {
    expect(loadConfig(production).metrics).toEqual({ served: false });
    expect(loadConfig({ ...production, HOST: '127.0.0.1' }).metrics).toEqual({ served: false });
    expect(loadConfig({ HOST: '0.0.0.0' }).metrics).toEqual({ served: false });
  });

  it('when METRICS_TOKEN is set then /metrics needs it, and a short one is refused', () => {
    const token = 'm'.repeat(32);
    expect(loadConfig({ ...production, METRICS_TOKEN: token }).metrics).toEqual({ served: true, token });
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 32/);
  });

  it('when OTEL_EXPORTER_OTLP_ENDPOINT is set then traces go there under the service name', () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracing).toEqual({
      endpoint: 'http://collector:4318',
      serviceName: 'teller',
    });
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector' })).toThrow(ConfigError);
  });
});

describe('secrets from files', () => {
  const directory = mkdtempSync(join(tmpdir(), 'teller-secrets-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  const secret = (name: string, value: string) => {
    const path = join(directory, name);
    writeFileSync(path, value);
    return path;
  };

  it('when <NAME>_FILE names a file then its content (without the final newline) is the value', () => {
    const config = loadConfig({
      ...production,
      AUDIT_KEY: undefined,
      AUDIT_KEY_FILE: secret('audit_key', `${KEY}\n`),
      METRICS_TOKEN_FILE: secret('metrics_token', 't'.repeat(40)),
    });
    expect(config.auditKey).toBe(KEY);
    expect(config.metrics.token).toBe('t'.repeat(40));
  });

  it('when both a variable and its file are set, or the file is missing, then start-up stops with the fix', () => {
    expect(() => withSecretFiles({ VAULT_KEY: KEY, VAULT_KEY_FILE: secret('vault_key', KEY) })).toThrow(
      /VAULT_KEY and VAULT_KEY_FILE are both set/,
    );
    expect(() => loadConfig({ AUDIT_KEY_FILE: join(directory, 'absent') })).toThrow(
      /cannot be read \(ENOENT\)/,
    );
  });

  it('when DATABASE_PASSWORD is set apart then it is put into the database URL, encoded', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://teller@postgres:5432/teller',
      DATABASE_PASSWORD_FILE: secret('database_password', 'p@ss:w/rd%\n'),
    });
    const url = new URL(config.postgres?.url ?? '');
    expect(decodeURIComponent(url.password)).toBe('p@ss:w/rd%');
    expect(url.username).toBe('teller');
    expect(() => loadConfig({ DATABASE_PASSWORD: 'x' })).toThrow(
      /DATABASE_PASSWORD is set without DATABASE_URL/,
    );
  });
});
