/**
 * Finds, loads and runs eval suites one after another. It knows nothing about terminals or
 * report files: callers observe progress through the hooks and receive plain records.
 */
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { datasetsUsedSinceReset, resetDatasetTracking } from './datasets.js';
import type { EvalSuite, SuiteContext, SuiteResult } from './types.js';

/** What a suite module must export. Checked at load time so a typo fails with a clear message. */
const suiteModuleSchema = z.object({
  suite: z.object({
    name: z.string().min(1),
    description: z.string(),
    run: z.custom<EvalSuite['run']>((value) => typeof value === 'function', 'run must be a function'),
  }),
});

const metricValueSchema = z.union([z.number(), z.nan()]);
const cellSchema = z.union([z.string(), z.number()]);

/** A suite result as it crosses into the framework: validated, so reporters can trust it. */
export const suiteResultSchema = z.object({
  metrics: z.record(z.string(), metricValueSchema),
  failures: z.array(
    z.object({
      id: z.string(),
      input: z.string().optional(),
      expected: z.unknown(),
      actual: z.unknown(),
      note: z.string().optional(),
    }),
  ),
  skipped: z.string().optional(),
  tables: z
    .array(z.object({ title: z.string(), columns: z.array(z.string()), rows: z.array(z.array(cellSchema)) }))
    .optional(),
  provenance: z.record(z.string(), z.string()).optional(),
});

/** The names of `*.ts` suite modules in a folder (test files excluded), sorted. */
export function discoverSuites(suitesDir: string): string[] {
  if (!existsSync(suitesDir)) return [];
  return readdirSync(suitesDir)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('.d.ts'))
    .map((file) => file.replace(/\.ts$/, ''))
    .sort();
}

/** Imports `<suitesDir>/<name>.ts` and checks that it exports a well-formed `suite`. */
export async function loadSuite(suitesDir: string, name: string): Promise<EvalSuite> {
  const path = resolve(suitesDir, `${name}.ts`);
  const parsed = suiteModuleSchema.safeParse(await import(pathToFileURL(path).href));
  if (!parsed.success) {
    throw new Error(
      `${path} must export \`suite: EvalSuite\` (name, description, run): ${parsed.error.issues[0]?.message}`,
    );
  }
  return parsed.data.suite as EvalSuite;
}

/** One suite's run: its validated result or the error it raised, and what it read. */
export interface SuiteRun {
  readonly name: string;
  readonly description: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly result?: SuiteResult;
  readonly error?: string;
  /** Dataset folders the suite opened through `datasetPath`/`recordDatasetUse`. */
  readonly datasetsUsed: ReadonlyArray<{ readonly name: string; readonly path: string }>;
}

/** Observers of a run; all optional. */
export interface RunHooks {
  onSuiteStart?(suite: EvalSuite): void;
  onProgress?(suite: EvalSuite, done: number, total: number): void;
  onLog?(suite: EvalSuite, line: string): void;
  onSuiteEnd?(run: SuiteRun): void;
}

/** The context every suite receives, minus the per-suite `log` and `progress` the runner supplies. */
export type SharedContext = Omit<SuiteContext, 'log' | 'progress'>;

/**
 * Runs suites sequentially (they compete for the same two cores, so parallel runs would distort
 * timings). A suite that throws or returns a malformed result is recorded as an error and the
 * remaining suites still run.
 */
export async function runSuites(
  suites: readonly EvalSuite[],
  context: SharedContext,
  hooks: RunHooks = {},
  now: () => number = () => performance.now(),
): Promise<SuiteRun[]> {
  const runs: SuiteRun[] = [];
  for (const suite of suites) {
    hooks.onSuiteStart?.(suite);
    resetDatasetTracking();
    const startedAt = new Date().toISOString();
    const started = now();
    let result: SuiteResult | undefined;
    let error: string | undefined;
    try {
      const raw = await suite.run({
        ...context,
        log: (line) => hooks.onLog?.(suite, line),
        progress: (done, total) => hooks.onProgress?.(suite, done, total),
      });
      const parsed = suiteResultSchema.safeParse(raw);
      if (parsed.success) result = parsed.data as SuiteResult;
      else {
        const issue = parsed.error.issues[0];
        error = `returned a malformed result (${issue?.path.join('.') || 'result'}: ${issue?.message})`;
      }
    } catch (thrown) {
      error = thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown);
    }
    const run: SuiteRun = {
      name: suite.name,
      description: suite.description,
      startedAt,
      durationMs: now() - started,
      ...(result && { result }),
      ...(error !== undefined && { error }),
      datasetsUsed: datasetsUsedSinceReset(),
    };
    runs.push(run);
    hooks.onSuiteEnd?.(run);
  }
  return runs;
}
