/**
 * `npm run eval`: parses the command line, runs the suites, judges thresholds, writes the JSON
 * and HTML reports and returns the exit code. `scripts/eval.ts` only calls {@link runEvalCommand}.
 */
import { existsSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { diffReports, type ReportDiff } from './baseline.js';
import { projectRoot, resolveDatasetsDir } from './datasets.js';
import { renderHtmlReport } from './html-report.js';
import {
  type DatasetFingerprint,
  fingerprintDataset,
  fingerprintKnowledge,
  gitCommit,
} from './provenance.js';
import { type EvalReport, toSuiteReport } from './report.js';
import { readComparableReport, rotateLatest, saveBaseline, writeReportFiles } from './report-files.js';
import { discoverSuites, loadSuite, runSuites } from './runner.js';
import {
  createProgressDisplay,
  formatSuiteBlock,
  formatSummary,
  type OutputStream,
} from './terminal-report.js';
import { judgeSuite, loadThresholds, suitesWithThresholds } from './thresholds.js';
import type { EvalSuite } from './types.js';

export const EVAL_USAGE = `Usage: npm run eval -- [suite ...] [options]
  --fast               run each suite's small fast subset
  --seed N             seed for sampling and shuffles (default 7)
  --datasets DIR       shared datasets directory (default ../shared/datasets)
  --require-datasets   a suite skipped for lack of data fails the run
  --target URL         run suites that support it against a running Teller over HTTP
  --token TOKEN        bearer token for --target
  --jwt-secret SECRET  mint bearer tokens for --target with this HS256 secret
  --baseline FILE      compare with this report instead of the previous run
  --save-baseline      save this run as evals/baseline.json (commit it)
  --out DIR            where reports go (default reports/eval)
  --list               list the available suites and exit`;

/** The validated options of one eval run. */
export const evalOptionsSchema = z.object({
  suites: z.array(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'suite names are lower-case words')),
  fast: z.boolean(),
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1),
  datasets: z.string().optional(),
  requireDatasets: z.boolean(),
  target: z.url().optional(),
  token: z.string().min(1).optional(),
  jwtSecret: z.string().min(1).optional(),
  baseline: z.string().optional(),
  saveBaseline: z.boolean(),
  out: z.string(),
  list: z.boolean(),
  help: z.boolean(),
});
export type EvalOptions = z.infer<typeof evalOptionsSchema>;

