import { describe, expect, it } from 'vitest';
import { judgeCandidate, type ThresholdCheck, thresholdChecksOf } from './activation-gate.js';

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
});
