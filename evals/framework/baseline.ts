/**
 * Compares a run with an earlier one (the previous run or a committed baseline) metric by metric,
 * so a regression shows up as a signed delta even when every threshold still passes.
 */

/** What a diff reads from either side: a full report, a baseline file or a parsed older report. */
export interface ComparableRun {
  readonly createdAt: string;
  readonly provenance?: { readonly gitCommit?: string; readonly seed?: number; readonly fast?: boolean };
  readonly suites: ReadonlyArray<{
    readonly name: string;
    readonly status: string;
    readonly metrics: Readonly<Record<string, number | null>>;
    readonly checks?: ReadonlyArray<{
      readonly metric: string;
      readonly min?: number;
      readonly max?: number;
    }>;
  }>;
}

/** How a metric moved; `added`/`removed` when it exists on one side only. */
export type DeltaDirection = 'up' | 'down' | 'same' | 'added' | 'removed';

export interface MetricDelta {
  readonly suite: string;
  readonly metric: string;
  readonly before?: number | null;
  readonly after?: number | null;
  /** `after - before` when both are numbers. */
  readonly delta?: number;
  readonly direction: DeltaDirection;
  /**
   * Whether the move is an improvement, judged by the metric's threshold (`min` → higher is
   * better, `max` → lower is better). Undefined when the metric has no threshold or did not move.
   */
  readonly improved?: boolean;
}

export interface ReportDiff {
  /** What the run was compared with: a file name and its creation time. */
  readonly reference: { readonly label: string; readonly createdAt: string; readonly gitCommit?: string };
  readonly deltas: readonly MetricDelta[];
  /** Suites present in the current run only (never compared). */
  readonly newSuites: readonly string[];
  /** Why the two runs may not be comparable (a different seed, fast subset against full run). */
  readonly caveats: readonly string[];
}

/** Changes smaller than this are reported as `same`, so float noise does not read as a trend. */
const EPSILON = 1e-9;

/**
 * Diffs two reports. Only suites that produced metrics in both are compared metric by metric;
 * a suite skipped on either side is left out rather than reported as all metrics removed.
 */
export function diffReports(current: ComparableRun, reference: ComparableRun, label: string): ReportDiff {
  const before = new Map(reference.suites.map((suite) => [suite.name, suite]));
  const deltas: MetricDelta[] = [];
  const newSuites: string[] = [];
  for (const suite of current.suites) {
    const earlier = before.get(suite.name);
    if (!earlier) {
      newSuites.push(suite.name);
      continue;
    }
    if (suite.status === 'skipped' || earlier.status === 'skipped') continue;
    const bounds = new Map((suite.checks ?? []).map((check) => [check.metric, check]));
    const metrics = new Set([...Object.keys(earlier.metrics), ...Object.keys(suite.metrics)]);
    for (const metric of [...metrics].sort()) {
      const beforeValue = earlier.metrics[metric];
      const afterValue = suite.metrics[metric];
      if (beforeValue === undefined) {
        deltas.push({ suite: suite.name, metric, after: afterValue, direction: 'added' });
        continue;
      }
      if (afterValue === undefined) {
        deltas.push({ suite: suite.name, metric, before: beforeValue, direction: 'removed' });
        continue;
      }
      if (beforeValue === null || afterValue === null) {
        deltas.push({ suite: suite.name, metric, before: beforeValue, after: afterValue, direction: 'same' });
        continue;
      }
      const delta = afterValue - beforeValue;
      const direction: DeltaDirection = Math.abs(delta) <= EPSILON ? 'same' : delta > 0 ? 'up' : 'down';
      const bound = bounds.get(metric);
      const higherIsBetter = bound?.min !== undefined ? true : bound?.max !== undefined ? false : undefined;
      deltas.push({
        suite: suite.name,
        metric,
        before: beforeValue,
        after: afterValue,
        delta,
        direction,
        ...(direction !== 'same' &&
          higherIsBetter !== undefined && { improved: (direction === 'up') === higherIsBetter }),
      });
    }
  }
  const caveats: string[] = [];
  const mode = (fast: boolean | undefined) => (fast ? 'the fast subset' : 'the full suites');
  if (current.provenance?.fast !== undefined && reference.provenance?.fast !== undefined) {
    if (current.provenance.fast !== reference.provenance.fast) {
      caveats.push(
        `this run used ${mode(current.provenance.fast)}, the reference ${mode(reference.provenance.fast)}`,
      );
    }
  }
  if (current.provenance?.seed !== undefined && reference.provenance?.seed !== undefined) {
    if (current.provenance.seed !== reference.provenance.seed) {
      caveats.push(
        `this run used seed ${current.provenance.seed}, the reference seed ${reference.provenance.seed}`,
      );
    }
  }
  return {
    caveats,
    reference: {
      label,
      createdAt: reference.createdAt,
      ...(reference.provenance?.gitCommit && { gitCommit: reference.provenance.gitCommit }),
    },
    deltas,
    newSuites,
  };
}

/** The arrow shown beside a delta. */
export function arrow(direction: DeltaDirection): string {
  switch (direction) {
    case 'up':
      return '↑';
    case 'down':
      return '↓';
    case 'same':
      return '=';
    case 'added':
      return '+';
    case 'removed':
      return '−';
  }
}
