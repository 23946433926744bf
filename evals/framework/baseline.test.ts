import { describe, expect, it } from 'vitest';
import { arrow, type ComparableRun, diffReports } from './baseline.js';

function run(createdAt: string, suites: ComparableRun['suites']): ComparableRun {
  return { createdAt, provenance: { gitCommit: 'abc123' }, suites };
}

const thresholds = [
  { metric: 'recall', min: 0.9 },
  { metric: 'false_positive_rate', max: 0.05 },
];

describe('diffReports', () => {
  const before = run('2026-01-01T00:00:00.000Z', [
    {
      name: 'pii',
      status: 'passed',
      metrics: { recall: 0.9, false_positive_rate: 0.02, precision: 0.8, old: 1 },
      checks: thresholds,
    },
    { name: 'intents', status: 'skipped', metrics: {} },
  ]);
  const after = run('2026-01-02T00:00:00.000Z', [
    {
      name: 'pii',
      status: 'passed',
      metrics: { recall: 0.95, false_positive_rate: 0.04, precision: 0.8, fresh: 2 },
      checks: thresholds,
    },
    { name: 'intents', status: 'passed', metrics: { accuracy: 0.9 } },
    { name: 'tools', status: 'passed', metrics: { accuracy: 1 } },
  ]);
  const diff = diffReports(after, before, 'evals/baseline.json');
  const byMetric = new Map(diff.deltas.map((delta) => [delta.metric, delta]));

  it('when a min-bounded metric rises then it is up and better', () => {
    expect(byMetric.get('recall')).toMatchObject({
      direction: 'up',
      improved: true,
      before: 0.9,
      after: 0.95,
    });
    expect(byMetric.get('recall')?.delta).toBeCloseTo(0.05);
  });

  it('when a max-bounded metric rises then it is up and worse', () => {
    expect(byMetric.get('false_positive_rate')).toMatchObject({ direction: 'up', improved: false });
  });

  it('when a metric has no threshold then the direction is shown without a judgement', () => {
    expect(byMetric.get('precision')).toEqual(expect.objectContaining({ direction: 'same', delta: 0 }));
    expect(byMetric.get('precision')).not.toHaveProperty('improved');
  });

  it('reports metrics that appeared or disappeared', () => {
    expect(byMetric.get('fresh')?.direction).toBe('added');
    expect(byMetric.get('old')?.direction).toBe('removed');
  });

  it('does not compare a suite skipped on one side, and lists suites new in this run', () => {
    expect(diff.deltas.some((delta) => delta.suite === 'intents')).toBe(false);
    expect(diff.newSuites).toEqual(['tools']);
    expect(diff.reference).toEqual({
      label: 'evals/baseline.json',
      createdAt: '2026-01-01T00:00:00.000Z',
      gitCommit: 'abc123',
    });
  });

  it('when a value could not be computed on one side then no delta is invented', () => {
    const withNull = diffReports(
      run('b', [{ name: 'pii', status: 'failed', metrics: { recall: null } }]),
      run('a', [{ name: 'pii', status: 'passed', metrics: { recall: 0.9 } }]),
      'previous',
    );
    expect(withNull.deltas[0]).not.toHaveProperty('delta');
  });

  it('when the runs used a different seed or mode then says the deltas may not be comparable', () => {
    const fast = { createdAt: 'b', provenance: { seed: 7, fast: true }, suites: [] };
    const full = { createdAt: 'a', provenance: { seed: 8, fast: false }, suites: [] };
    expect(diffReports(fast, full, 'previous').caveats).toEqual([
      'this run used the fast subset, the reference the full suites',
      'this run used seed 7, the reference seed 8',
    ]);
    expect(diff.caveats).toEqual([]);
  });

  it('draws arrows for each direction', () => {
    expect([arrow('up'), arrow('down'), arrow('same')]).toEqual(['↑', '↓', '=']);
  });
});
