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

/**
 * The eval suites whose thresholded figures depend on each artifact of a models version. A suite
 * is listed when it scores the artifact directly or through Teller built by the composition root:
 * the router decides tools, topics, clarification and refusals, so every whole-pipeline suite
 * depends on it; `handoff` replays scripted confidences and reads the emotion model, not the
 * router. `pii` and `retrieval` read no model of the folder; `answer-selection` has no thresholds.
 */
export const SUITES_BY_ARTIFACT: Readonly<Record<string, readonly string[]>> = {
  'intent-router.json': ['intents', 'tools', 'scope', 'needs', 'answers', 'conversations', 'security'],
  'out-of-scope.json': ['guardrails', 'scope', 'needs', 'answers', 'conversations', 'security'],
  'emotion.json': ['handoff', 'conversations'],
};

/** Every suite with thresholds (`evals/thresholds.yaml`), for an artifact the table does not know. */
const EVERY_SUITE_WITH_THRESHOLDS = [
  'pii',
  'retrieval',
  'intents',
  'tools',
  'guardrails',
  'handoff',
  'answers',
  'security',
  'conversations',
  'needs',
  'scope',
] as const;

/** The artifacts whose hash differs between two manifests' artifact lists (or exist in one only). */
export function changedArtifacts(
  active: ReadonlyArray<{ readonly file: string; readonly sha256: string }>,
  candidate: ReadonlyArray<{ readonly file: string; readonly sha256: string }>,
): string[] {
  const files = new Set([...active, ...candidate].map((artifact) => artifact.file));
  const hashOf = (list: typeof active, file: string) =>
    list.find((artifact) => artifact.file === file)?.sha256;
  return [...files].filter((file) => hashOf(active, file) !== hashOf(candidate, file)).sort();
}

/** The suites a gate runs for the changed artifacts, in the order of `evals/thresholds.yaml`. */
export function suitesForArtifacts(changed: readonly string[]): string[] {
  const wanted = new Set(
    changed.flatMap((file) => SUITES_BY_ARTIFACT[file] ?? [...EVERY_SUITE_WITH_THRESHOLDS]),
  );
  return EVERY_SUITE_WITH_THRESHOLDS.filter((suite) => wanted.has(suite));
}

/** The router's dev figures of one version: measured today, and as its manifest records them. */
export interface RouterDevFigures {
  readonly measured: Readonly<Record<string, number>>;
  readonly recorded: Readonly<Record<string, number>>;
}

/** The name under which the router's own dev figures appear among regressions. */
export const ROUTER_DEV_SUITE = 'router-dev';

/**
 * The router's own dev figures, judged whatever suites run (and with `--fast`): every figure is
 * measured on its whole dev set for both versions with today's code. The candidate is refused
 * when a figure it records is not what it measures (it was trained with other code or data),
 * when a figure falls more than `tolerance` below the active version's measured figure, or below
 * the figure the active version's manifest records (so a manifest that went stale cannot hide a
 * drop). Figures measured for one version only (an agent-labelled slice the active version never
 * recorded) are compared on what both measure.
 */
export function judgeRouterDev(
  active: RouterDevFigures,
  candidate: RouterDevFigures,
  tolerance: number,
): { readonly regressions: Regression[]; readonly compared: number } {
  const regressions: Regression[] = [];
  let compared = 0;
  const regression = (metric: string, activeValue: number | null, candidateValue: number, why: string) =>
    regressions.push({
      suite: ROUTER_DEV_SUITE,
      metric,
      active: activeValue,
      candidate: candidateValue,
      why,
    });
  for (const [metric, value] of Object.entries(candidate.measured)) {
    compared += 1;
    const recorded = candidate.recorded[metric];
    if (recorded !== undefined && recorded !== value)
      regression(
        metric,
        active.measured[metric] ?? null,
        value,
        `the candidate's manifest records ${recorded}`,
      );
    const activeMeasured = active.measured[metric];
    if (activeMeasured !== undefined && activeMeasured - value > tolerance)
      regression(
        metric,
        activeMeasured,
        value,
        `worse by ${(activeMeasured - value).toFixed(4)} (tolerance ${tolerance})`,
      );
    const activeRecorded = active.recorded[metric];
    if (activeRecorded !== undefined && activeRecorded - value > tolerance)
      regression(
        metric,
        activeRecorded,
        value,
        `below the active version's recorded ${activeRecorded} by ${(activeRecorded - value).toFixed(4)}`,
      );
  }
  return { regressions, compared };
}
