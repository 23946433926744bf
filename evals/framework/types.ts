/**
 * The contract every eval suite implements. Suites live in `evals/suites/<name>.ts` and export
 * `suite`. The runner (`npm run eval -- <names>`) applies thresholds from `evals/thresholds.yaml`
 * and exits non-zero when one fails.
 */

export interface SuiteContext {
  /** Absolute path of the shared public datasets (`../shared/datasets`), or undefined when absent. */
  readonly datasetsDir: string | undefined;
  /** Seed for anything random (sampling, shuffles), so runs are reproducible. */
  readonly seed: number;
  /** When true, run the small fast subset used by `npm test`. */
  readonly fast: boolean;
  /** Base URL of a running Teller when `--target URL` is given; otherwise run in-process. */
  readonly target: string | undefined;
  /**
   * How to authenticate against `target` (from `--token` or `--jwt-secret`). Use
   * `httpTargetFromContext` in `evals/framework/http-target.ts` rather than reading it directly.
   */
  readonly targetAuth?: { readonly token?: string; readonly jwtSecret?: string };
  readonly log: (line: string) => void;
  /** Report progress for the terminal progress bar. */
  readonly progress: (done: number, total: number) => void;
}

export interface SuiteFailure {
  readonly id: string;
  readonly input?: string;
  readonly expected: unknown;
  readonly actual: unknown;
  readonly note?: string;
}

export interface SuiteTable {
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<ReadonlyArray<string | number>>;
}

export interface SuiteResult {
  /** Flat metric name → value, e.g. `hybrid.recall@5`: thresholds refer to these names. */
  readonly metrics: Readonly<Record<string, number>>;
  readonly failures: readonly SuiteFailure[];
  /** Set when the suite could not run (e.g. datasets absent), with a clear reason. */
  readonly skipped?: string;
  readonly tables?: readonly SuiteTable[];
  /** Versions of data used (dataset files, document and policy versions) for reproducibility. */
  readonly provenance?: Readonly<Record<string, string>>;
}

export interface EvalSuite {
  readonly name: string;
  readonly description: string;
  run(context: SuiteContext): Promise<SuiteResult>;
}

/** One benchmark in `evals/benchmarks/<name>.ts`, run by `npm run bench -- [name ...]`. */
export interface BenchmarkContext {
  readonly datasetsDir: string | undefined;
  readonly seed: number;
  /** When true, use small sizes so the benchmark finishes in seconds (smoke run). */
  readonly quick: boolean;
  /** A git ref to measure beside this checkout (`--compare`); only benchmarks that compare commits get one. */
  readonly compare?: string;
  readonly log: (line: string) => void;
}

export interface BenchmarkResult {
  /** Flat figure name → value, e.g. `embedded.query.p95_ms@10k`. Units in the name. */
  readonly figures: Readonly<Record<string, number>>;
  readonly tables?: readonly SuiteTable[];
  /** Facts about the run (node version, sizes, seeds) so a figure can be reproduced. */
  readonly environment?: Readonly<Record<string, string>>;
}

export interface Benchmark {
  readonly name: string;
  readonly description: string;
  /** True when the benchmark can measure another commit beside this one (`--compare <git-ref>`). */
  readonly comparesCommits?: boolean;
  run(context: BenchmarkContext): Promise<BenchmarkResult>;
}
