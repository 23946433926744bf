/**
 * Runs eval suites: `npm run eval -- [suite ...] [--fast] [--seed N] [--datasets DIR]`.
 * Minimal runner: loads `evals/suites/<name>.ts`, applies `evals/thresholds.yaml`, prints metrics
 * and exits non-zero when a threshold fails.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { projectRoot, resolveDatasetsDir } from '../evals/framework/datasets.js';
import type { EvalSuite, SuiteResult } from '../evals/framework/types.js';

const thresholdSchema = z.record(
  z.string(),
  z.record(z.string(), z.object({ min: z.number().optional(), max: z.number().optional() }).strict()).nullable(),
);

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    fast: { type: 'boolean', default: false },
    seed: { type: 'string', default: '7' },
    datasets: { type: 'string' },
    target: { type: 'string' },
  },
});

const suitesDir = resolve(projectRoot, 'evals', 'suites');
const available = readdirSync(suitesDir)
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
  .map((file) => file.replace(/\.ts$/, ''));
const requested = positionals.length > 0 ? positionals : available;
const unknown = requested.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`Unknown suite(s): ${unknown.join(', ')}. Available: ${available.join(', ')}`);
  process.exit(2);
}

const thresholds = thresholdSchema.parse(parseYaml(readFileSync(resolve(projectRoot, 'evals', 'thresholds.yaml'), 'utf8')));
const datasetsDir = resolveDatasetsDir(values.datasets);
let failed = false;

for (const name of requested) {
  const module = (await import(resolve(suitesDir, `${name}.ts`))) as { suite: EvalSuite };
  const started = performance.now();
  const result: SuiteResult = await module.suite.run({
    datasetsDir,
    seed: Number(values.seed),
    fast: values.fast ?? false,
    target: values.target,
    log: (line) => console.log(`  ${line}`),
    progress: () => {},
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`\n== ${name} (${seconds}s)`);
  if (result.skipped) {
    console.log(`  skipped: ${result.skipped}`);
    continue;
  }
  for (const table of result.tables ?? []) {
    console.log(`  ${table.title}`);
    console.log(`  ${table.columns.join(' | ')}`);
    for (const row of table.rows) console.log(`  ${row.join(' | ')}`);
  }
  for (const [metric, value] of Object.entries(result.metrics)) {
    const limit = thresholds[name]?.[metric];
    const below = limit?.min !== undefined && value < limit.min;
    const above = limit?.max !== undefined && value > limit.max;
    if (below || above) failed = true;
    const mark = limit ? (below || above ? 'FAIL' : 'ok') : '';
    console.log(`  ${metric.padEnd(40)} ${value.toFixed(4)} ${mark}`);
  }
  if (result.failures.length > 0) console.log(`  ${result.failures.length} failing case(s)`);
}
process.exit(failed ? 1 : 0);
