import { describe, expect, it } from 'vitest';
import { judgeSuite, parseThresholds, ThresholdsFileError } from './thresholds.js';
import type { SuiteResult } from './types.js';

const thresholds = parseThresholds(`
pii:
  recall: { min: 0.9 }
  false_positive_rate: { max: 0.05 }
retrieval: {}
intents:
`);

function result(metrics: Record<string, number>, extra: Partial<SuiteResult> = {}): { result: SuiteResult } {
  return { result: { metrics, failures: [], ...extra } };
}

describe('parseThresholds', () => {
  it('reads empty and null suites as having no thresholds', () => {
    expect(thresholds.retrieval).toEqual({});
    expect(thresholds.intents).toEqual({});
    expect(thresholds.pii?.recall).toEqual({ min: 0.9 });
  });

  it('when a bound is misspelt then fails with the path and the expected shape', () => {
    expect(() => parseThresholds('pii:\n  recall: { minimum: 0.9 }\n')).toThrow(ThresholdsFileError);
    expect(() => parseThresholds('pii:\n  recall: { minimum: 0.9 }\n')).toThrow(/pii\.recall/);
  });

  it('when a threshold has neither min nor max, or min above max, then fails', () => {
    expect(() => parseThresholds('pii:\n  recall: {}\n')).toThrow(/min/);
    expect(() => parseThresholds('pii:\n  recall: { min: 0.9, max: 0.1 }\n')).toThrow(/must not exceed/);
  });

  it('when the YAML is broken then says so', () => {
    expect(() => parseThresholds('pii: [\n')).toThrow(/not valid YAML/);
  });
});

describe('judgeSuite', () => {
  it('when every bound holds then passes and lists unthresholded metrics as unchecked', () => {
    const verdict = judgeSuite(
      'pii',
      result({ recall: 0.95, false_positive_rate: 0.01, precision: 0.7 }),
      thresholds,
    );
    expect(verdict.status).toBe('passed');
    expect(verdict.failsRun).toBe(false);
    expect(verdict.checks.map((check) => [check.metric, check.status])).toEqual([
      ['recall', 'pass'],
      ['false_positive_rate', 'pass'],
      ['precision', 'unchecked'],
    ]);
  });

  it('when a min or max is crossed then fails', () => {
    expect(judgeSuite('pii', result({ recall: 0.89, false_positive_rate: 0.01 }), thresholds).status).toBe(
      'failed',
    );
    expect(judgeSuite('pii', result({ recall: 0.95, false_positive_rate: 0.06 }), thresholds).failsRun).toBe(
      true,
    );
  });

  it('treats a value exactly on the bound as passing', () => {
    expect(judgeSuite('pii', result({ recall: 0.9, false_positive_rate: 0.05 }), thresholds).status).toBe(
      'passed',
    );
  });

  it('when a thresholded metric is not reported then fails as missing', () => {
    const verdict = judgeSuite('pii', result({ recall: 0.95, fpr: 0.01 }), thresholds);
    expect(verdict.status).toBe('failed');
    expect(verdict.checks.find((check) => check.metric === 'false_positive_rate')?.status).toBe('missing');
  });

  it('when a metric is NaN then fails rather than passing silently', () => {
    expect(judgeSuite('pii', result({ recall: Number.NaN, false_positive_rate: 0 }), thresholds).status).toBe(
      'failed',
    );
  });

  it('when the suite skipped then reports skipped without failing, unless datasets are required', () => {
    const skipped = result({}, { skipped: 'dataset presidio_research_pii absent' });
    expect(judgeSuite('pii', skipped, thresholds)).toEqual({
      status: 'skipped',
      checks: [],
      failsRun: false,
    });
    expect(judgeSuite('pii', skipped, thresholds, { requireDatasets: true }).failsRun).toBe(true);
  });

  it('when the suite threw then it is an error that fails the run', () => {
    const verdict = judgeSuite('pii', { error: 'boom' }, thresholds);
    expect(verdict.status).toBe('error');
    expect(verdict.failsRun).toBe(true);
  });

  it('when a suite has no thresholds then any result passes', () => {
    expect(judgeSuite('retrieval', result({ 'hybrid.recall@5': 0.1 }), thresholds).status).toBe('passed');
    expect(judgeSuite('unknown-suite', result({}), thresholds).status).toBe('passed');
  });
});
