import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { datasetPath } from './datasets.js';
import { discoverSuites, loadSuite, runSuites } from './runner.js';
import type { EvalSuite } from './types.js';

const datasetsDir = mkdtempSync(join(tmpdir(), 'teller-datasets-'));
mkdirSync(join(datasetsDir, 'banking77'));
afterAll(() => rmSync(datasetsDir, { recursive: true, force: true }));

const context = { datasetsDir, seed: 7, fast: true, target: undefined };

describe('runSuites', () => {
  it('records each suite result, its progress and the datasets it opened', async () => {
    const progress: Array<[number, number]> = [];
    const suite: EvalSuite = {
      name: 'intents',
      description: 'intent accuracy',
      async run(suiteContext) {
        expect(suiteContext.seed).toBe(7);
        datasetPath(suiteContext.datasetsDir, 'banking77');
        datasetPath(suiteContext.datasetsDir, 'not-there');
        suiteContext.progress(1, 2);
        suiteContext.progress(2, 2);
        return { metrics: { accuracy: 0.9 }, failures: [] };
      },
    };
    const other: EvalSuite = {
      name: 'tools',
      description: '',
      run: async () => ({ metrics: {}, failures: [] }),
    };
    const runs = await runSuites([suite, other], context, {
      onProgress: (_suite, done, total) => progress.push([done, total]),
    });
    expect(runs[0]?.result?.metrics).toEqual({ accuracy: 0.9 });
    expect(runs[0]?.datasetsUsed).toEqual([{ name: 'banking77', path: join(datasetsDir, 'banking77') }]);
    // Tracking is reset between suites.
    expect(runs[1]?.datasetsUsed).toEqual([]);
    expect(progress).toEqual([
      [1, 2],
      [2, 2],
    ]);
  });

  it('when a suite throws or returns a malformed result then records an error and keeps going', async () => {
    const throwing: EvalSuite = {
      name: 'a',
      description: '',
      run: async () => {
        throw new Error('boom');
      },
    };
    const malformed = {
      name: 'b',
      description: '',
      run: async () => ({ metrics: { accuracy: 'high' } }),
    } as unknown as EvalSuite;
    const fine: EvalSuite = {
      name: 'c',
      description: '',
      run: async () => ({ metrics: { x: 1 }, failures: [] }),
    };
    const runs = await runSuites([throwing, malformed, fine], context);
    expect(runs[0]?.error).toContain('boom');
    expect(runs[1]?.error).toContain('malformed');
    expect(runs[2]?.result?.metrics).toEqual({ x: 1 });
  });
});

describe('the committed suites folder', () => {
  it('when every module in evals/suites is loaded then each exports a well-formed suite', async () => {
    // `npm run eval` with no names runs every module there, so a helper module in the folder
    // would stop the whole run; helpers live beside the data they read (evals/privacy, evals/security).
    const suitesDir = join(import.meta.dirname, '..', 'suites');
    const names = discoverSuites(suitesDir);
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) await expect(loadSuite(suitesDir, name)).resolves.toHaveProperty('name');
  });
});
