import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { environmentSchema } from './config.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The Dockerfile's instructions, continuation lines joined, split into stages at each FROM. */
function stagesOf(text: string): Array<Array<{ instruction: string; argument: string }>> {
  const stages: Array<Array<{ instruction: string; argument: string }>> = [];
  for (const line of text.replace(/\\\n/g, ' ').split('\n')) {
    const match = /^\s*([A-Z]+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const [, instruction = '', argument = ''] = match;
    if (instruction === 'FROM') stages.push([]);
    stages.at(-1)?.push({ instruction, argument: argument.trim() });
  }
  return stages;
}

const stages = stagesOf(readFileSync(join(root, 'Dockerfile'), 'utf8'));
const build = stages[0] ?? [];
const runtime = stages.at(-1) ?? [];
const argumentOf = (stage: typeof runtime, instruction: string) =>
  stage.filter((entry) => entry.instruction === instruction).map((entry) => entry.argument);
const command = JSON.parse(argumentOf(runtime, 'CMD').at(-1) ?? '[]') as string[];

/** Where this test compiles, inside the project so packages resolve from node_modules as in /app. */
const output = join(root, 'node_modules', '.cache', `teller-dockerfile-test-${process.pid}`);

describe('Dockerfile (no Docker engine here: what can be checked without one)', () => {
  afterAll(() => rmSync(output, { recursive: true, force: true }));

  it('when the image runs then it starts the compiled service with node, not the TypeScript loader', () => {
    expect(command[0]).toBe('node');
    expect(command.join(' ')).not.toMatch(/tsx|\.ts\b/);
    const entry = command.at(-1) ?? '';
    // The file it runs is what the build stage's compile step writes.
    const compileStep = argumentOf(build, 'RUN').find((step) => step.includes('scripts/start.mjs --build'));
    const folder = /scripts\/start\.mjs --build (\S+)/.exec(compileStep ?? '')?.[1];
    expect(folder).toBeDefined();
    expect(entry).toBe(`${folder}/main.js`);
  });

  it('when the build stage compiles then the output runs on node alone and reaches Teller’s own configuration check', () => {
    execFileSync(process.execPath, [join(root, 'scripts/start.mjs'), '--build', output], { stdio: 'pipe' });
    expect(existsSync(join(output, 'main.js'))).toBe(true);
    // Production without its secrets: the compiled main loads every module it needs and stops with the config error.
    const run = spawnSync(process.execPath, [join(output, 'main.js')], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        TELLER_ENV: 'production',
        DATA_DIR: output,
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/VAULT_KEY|AUDIT_KEY|AUTH_/);
    expect(run.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|Cannot find/);
  }, 120_000);

  it('when the image runs then it runs as an unprivileged user and checks its health on /readyz', () => {
    const users = argumentOf(runtime, 'USER');
    expect(users.at(-1)).toBeDefined();
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    const order = runtime.map((entry) => entry.instruction);
    expect(order.lastIndexOf('USER')).toBeLessThan(order.lastIndexOf('CMD'));
    const healthcheck = argumentOf(runtime, 'HEALTHCHECK').at(-1) ?? '';
    expect(healthcheck).toContain('/readyz');
    expect(healthcheck).toContain('process.env.PORT');
  });

  it('when the image sets variables then each is one Teller reads (or NODE_ENV), and the compose file builds this Dockerfile', () => {
    const names = argumentOf(runtime, 'ENV').flatMap((line) =>
      [...line.matchAll(/([A-Z_]+)=/g)].map((match) => match[1]),
    );
    expect(names.length).toBeGreaterThan(0);
    const known = new Set(Object.keys(environmentSchema.shape));
    for (const name of names) expect(name === 'NODE_ENV' || known.has(name ?? ''), name).toBe(true);
    const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
      services: { teller: { build: string | { context: string; dockerfile?: string } } };
    };
    const built = compose.services.teller.build;
    const context = typeof built === 'string' ? built : built.context;
    const dockerfile = typeof built === 'string' ? 'Dockerfile' : (built.dockerfile ?? 'Dockerfile');
    expect(existsSync(join(root, context, dockerfile))).toBe(true);
    for (const source of argumentOf(build, 'COPY').flatMap((line) => line.split(/\s+/).slice(0, -1)))
      if (source !== '.') expect(existsSync(join(root, source)), source).toBe(true);
  });
});
