/**
 * The activation gate's judgement: a candidate models version may replace the active one only if
 * no eval threshold regresses. Both versions are evaluated by the same suites on the same commit
 * and data; every thresholded figure of the candidate is compared with the active version's.
 */
import { z } from 'zod';

/** One thresholded figure of one suite, as an eval report states it. */
export const thresholdCheckSchema = z.object({
  suite: z.string().min(1),
  metric: z.string().min(1),
  value: z.number().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  status: z.enum(['pass', 'fail', 'missing', 'unchecked']),
});
export type ThresholdCheck = z.infer<typeof thresholdCheckSchema>;

/** The thresholded checks of an eval report (`reports/eval/latest.json`). */
export const evalReportChecksSchema = z.object({
  suites: z.array(
    z.object({
      name: z.string(),
      status: z.string(),
      checks: z.array(thresholdCheckSchema.omit({ suite: true })),
    }),
  ),
});

/** The thresholded checks of an eval report, each named with its suite. */
export function thresholdChecksOf(report: unknown): ThresholdCheck[] {
  return evalReportChecksSchema
    .parse(report)
    .suites.flatMap((suite) =>
      suite.checks
        .filter((check) => check.min !== undefined || check.max !== undefined)
        .map((check) => ({ ...check, suite: suite.name })),
    );
}

export interface Regression {
  readonly suite: string;
  readonly metric: string;
  readonly active: number | null;
  readonly candidate: number | null;
  readonly why: string;
}

export interface GateVerdict {
  readonly activate: boolean;
  readonly regressions: readonly Regression[];
  /** How many thresholded figures were compared. */
  readonly compared: number;
}

/**
 * Compares the candidate's thresholded figures with the active version's. A regression is a
 * figure the active version reported and the candidate did not, a threshold the active version
 * passes and the candidate fails, or a move past `tolerance` in the threshold's wrong direction
 * (below a minimum's side, above a maximum's), even while still within the threshold.
 */
export function judgeCandidate(
  active: readonly ThresholdCheck[],
  candidate: readonly ThresholdCheck[],
  tolerance = 0,
): GateVerdict {
  const key = (check: ThresholdCheck) => `${check.suite}\u0000${check.metric}`;
  const candidateByKey = new Map(candidate.map((check) => [key(check), check]));
  const regressions: Regression[] = [];
  for (const before of active) {
    const after = candidateByKey.get(key(before));
    const activeValue = before.value ?? null;
    const candidateValue = after?.value ?? null;
    const regression = (why: string) =>
      regressions.push({
        suite: before.suite,
        metric: before.metric,
        active: activeValue,
        candidate: candidateValue,
        why,
      });
    if (activeValue === null) continue;
    if (candidateValue === null || Number.isNaN(candidateValue)) {
      regression('the candidate did not report it');
      continue;
    }
    if (before.status === 'pass' && after?.status !== 'pass') {
      regression(`passes its threshold with the active version, fails with the candidate`);
      continue;
    }
    const worse =
      before.min !== undefined
        ? activeValue - candidateValue
        : before.max !== undefined
          ? candidateValue - activeValue
          : 0;
    if (worse > tolerance) regression(`worse by ${worse.toFixed(4)} (tolerance ${tolerance})`);
  }
  return { activate: regressions.length === 0, regressions, compared: active.length };
}
