import { describe, expect, it } from 'vitest';
import { diffReports } from './baseline.js';
import { escapeHtml, renderHtmlReport } from './html-report.js';
import type { EvalReport, SuiteReport } from './report.js';

const emptyKnowledge = { count: 0, sha256: '0'.repeat(64), versions: [] };

function report(suites: SuiteReport[], createdAt = '2026-01-02T00:00:00.000Z'): EvalReport {
  return {
    schemaVersion: 1,
    createdAt,
    command: 'npm run eval -- guardrails',
    passed: false,
    provenance: {
      gitCommit: 'f'.repeat(40),
      gitDirty: false,
      node: 'v20.0.0',
      platform: 'linux x64',
      seed: 7,
      fast: false,
      knowledge: {
        documents: { ...emptyKnowledge, versions: ['fees-tariff@3.0'] },
        policies: emptyKnowledge,
      },
    },
    timings: { totalMs: 1200 },
    suites,
  };
}

const attack = '<script>alert("x")</script><img src=x onerror=alert(1)>';
const guardrails: SuiteReport = {
  name: 'guardrails',
  description: 'Injection & jailbreak detection',
  status: 'failed',
  startedAt: '2026-01-02T00:00:00.000Z',
  durationMs: 1500,
  metrics: { recall: 0.8 },
  checks: [{ metric: 'recall', value: 0.8, min: 0.9, status: 'fail' }],
  failureCount: 1,
  failures: [
    {
      id: 'case-"1"',
      input: attack,
      expected: 'refusal',
      actual: `answer: ${attack}`,
      note: "it's </pre> here",
    },
  ],
  tables: [{ title: 'By source <b>', columns: ['source', 'recall'], rows: [['<i>deepset</i>', 0.8]] }],
  provenance: { model: 'injection-model.json <v1>' },
  datasets: [],
};

describe('escapeHtml', () => {
  it('escapes every character that could open markup or break out of an attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});

describe('renderHtmlReport', () => {
  const html = renderHtmlReport(report([guardrails]));

  it('when a failure contains a script tag then it appears escaped, never as markup', () => {
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).not.toContain('</pre> here');
    expect(html).not.toContain('<i>deepset</i>');
    expect(html).not.toContain('<b>');
  });

  it('is self-contained and accessible: language, title, captions, header scopes, no external assets', () => {
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain('<title>');
    expect(html).toContain('<caption>Metrics of guardrails</caption>');
    expect(html).toContain('<th scope="col">Threshold</th>');
    expect(html).not.toMatch(/<(script|link)\b/);
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('shows the verdict in words and the metric against its threshold', () => {
    expect(html).toContain('>FAIL<');
    expect(html).toContain('≥ 0.9');
    expect(html).toContain('fees-tariff@3.0');
  });

  it('when given a diff then shows deltas with arrows', () => {
    const before = report([{ ...guardrails, metrics: { recall: 0.85 } }], '2026-01-01T00:00:00.000Z');
    const current = report([guardrails]);
    const withDiff = renderHtmlReport(current, diffReports(current, before, 'evals/baseline.json'));
    expect(withDiff).toContain('Compared with <strong>evals/baseline.json</strong>');
    expect(withDiff).toMatch(/↓<\/span> -0\.0500 \(worse\)/);
  });
});
