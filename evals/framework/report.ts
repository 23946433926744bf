/**
 * The eval report: one JSON document per run holding every suite's metrics, threshold checks,
 * failures and the provenance needed to reproduce it. Terminal, HTML and baseline diffs are all
 * rendered from this shape.
 */
import { z } from 'zod';
import type { DatasetFingerprint, KnowledgeFingerprint } from './provenance.js';
import type { SuiteRun } from './runner.js';
import type { MetricCheck, SuiteStatus, SuiteVerdict } from './thresholds.js';
import type { SuiteTable } from './types.js';

/** Failures kept per suite in a report; the total count is always kept. */
export const MAX_REPORTED_FAILURES = 200;
/** Characters kept of a failure's input, expected or actual value. */
const MAX_VALUE_CHARACTERS = 2000;

export interface ReportedFailure {
  readonly id: string;
  readonly input?: string;
  readonly expected: string;
  readonly actual: string;
  readonly note?: string;
}

export interface SuiteReport {
  readonly name: string;
  readonly description: string;
  readonly status: SuiteStatus;
  readonly skipped?: string;
  readonly error?: string;
  readonly startedAt: string;
  readonly durationMs: number;
  /** NaN metrics are stored as null (JSON has no NaN). */
  readonly metrics: Readonly<Record<string, number | null>>;
  readonly checks: readonly MetricCheck[];
  readonly failureCount: number;
  readonly failures: readonly ReportedFailure[];
  readonly tables: readonly SuiteTable[];
  readonly provenance: Readonly<Record<string, string>>;
  readonly datasets: readonly DatasetFingerprint[];
}

export interface RunProvenance {
  readonly gitCommit?: string;
  readonly gitDirty?: boolean;
  readonly node: string;
  readonly platform: string;
  readonly seed: number;
  readonly fast: boolean;
  readonly target?: string;
  readonly datasetsDir?: string;
  readonly knowledge: { readonly documents: KnowledgeFingerprint; readonly policies: KnowledgeFingerprint };
}

export interface EvalReport {
  readonly schemaVersion: 1;
  readonly createdAt: string;
  /** The command line that produced the report, to paste and run again. */
  readonly command: string;
  readonly passed: boolean;
  readonly provenance: RunProvenance;
  readonly timings: { readonly totalMs: number };
  readonly suites: readonly SuiteReport[];
}

/**
 * The part of a stored report a comparison needs. Older or hand-edited files only have to carry
 * these fields; anything else is ignored.
 */
export const comparableReportSchema = z.object({
  createdAt: z.string(),
  provenance: z
    .object({ gitCommit: z.string().optional(), seed: z.number().optional(), fast: z.boolean().optional() })
    .optional(),
  suites: z.array(
    z.object({
      name: z.string(),
      status: z.string(),
      metrics: z.record(z.string(), z.number().nullable()),
      checks: z
        .array(z.object({ metric: z.string(), min: z.number().optional(), max: z.number().optional() }))
        .optional(),
    }),
  ),
});
export type ComparableReport = z.infer<typeof comparableReportSchema>;

/** A value shown in a report: strings as they are, anything else as (bounded) JSON. */
export function formatValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value === undefined) text = '(none)';
  else {
    try {
      text =
        JSON.stringify(value, (_key, inner) => (typeof inner === 'bigint' ? inner.toString() : inner)) ??
        String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > MAX_VALUE_CHARACTERS
    ? `${text.slice(0, MAX_VALUE_CHARACTERS)}… (${text.length} characters)`
    : text;
}

/** Builds one suite's section of the report from its run and verdict. */
export function toSuiteReport(
  run: SuiteRun,
  verdict: SuiteVerdict,
  datasets: readonly DatasetFingerprint[],
): SuiteReport {
  const result = run.result;
  const metrics: Record<string, number | null> = {};
  for (const [metric, value] of Object.entries(result?.metrics ?? {}))
    metrics[metric] = Number.isFinite(value) ? value : null;
  const failures = result?.failures ?? [];
  return {
    name: run.name,
    description: run.description,
    status: verdict.status,
    ...(result?.skipped !== undefined && { skipped: result.skipped }),
    ...(run.error !== undefined && { error: run.error }),
    startedAt: run.startedAt,
    durationMs: Math.round(run.durationMs),
    metrics,
    checks: verdict.checks.map((check) =>
      check.value !== undefined && !Number.isFinite(check.value) ? { ...check, value: Number.NaN } : check,
    ),
    failureCount: failures.length,
    failures: failures.slice(0, MAX_REPORTED_FAILURES).map((failure) => ({
      id: failure.id,
      ...(failure.input !== undefined && { input: formatValue(failure.input) }),
      expected: formatValue(failure.expected),
      actual: formatValue(failure.actual),
      ...(failure.note !== undefined && { note: failure.note }),
    })),
    tables: result?.tables ?? [],
    provenance: result?.provenance ?? {},
    datasets,
  };
}

/** Serialises a report; NaN check values become null like metrics. */
export function serializeReport(report: EvalReport): string {
  return `${JSON.stringify(report, (_key, value) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`;
}

/** Parses a stored report for comparison; returns an explanation instead of throwing. */
export function parseComparableReport(text: string): { report: ComparableReport } | { problem: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { problem: `not JSON (${(error as Error).message})` };
  }
  const parsed = comparableReportSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { problem: `not an eval report (${issue?.path.join('.')}: ${issue?.message})` };
  }
  return { report: parsed.data };
}
