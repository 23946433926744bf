/**
 * Thresholds from `evals/thresholds.yaml` and how a suite's result is judged against them.
 * A threshold names a metric the suite promises to report: a metric that does not appear is a
 * failure ("missing"), because a silently renamed metric would otherwise pass forever.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { SuiteResult } from './types.js';

/** One metric's bounds: at least one of `min` (value must be ≥) and `max` (value must be ≤). */
export const metricThresholdSchema = z
  .object({ min: z.number().optional(), max: z.number().optional() })
  .strict()
  .refine((bounds) => bounds.min !== undefined || bounds.max !== undefined, {
    message: 'a threshold needs `min`, `max` or both',
  })
  .refine((bounds) => bounds.min === undefined || bounds.max === undefined || bounds.min <= bounds.max, {
    message: '`min` must not exceed `max`',
  });

/** The whole file: suite name → (metric name → bounds); `{}` or empty means "no thresholds yet". */
export const thresholdsFileSchema = z.record(
  z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'suite names are lower-case kebab or snake case'),
  z
    .record(z.string().min(1), metricThresholdSchema)
    .nullable()
    .transform((metrics) => metrics ?? {}),
);

export type MetricThreshold = z.infer<typeof metricThresholdSchema>;
export type Thresholds = z.infer<typeof thresholdsFileSchema>;

/** A thresholds file that does not match the schema, with every problem listed. */
export class ThresholdsFileError extends Error {
  override readonly name = 'ThresholdsFileError';
}

/** Parses thresholds YAML text; `source` names the file in error messages. */
export function parseThresholds(text: string, source = 'evals/thresholds.yaml'): Thresholds {
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (error) {
    throw new ThresholdsFileError(`${source} is not valid YAML: ${(error as Error).message}`);
  }
  const parsed = thresholdsFileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `  - ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new ThresholdsFileError(
      `${source} is invalid:\n${problems.join('\n')}\nEach entry is \`<suite>: { <metric>: { min: x } }\` (or \`max\`).`,
    );
  }
  return parsed.data;
}

/** Reads and validates a thresholds file. */
export function loadThresholds(path: string): Thresholds {
  return parseThresholds(readFileSync(path, 'utf8'), path);
}

/**
 * How one metric fared: `pass`/`fail` against its bounds, `missing` when a threshold names a
 * metric the suite did not report, `unchecked` when a reported metric has no threshold.
 */
export type CheckStatus = 'pass' | 'fail' | 'missing' | 'unchecked';

export interface MetricCheck {
  readonly metric: string;
  /** Undefined when the metric is missing. */
  readonly value?: number;
  readonly min?: number;
  readonly max?: number;
  readonly status: CheckStatus;
}

/**
 * The verdict on one suite: `passed`, `failed` (a threshold failed or a metric is missing),
 * `skipped` (the suite said it could not run) or `error` (the suite threw).
 */
export type SuiteStatus = 'passed' | 'failed' | 'skipped' | 'error';

export interface SuiteVerdict {
  readonly status: SuiteStatus;
  readonly checks: readonly MetricCheck[];
  /** True when this suite makes the whole run fail. */
  readonly failsRun: boolean;
}

export interface JudgeOptions {
  /** When true a skipped suite fails the run (CI with datasets mounted should never skip). */
  readonly requireDatasets?: boolean;
}

/** Compares one value with its bounds. NaN never passes: a metric that could not be computed is a failure. */
export function withinBounds(value: number, bounds: MetricThreshold): boolean {
  if (Number.isNaN(value)) return false;
  if (bounds.min !== undefined && value < bounds.min) return false;
  if (bounds.max !== undefined && value > bounds.max) return false;
  return true;
}

/**
 * Judges one suite's outcome against its thresholds. `outcome` is the suite's result, or an
 * error message when it threw.
 */
export function judgeSuite(
  suiteName: string,
  outcome: { readonly result: SuiteResult } | { readonly error: string },
  thresholds: Thresholds,
  options: JudgeOptions = {},
): SuiteVerdict {
  const bounds = thresholds[suiteName] ?? {};
  if ('error' in outcome) {
    return {
      status: 'error',
      checks: Object.entries(bounds).map(([metric, limit]) => ({
        metric,
        ...limit,
        status: 'missing' as const,
      })),
      failsRun: true,
    };
  }
  const { result } = outcome;
  if (result.skipped !== undefined) {
    return { status: 'skipped', checks: [], failsRun: options.requireDatasets === true };
  }
  const checks: MetricCheck[] = [];
  for (const [metric, limit] of Object.entries(bounds)) {
    const value = result.metrics[metric];
    if (value === undefined) checks.push({ metric, ...limit, status: 'missing' });
    else checks.push({ metric, value, ...limit, status: withinBounds(value, limit) ? 'pass' : 'fail' });
  }
  for (const [metric, value] of Object.entries(result.metrics)) {
    if (!(metric in bounds)) checks.push({ metric, value, status: 'unchecked' });
  }
  const failed = checks.some((check) => check.status === 'fail' || check.status === 'missing');
  return { status: failed ? 'failed' : 'passed', checks, failsRun: failed };
}

/** Suites named in the thresholds file with at least one metric, for warnings about unknown names. */
export function suitesWithThresholds(thresholds: Thresholds): string[] {
  return Object.entries(thresholds)
    .filter(([, metrics]) => Object.keys(metrics).length > 0)
    .map(([suite]) => suite);
}
