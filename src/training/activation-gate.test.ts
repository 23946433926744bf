import { describe, expect, it } from 'vitest';
import {
  changedArtifacts,
  judgeCandidate,
  judgeRouterDev,
  ROUTER_DEV_SUITE,
  suitesForArtifacts,
  type ThresholdCheck,
  thresholdChecksOf,
} from './activation-gate.js';

const check = (
  metric: string,
  value: number | undefined,
  bounds: { min?: number; max?: number },
): ThresholdCheck => {
  const passes =
    value !== undefined &&
    (bounds.min === undefined || value >= bounds.min) &&
    (bounds.max === undefined || value <= bounds.max);
  return {
    suite: 'suite',
    metric,
    ...(value !== undefined && { value }),
    ...bounds,
    status: value === undefined ? 'missing' : passes ? 'pass' : 'fail',
  };
};

describe('activation gate', () => {
  it('when every figure holds or improves then the candidate is activated', () => {
    const active = [check('recall', 0.9, { min: 0.8 }), check('false_positives', 0.02, { max: 0.05 })];
    const candidate = [check('recall', 0.93, { min: 0.8 }), check('false_positives', 0.01, { max: 0.05 })];
    expect(judgeCandidate(active, candidate)).toEqual({ activate: true, regressions: [], compared: 2 });
  });

  it('when a maximum figure rises or a minimum figure falls beyond the tolerance then it is a regression', () => {
    const active = [check('recall', 0.9, { min: 0.8 }), check('false_positives', 0.02, { max: 0.05 })];
    const candidate = [check('recall', 0.896, { min: 0.8 }), check('false_positives', 0.04, { max: 0.05 })];
    const verdict = judgeCandidate(active, candidate, 0.005);
    expect(verdict.activate).toBe(false);
    expect(verdict.regressions.map((regression) => regression.metric)).toEqual(['false_positives']);
  });

  it('when the candidate fails a threshold the active version passes, or stops reporting a figure, then it is refused', () => {
    const active = [check('recall', 0.81, { min: 0.8 }), check('precision', 0.9, { min: 0.5 })];
    const candidate = [check('recall', 0.799, { min: 0.8 }), check('precision', undefined, { min: 0.5 })];
    const verdict = judgeCandidate(active, candidate, 0.01);
    expect(verdict.regressions.map((regression) => [regression.metric, regression.why])).toEqual([
      ['recall', 'passes its threshold with the active version, fails with the candidate'],
      ['precision', 'the candidate did not report it'],
    ]);
  });

  it('when an eval report is read then only thresholded checks are compared, named with their suite', () => {
    const report = {
      suites: [
        {
          name: 'intents',
          status: 'failed',
          checks: [
            { metric: 'router.accuracy', value: 0.9, min: 0.85, status: 'pass' },
            { metric: 'alternative.accuracy', value: 0.6, status: 'unchecked' },
          ],
        },
      ],
    };
    expect(thresholdChecksOf(report)).toEqual([
      { suite: 'intents', metric: 'router.accuracy', value: 0.9, min: 0.85, status: 'pass' },
    ]);
    expect(() => thresholdChecksOf({ suites: 'no' })).toThrow();
  });

  it('when a threshold already fails for the active version then only a worse figure is a regression', () => {
    const active = [check('recall', 0.6, { min: 0.85 })];
    expect(judgeCandidate(active, [check('recall', 0.598, { min: 0.85 })], 0.005).activate).toBe(true);
    expect(judgeCandidate(active, [check('recall', 0.58, { min: 0.85 })], 0.005).activate).toBe(false);
  });
});

describe('activation gate: the router’s own dev figures', () => {
  const figures = (measured: number, recorded: number) => ({
    measured: { 'banking77_dev.mapped_accuracy': measured },
    recorded: { 'banking77_dev.mapped_accuracy': recorded },
  });

  it('when the candidate reproduces its manifest and holds the active figure then nothing regresses', () => {
    expect(judgeRouterDev(figures(0.879, 0.879), figures(0.881, 0.881), 0.005)).toEqual({
      regressions: [],
      compared: 1,
    });
  });

  it('when the candidate measures 0.879 against the 0.954 the active manifest records then it is refused', () => {
    // The active version's manifest went stale (its routing code changed since): both measure
    // 0.879 today, and the drop is still reported against the recorded figure.
    const verdict = judgeRouterDev(figures(0.879, 0.954), figures(0.879, 0.879), 0.005);
    expect(verdict.regressions).toEqual([
      {
        suite: ROUTER_DEV_SUITE,
        metric: 'banking77_dev.mapped_accuracy',
        active: 0.954,
        candidate: 0.879,
        why: "below the active version's recorded 0.954 by 0.0750",
      },
    ]);
  });

  it('when the candidate measures less than its manifest records or than the active version then both are named', () => {
    const verdict = judgeRouterDev(figures(0.954, 0.954), figures(0.879, 0.954), 0.005);
    expect(verdict.regressions.map((regression) => regression.why)).toEqual([
      "the candidate's manifest records 0.954",
      'worse by 0.0750 (tolerance 0.005)',
      "below the active version's recorded 0.954 by 0.0750",
    ]);
  });
});

describe('activation gate: which suites run', () => {
  const artifact = (file: string, sha256: string) => ({ file, sha256 });

  it('when only the router changed then the suites that route run, and handoff, pii and retrieval do not', () => {
    const changed = changedArtifacts(
      [artifact('intent-router.json', 'a'), artifact('emotion.json', 'e')],
      [artifact('intent-router.json', 'b'), artifact('emotion.json', 'e')],
    );
    expect(changed).toEqual(['intent-router.json']);
    expect(suitesForArtifacts(changed)).toEqual([
      'intents',
      'tools',
      'answers',
      'security',
      'conversations',
      'needs',
      'scope',
    ]);
  });

  it('when an artifact the table does not know changed then every suite with thresholds runs', () => {
    expect(suitesForArtifacts(changedArtifacts([], [artifact('new-model.json', 'c')]))).toContain('pii');
    expect(suitesForArtifacts([])).toEqual([]);
  });
});
