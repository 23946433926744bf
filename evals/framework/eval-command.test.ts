import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { redactSecrets, runEvalCommand } from './eval-command.js';
import type { EvalSuite, SuiteResult } from './types.js';

function recorder() {
  let text = '';
  return { stream: { write: (chunk: string) => (text += chunk), isTTY: false }, text: () => text };
}

function fakeSuite(name: string, result: () => SuiteResult | Promise<SuiteResult>): EvalSuite {
  return { name, description: `${name} suite`, run: async () => result() };
}

describe('runEvalCommand', () => {
  let root: string;
  let accuracy: number;
  let suites: Record<string, EvalSuite>;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'teller-eval-'));
    mkdirSync(join(root, 'evals'), { recursive: true });
    mkdirSync(join(root, 'knowledge', 'documents'), { recursive: true });
    writeFileSync(
      join(root, 'knowledge', 'documents', 'fees.md'),
      '---\nid: fees-tariff\nversion: "3.0"\n---\n# Fees\n',
    );
    writeFileSync(
      join(root, 'evals', 'thresholds.yaml'),
      'intents:\n  accuracy: { min: 0.8 }\npii:\n  recall: { min: 0.9 }\n',
    );
    accuracy = 0.9;
    suites = {
      intents: fakeSuite('intents', () => ({
        metrics: { accuracy },
        failures: [{ id: 'i1', input: '<script>x</script>', expected: 'balance', actual: 'fees' }],
      })),
      pii: fakeSuite('pii', () => ({
        metrics: {},
        failures: [],
        skipped: 'dataset presidio_research_pii absent',
      })),
    };
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  async function run(argv: string[]) {
    const stdout = recorder();
    const stderr = recorder();
    const code = await runEvalCommand(argv, {
      root,
      stdout: stdout.stream,
      stderr: stderr.stream,
      availableSuites: Object.keys(suites),
      loadSuite: async (name) => suites[name] as EvalSuite,
    });
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  }

  it('when thresholds hold and a suite skips then exits 0 and says which suite skipped', async () => {
    const { code, stdout } = await run(['--seed', '3']);
    expect(code).toBe(0);
    expect(stdout).toContain('skipped (dataset presidio_research_pii absent)');
    expect(stdout).toMatch(/accuracy\s+0\.9000\s+≥ 0\.8\s+pass/);
    const report = JSON.parse(readFileSync(join(root, 'reports', 'eval', 'latest.json'), 'utf8'));
    expect(report.provenance).toMatchObject({
      seed: 3,
      knowledge: { documents: { count: 1, versions: ['fees-tariff@3.0'] } },
    });
    expect(report.suites.map((suite: { status: string }) => suite.status)).toEqual(['passed', 'skipped']);
    expect(readFileSync(join(root, 'reports', 'eval', 'latest.html'), 'utf8')).toContain(
      '&lt;script&gt;x&lt;/script&gt;',
    );
  });

  it('when datasets are required then a skipped suite fails the run', async () => {
    expect((await run(['pii', '--require-datasets'])).code).toBe(1);
  });

  it('when a threshold fails or a suite throws then exits 1', async () => {
    accuracy = 0.5;
    const failing = await run(['intents']);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('FAIL');
    suites.intents = fakeSuite('intents', () => {
      throw new Error('model file missing');
    });
    const crashed = await run(['intents']);
    expect(crashed.code).toBe(1);
    expect(crashed.stdout).toContain('model file missing');
  });

  it('rotates the previous run and shows deltas against it; saves and compares a baseline', async () => {
    await run(['intents', '--save-baseline']);
    expect(existsSync(join(root, 'evals', 'baseline.json'))).toBe(true);
    accuracy = 0.85;
    const second = await run(['intents']);
    expect(existsSync(join(root, 'reports', 'eval', 'previous.json'))).toBe(true);
    expect(second.stdout).toContain('compared with the previous run');
    expect(second.stdout).toContain('↓ intents accuracy: 0.9000 → 0.8500');
    accuracy = 0.95;
    const third = await run(['intents', '--baseline', join(root, 'evals', 'baseline.json')]);
    expect(third.stdout).toContain('0 metric(s) worse');
    expect(readFileSync(join(root, 'reports', 'eval', 'latest.html'), 'utf8')).toMatch(
      /↑<\/span> \+0\.0500 \(better\)/,
    );
  });

  it('passes the target and credentials to suites but never writes the credentials to reports', async () => {
    let seen: unknown;
    suites.intents = {
      name: 'intents',
      description: '',
      run: async (context) => {
        seen = context.targetAuth;
        return { metrics: { accuracy: 1 }, failures: [] };
      },
    };
    await run(['intents', '--target', 'http://127.0.0.1:9', '--token', 'secret-token-value']);
    expect(seen).toEqual({ token: 'secret-token-value' });
    const written = readFileSync(join(root, 'reports', 'eval', 'latest.json'), 'utf8');
    expect(written).not.toContain('secret-token-value');
    expect(readFileSync(join(root, 'reports', 'eval', 'latest.html'), 'utf8')).not.toContain(
      'secret-token-value',
    );
  });

  it('when a suite name is unknown or an option is invalid then exits 2 with usage', async () => {
    expect((await run(['nope'])).stderr).toContain('Unknown suite(s): nope');
    const invalid = await run(['--seed', 'abc']);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('--seed');
    expect((await run(['--target', 'http://127.0.0.1:1'])).stderr).toContain('--token');
  });
});

describe('redactSecrets', () => {
  it('never lets a token or signing secret into the recorded command line', () => {
    expect(
      redactSecrets([
        'pii',
        '--token',
        'eyJhbGciOi.x.y',
        '--jwt-secret=s3cr3t-value',
        '--target',
        'http://127.0.0.1:3000',
      ]),
    ).toEqual([
      'pii',
      '--token',
      '[redacted]',
      '--jwt-secret=[redacted]',
      '--target',
      'http://127.0.0.1:3000',
    ]);
  });
});
