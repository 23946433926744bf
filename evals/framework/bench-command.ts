/**
 * `npm run bench`: runs `evals/benchmarks/<name>.ts` modules and writes `reports/bench/latest.json`
 * and `reports/bench/latest.md` (every figure with its unit and the command that reproduces it,
 * plus the machine it ran on), and `reports/bench/<name>.{json,md}` per benchmark. `scripts/bench.ts` only calls {@link runBenchCommand}.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { projectRoot, resolveDatasetsDir } from './datasets.js';
import { gitCommit } from './provenance.js';
import type { OutputStream } from './terminal-report.js';
import type { Benchmark, BenchmarkResult, SuiteTable } from './types.js';

export const BENCH_USAGE = `Usage: npm run bench -- [name ...] [options]
  --quick          small sizes, finishes in seconds (smoke run)
  --seed N         seed for generated inputs (default 7)
  --datasets DIR   shared datasets directory (default ../shared/datasets)
  --out DIR        where reports go (default reports/bench)
  --compare REF    measure the git commit REF beside this checkout, alternating, in one run
                   (benchmarks that compare commits only: pipeline, startup)
  --list           list the available benchmarks and exit`;

const benchmarkModuleSchema = z.object({
  benchmark: z.object({
    name: z.string().min(1),
    description: z.string(),
    comparesCommits: z.boolean().optional(),
    run: z.custom<Benchmark['run']>((value) => typeof value === 'function', 'run must be a function'),
  }),
});

const benchmarkResultSchema = z.object({
  figures: z.record(z.string(), z.union([z.number(), z.nan()])),
  tables: z
    .array(
      z.object({
        title: z.string(),
        columns: z.array(z.string()),
        rows: z.array(z.array(z.union([z.string(), z.number()]))),
      }),
    )
    .optional(),
  environment: z.record(z.string(), z.string()).optional(),
});

/** The names of benchmark modules in a folder (tests and helpers with a `.test`/`.d` suffix excluded). */
export function discoverBenchmarks(benchmarksDir: string): string[] {
  if (!existsSync(benchmarksDir)) return [];
  return readdirSync(benchmarksDir)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('.d.ts'))
    .map((file) => file.replace(/\.ts$/, ''))
    .sort();
}

/** Imports `<benchmarksDir>/<name>.ts` and checks it exports a well-formed `benchmark`. */
export async function loadBenchmark(benchmarksDir: string, name: string): Promise<Benchmark> {
  const path = resolve(benchmarksDir, `${name}.ts`);
  const parsed = benchmarkModuleSchema.safeParse(await import(pathToFileURL(path).href));
  if (!parsed.success)
    throw new Error(`${path} must export \`benchmark: Benchmark\` (name, description, run).`);
  return parsed.data.benchmark as Benchmark;
}

/**
 * The unit of a figure, read from its name's suffix (`p95_ms` → ms, `turns_per_s` → turns/s,
 * `rss_mb` → MB). Names carry their units so a figure is never ambiguous.
 */
export function unitOf(figure: string): string {
  // `embedded.query.p95_ms@10k`: the unit is in the last dotted part before any `@variant`.
  const tail = (figure.split('@')[0] ?? figure).split('.').at(-1) ?? figure;
  const perSecond = /^(?:.*_)?([a-z]+)_per_s$/.exec(tail);
  if (perSecond) return `${perSecond[1]}/s`;
  const suffixes: Array<[RegExp, string]> = [
    [/_ms$/, 'ms'],
    [/_us$/, 'µs'],
    [/_s$/, 's'],
    [/_mb$/, 'MB'],
    [/_kb$/, 'kB'],
    [/_bytes$/, 'bytes'],
    [/_(pct|percent)$/, '%'],
    [/_(count|n)$/, 'count'],
    [/_ratio$/, 'ratio'],
  ];
  for (const [pattern, unit] of suffixes) if (pattern.test(tail)) return unit;
  return '';
}

/** Facts about the machine, so a figure can be compared with one measured elsewhere. */
export function machineEnvironment(root: string, now: Date): Record<string, string> {
  const processors = cpus();
  const git = gitCommit(root);
  return {
    date: now.toISOString(),
    node: process.version,
    platform: `${platform()} ${arch()}`,
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    cpuCount: String(processors.length),
    totalMemoryMb: String(Math.round(totalmem() / 1024 / 1024)),
    // Other work on the machine skews every figure; record how busy it was when the run began.
    loadAverage1mAtStart: loadavg()[0]?.toFixed(2) ?? 'unknown',
    ...(git && { gitCommit: `${git.commit}${git.dirty ? ' (with uncommitted changes)' : ''}` }),
  };
}