/** Parses `npm run eval` arguments; throws with the usage text on anything unknown or invalid. */
export function parseEvalArguments(argv: readonly string[]): EvalOptions {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        fast: { type: 'boolean', default: false },
        seed: { type: 'string', default: '7' },
        datasets: { type: 'string' },
        'require-datasets': { type: 'boolean', default: false },
        target: { type: 'string' },
        token: { type: 'string' },
        'jwt-secret': { type: 'string' },
        baseline: { type: 'string' },
        'save-baseline': { type: 'boolean', default: false },
        out: { type: 'string', default: 'reports/eval' },
        list: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${EVAL_USAGE}`);
  }
  const { values, positionals } = parsed;
  const result = evalOptionsSchema.safeParse({
    suites: positionals,
    fast: values.fast,
    seed: values.seed,
    datasets: values.datasets,
    requireDatasets: values['require-datasets'],
    target: values.target,
    token: values.token,
    jwtSecret: values['jwt-secret'],
    baseline: values.baseline,
    saveBaseline: values['save-baseline'],
    out: values.out,
    list: values.list,
    help: values.help,
  });
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `  --${issue.path.join('.')}: ${issue.message}`)
      .join('\n');
    throw new Error(`Invalid arguments:\n${problems}\n${EVAL_USAGE}`);
  }
  return result.data;
}

const SECRET_OPTIONS = new Set(['--token', '--jwt-secret']);

/**
 * The command line with credential values replaced, so a report (which is shared and archived)
 * never carries a bearer token or signing secret. Handles `--token X` and `--token=X`.
 */
export function redactSecrets(argv: readonly string[]): string[] {
  return argv.map((argument, index) => {
    const [name] = argument.split('=', 1);
    if (name && SECRET_OPTIONS.has(name) && argument.includes('=')) return `${name}=[redacted]`;
    return SECRET_OPTIONS.has(argv[index - 1] ?? '') ? '[redacted]' : argument;
  });
}

export interface EvalCommandEnvironment {
  readonly root?: string;
  readonly stdout?: OutputStream;
  readonly stderr?: OutputStream;
  /** Loads a suite by name; the files in `evals/suites/` by default (tests pass fakes). */
  readonly loadSuite?: (name: string) => Promise<EvalSuite>;
  readonly availableSuites?: readonly string[];
  readonly now?: () => Date;
}

/** Runs `npm run eval` with already split arguments and returns the process exit code. */
export async function runEvalCommand(
  argv: readonly string[],
  environment: EvalCommandEnvironment = {},
): Promise<number> {
  const root = environment.root ?? projectRoot;
  const stdout = environment.stdout ?? process.stdout;
  const stderr = environment.stderr ?? process.stderr;
  const now = environment.now ?? (() => new Date());
  let options: EvalOptions;
  try {
    options = parseEvalArguments(argv);
  } catch (error) {
    stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  if (options.help) {
    stdout.write(`${EVAL_USAGE}\n`);
    return 0;
  }
  const suitesDir = resolve(root, 'evals', 'suites');
  const available = environment.availableSuites ?? discoverSuites(suitesDir);
  if (options.list) {
    stdout.write(`${available.join('\n')}\n`);
    return 0;
  }
  const requested = options.suites.length > 0 ? options.suites : [...available];
  const unknown = requested.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    stderr.write(
      `Unknown suite(s): ${unknown.join(', ')}. Available: ${available.join(', ') || '(none yet)'}\n`,
    );
    return 2;
  }
  if (requested.length === 0) {
    stderr.write(`No suites in ${suitesDir}; add one exporting \`suite: EvalSuite\`.\n`);
    return 2;
  }
  if (options.target && !options.token && !options.jwtSecret) {
    stderr.write('--target needs credentials: pass --token <bearer token> or --jwt-secret <secret>.\n');
    return 2;
  }

  let thresholds: ReturnType<typeof loadThresholds>;
  try {
    thresholds = loadThresholds(resolve(root, 'evals', 'thresholds.yaml'));
  } catch (error) {
    stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  const stray = suitesWithThresholds(thresholds).filter((name) => !available.includes(name));
  for (const name of stray)
    stderr.write(`warning: evals/thresholds.yaml has thresholds for ${name}, which has no suite file\n`);

  const load = environment.loadSuite ?? ((name: string) => loadSuite(suitesDir, name));
  const suites: EvalSuite[] = [];
  for (const name of requested) {
    try {
      suites.push(await load(name));
    } catch (error) {
      stderr.write(`Could not load suite ${name}: ${(error as Error).message}\n`);
      return 2;
    }
  }

  const datasetsDir = resolveDatasetsDir(options.datasets);
  if (options.datasets && !datasetsDir)
    stderr.write(`warning: --datasets ${options.datasets} does not exist\n`);
  const startedAt = now();
  const started = performance.now();
  const progress = createProgressDisplay(stdout);
  const runs = await runSuites(
    suites,
    {
      datasetsDir,
      seed: options.seed,
      fast: options.fast,
      target: options.target,
      ...((options.token || options.jwtSecret) && {
        targetAuth: {
          ...(options.token && { token: options.token }),
          ...(options.jwtSecret && { jwtSecret: options.jwtSecret }),
        },
      }),
    },
    {
      onSuiteStart: (suite) => progress.start(suite.name),
      onProgress: (_suite, done, total) => progress.update(done, total),
      onLog: (_suite, line) => progress.log(line),
      onSuiteEnd: () => progress.stop(),
    },
  );

  const fingerprints = new Map<string, DatasetFingerprint>();
  const fingerprint = (name: string, path: string): DatasetFingerprint => {
    const known = fingerprints.get(name) ?? fingerprintDataset(name, path);
    fingerprints.set(name, known);
    return known;
  };
  const suiteReports = runs.map((run) => {
    const verdict = judgeSuite(
      run.name,
      run.result ? { result: run.result } : { error: run.error ?? 'no result' },
      thresholds,
      { requireDatasets: options.requireDatasets },
    );
    const report = toSuiteReport(
      run,
      verdict,
      run.datasetsUsed.map((dataset) => fingerprint(dataset.name, dataset.path)),
    );
    return { report, failsRun: verdict.failsRun };
  });

  const git = gitCommit(root);
  const report: EvalReport = {
    schemaVersion: 1,
    createdAt: startedAt.toISOString(),
    command: ['npm run eval --', ...redactSecrets(argv)].join(' '),
    passed: suiteReports.every((suite) => !suite.failsRun),
    provenance: {
      ...(git && { gitCommit: git.commit, gitDirty: git.dirty }),
      node: process.version,
      platform: `${platform()} ${arch()}`,
      seed: options.seed,
      fast: options.fast,
      ...(options.target && { target: options.target }),
      ...(datasetsDir && { datasetsDir }),
      knowledge: fingerprintKnowledge(resolve(root, 'knowledge')),
    },
    timings: { totalMs: Math.round(performance.now() - started) },
    suites: suiteReports.map((suite) => suite.report),
  };
  for (const suite of report.suites) stdout.write(formatSuiteBlock(suite));

  const outDir = resolve(root, options.out);
  const previousPath = rotateLatest(outDir);
  const referencePath = options.baseline ? resolve(options.baseline) : previousPath;
  let diff: ReportDiff | undefined;
  if (referencePath) {
    const reference = readComparableReport(referencePath);
    if (reference.report)
      diff = diffReports(report, reference.report, options.baseline ?? 'the previous run');
    else stderr.write(`warning: no comparison: ${reference.problem}\n`);
  } else {
    const committed = resolve(root, 'evals', 'baseline.json');
    const reference = existsSync(committed) ? readComparableReport(committed) : {};
    if (reference.report) diff = diffReports(report, reference.report, 'evals/baseline.json');
  }
  const files = writeReportFiles(outDir, report, renderHtmlReport(report, diff));
  if (options.saveBaseline) {
    const baselinePath = resolve(root, 'evals', 'baseline.json');
    saveBaseline(baselinePath, report);
    files.push(baselinePath);
  }
  stdout.write(formatSummary(report, diff, files));
  return report.passed ? 0 : 1;
}
