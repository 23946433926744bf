import { describe, expect, it } from 'vitest';
import type { SuiteReport } from './report.js';
import { createProgressDisplay, formatSuiteBlock } from './terminal-report.js';

function suite(overrides: Partial<SuiteReport>): SuiteReport {
  return {
    name: 'intents',
    description: '',
    status: 'failed',
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1234,
    metrics: {},
    checks: [],
    failureCount: 0,
    failures: [],
    tables: [],
    provenance: {},
    datasets: [],
    ...overrides,
  };
}

describe('createProgressDisplay without a terminal', () => {
  it('prints one plain line per 10% step instead of redrawing a bar', () => {
    let output = '';
    const progress = createProgressDisplay({ write: (text: string) => (output += text), isTTY: false });
    progress.start('pii');
    for (let done = 0; done <= 200; done++) progress.update(done, 200);
    progress.log('loaded 200 cases');
    progress.stop();
    const lines = output.trim().split('\n');
    expect(lines[0]).toBe('pii: started');
    expect(lines.filter((line) => line.includes('%'))).toHaveLength(11);
    expect(lines).toContain('pii: 200/200 (100%)');
    expect(output).not.toContain('\u001b[');
    expect(lines.at(-1)).toBe('  loaded 200 cases');
  });
});

describe('formatSuiteBlock', () => {
  it('shows metric, value, threshold and result, with missing metrics as failures', () => {
    const block = formatSuiteBlock(
      suite({
        checks: [
          { metric: 'accuracy', value: 0.91, min: 0.9, status: 'pass' },
          { metric: 'macro_f1', min: 0.8, status: 'missing' },
          { metric: 'oos.recall', value: 0.5, max: 0.4, status: 'fail' },
        ],
      }),
    );
    expect(block).toContain('== intents: FAILED (1.2 s)');
    expect(block).toMatch(/accuracy\s+0\.9100\s+≥ 0\.9\s+pass/);
    expect(block).toMatch(/macro_f1\s+—\s+≥ 0\.8\s+FAIL \(missing metric\)/);
    expect(block).toMatch(/oos\.recall\s+0\.5000\s+≤ 0\.4\s+FAIL/);
  });

  it('keeps the table compact when a suite reports many metrics without thresholds', () => {
    const many = Array.from({ length: 40 }, (_, index) => ({
      metric: `class_${index}.f1`,
      value: 0.5,
      status: 'unchecked' as const,
    }));
    const block = formatSuiteBlock(
      suite({
        status: 'passed',
        checks: [{ metric: 'accuracy', value: 0.95, min: 0.9, status: 'pass' }, ...many],
      }),
    );
    expect(block).toContain('accuracy');
    expect(block).not.toContain('class_3.f1');
    expect(block).toContain('+ 40 metrics without a threshold');
  });

  it('says why a suite was skipped', () => {
    expect(formatSuiteBlock(suite({ status: 'skipped', skipped: 'dataset banking77 absent' }))).toContain(
      'skipped: dataset banking77 absent',
    );
  });
});