export interface BenchmarkRecord {
  readonly name: string;
  readonly description: string;
  readonly command: string;
  readonly durationMs: number;
  readonly figures: Readonly<Record<string, number>>;
  readonly tables: readonly SuiteTable[];
  readonly environment: Readonly<Record<string, string>>;
  readonly error?: string;
}

export interface BenchReport {
  readonly createdAt: string;
  readonly quick: boolean;
  readonly seed: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly benchmarks: readonly BenchmarkRecord[];
}

/** Above this load average per core at the start, the report warns that figures are pessimistic. */
const BUSY_LOAD_PER_CORE = 0.5;

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function formatFigure(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(1) : value.toFixed(3);
}

function markdownTable(
  columns: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number>>,
): string[] {
  return [
    `| ${columns.map((column) => escapeCell(column)).join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...rows.map(
      (row) =>
        `| ${row.map((cell) => escapeCell(typeof cell === 'number' ? formatFigure(cell) : cell)).join(' | ')} |`,
    ),
  ];
}

/** Renders the Markdown report: environment, one table of every figure, then each benchmark's tables. */
export function renderBenchMarkdown(report: BenchReport): string {
  const lines = [
    `# Teller benchmarks`,
    '',
    `Measured ${report.createdAt}${report.quick ? ' (quick smoke sizes)' : ''}.`,
    '',
  ];
  lines.push(
    '## Environment',
    '',
    ...markdownTable(['Item', 'Value'], Object.entries(report.environment)),
    '',
  );
  lines.push('## Figures', '');
  const rows = report.benchmarks.flatMap((benchmark) =>
    Object.entries(benchmark.figures).map(([figure, value]) => [
      benchmark.name,
      figure,
      formatFigure(value),
      unitOf(figure),
      `\`${benchmark.command}\``,
    ]),
  );
  lines.push(...markdownTable(['Benchmark', 'Figure', 'Value', 'Unit', 'Reproduce with'], rows), '');
  for (const benchmark of report.benchmarks) {
    lines.push(
      `## ${benchmark.name}`,
      '',
      benchmark.description,
      '',
      `Command: \`${benchmark.command}\` (${(benchmark.durationMs / 1000).toFixed(1)} s)`,
      '',
    );
    if (benchmark.error) lines.push('**Failed:**', '', '```', benchmark.error, '```', '');
    for (const table of benchmark.tables)
      lines.push(`### ${table.title}`, '', ...markdownTable(table.columns, table.rows), '');
    if (Object.keys(benchmark.environment).length > 0) {
      lines.push(
        '### Conditions',
        '',
        ...markdownTable(['Item', 'Value'], Object.entries(benchmark.environment)),
        '',
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

export interface BenchCommandEnvironment {
  readonly root?: string;
  readonly stdout?: OutputStream;
  readonly stderr?: OutputStream;
  readonly loadBenchmark?: (name: string) => Promise<Benchmark>;
  readonly availableBenchmarks?: readonly string[];
  readonly now?: () => Date;
}

/** Runs `npm run bench` with already split arguments and returns the process exit code. */
export async function runBenchCommand(
  argv: readonly string[],
  environment: BenchCommandEnvironment = {},
): Promise<number> {
  const root = environment.root ?? projectRoot;
  const stdout = environment.stdout ?? process.stdout;
  const stderr = environment.stderr ?? process.stderr;
  const now = environment.now ?? (() => new Date());
  let values: {
    quick: boolean;
    seed: string;
    datasets?: string;
    out: string;
    compare?: string;
    list: boolean;
    help: boolean;
  };
  let positionals: string[];
  try {
    const parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        quick: { type: 'boolean', default: false },
        seed: { type: 'string', default: '7' },
        datasets: { type: 'string' },
        out: { type: 'string', default: 'reports/bench' },
        compare: { type: 'string' },
        list: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    values = parsed.values as typeof values;
    positionals = parsed.positionals;
  } catch (error) {
    stderr.write(`${(error as Error).message}\n${BENCH_USAGE}\n`);
    return 2;
  }
  const seed = z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .safeParse(values.seed);
  if (!seed.success) {
    stderr.write(`--seed must be a non-negative integer.\n${BENCH_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    stdout.write(`${BENCH_USAGE}\n`);
    return 0;
  }
  const benchmarksDir = resolve(root, 'evals', 'benchmarks');
  const available = environment.availableBenchmarks ?? discoverBenchmarks(benchmarksDir);
  if (values.list) {
    stdout.write(`${available.join('\n')}\n`);
    return 0;
  }
  const requested = positionals.length > 0 ? positionals : [...available];
  const unknown = requested.filter((name) => !available.includes(name));
  if (unknown.length > 0 || requested.length === 0) {
    stderr.write(
      `Unknown benchmark(s): ${unknown.join(', ') || '(none given)'}. Available: ${available.join(', ') || '(none)'}\n`,
    );
    return 2;
  }

  const load = environment.loadBenchmark ?? ((name: string) => loadBenchmark(benchmarksDir, name));
  const datasetsDir = resolveDatasetsDir(values.datasets);
  const createdAt = now();
  const machine = machineEnvironment(root, createdAt);
  if (Number(machine.loadAverage1mAtStart) > Number(machine.cpuCount) * BUSY_LOAD_PER_CORE) {
    stderr.write(
      `warning: load average ${machine.loadAverage1mAtStart} on ${machine.cpuCount} cores: figures will be pessimistic\n`,
    );
  }
  const records: BenchmarkRecord[] = [];
  for (const name of requested) {
    const command = [
      'npm run bench --',
      name,
      ...(values.quick ? ['--quick'] : []),
      ...(seed.data !== 7 ? ['--seed', String(seed.data)] : []),
      ...(values.compare !== undefined ? ['--compare', values.compare] : []),
    ].join(' ');
    stdout.write(`== ${name}: ${command}\n`);
    const started = performance.now();
    let result: BenchmarkResult | undefined;
    let error: string | undefined;
    let description = '';
    try {
      const benchmark = await load(name);
      description = benchmark.description;
      if (values.compare !== undefined && benchmark.comparesCommits !== true)
        throw new Error(`${name} does not compare commits; --compare works with: pipeline, startup`);
      const raw = await benchmark.run({
        datasetsDir,
        seed: seed.data,
        quick: values.quick,
        ...(values.compare !== undefined && { compare: values.compare }),
        log: (line) => stdout.write(`  ${line}\n`),
      });
      const parsed = benchmarkResultSchema.safeParse(raw);
      if (parsed.success) result = parsed.data as BenchmarkResult;
      else error = `returned a malformed result: ${parsed.error.issues[0]?.message}`;
    } catch (thrown) {
      error = thrown instanceof Error ? (thrown.stack ?? thrown.message) : String(thrown);
    }
    const record: BenchmarkRecord = {
      name,
      description,
      command,
      durationMs: Math.round(performance.now() - started),
      figures: result?.figures ?? {},
      tables: result?.tables ?? [],
      environment: result?.environment ?? {},
      ...(error !== undefined && { error }),
    };
    records.push(record);
    for (const [figure, value] of Object.entries(record.figures)) {
      stdout.write(`  ${figure.padEnd(48)} ${formatFigure(value).padStart(12)} ${unitOf(figure)}\n`);
    }
    if (error) stderr.write(`  ${name} failed: ${error}\n`);
  }

  const report: BenchReport = {
    createdAt: createdAt.toISOString(),
    quick: values.quick,
    seed: seed.data,
    environment: machine,
    benchmarks: records,
  };
  const outDir = resolve(root, values.out);
  mkdirSync(outDir, { recursive: true });
  const serialize = (value: BenchReport) =>
    `${JSON.stringify(value, (_key, inner) => (typeof inner === 'number' && !Number.isFinite(inner) ? null : inner), 2)}\n`;
  // latest.* holds this run; <name>.* keeps each benchmark's last run, so running one benchmark
  // does not lose another's figures.
  const written: string[] = [];
  const write = (name: string, value: BenchReport) => {
    writeFileSync(join(outDir, `${name}.json`), serialize(value));
    writeFileSync(join(outDir, `${name}.md`), renderBenchMarkdown(value));
    written.push(join(outDir, `${name}.json`), join(outDir, `${name}.md`));
  };
  write('latest', report);
  for (const record of records) write(record.name, { ...report, benchmarks: [record] });
  stdout.write(written.map((path) => `wrote ${path}\n`).join(''));
  return records.some((record) => record.error !== undefined) ? 1 : 0;
}
