/**
 * Renders an eval report as one self-contained HTML page: no scripts, no external assets, plain
 * semantic markup (captioned tables, headers with scope, status in words as well as colour) so
 * it reads well in a browser, a screen reader or a CI artifact viewer. Every piece of text from a
 * suite is escaped: failure inputs are attack strings by design.
 */
import { arrow, type MetricDelta, type ReportDiff } from './baseline.js';
import type { EvalReport, SuiteReport } from './report.js';
import type { MetricCheck } from './thresholds.js';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] as string);
}

/** A metric value for display: 4 significant decimals, or "n/a" for a value that could not be computed. */
export function formatMetric(value: number | null | undefined): string {
  if (value === undefined) return '—';
  if (value === null || Number.isNaN(value)) return 'n/a';
  return Number.isInteger(value) ? String(value) : value.toFixed(4);
}

/** The bounds of a check as text, e.g. `≥ 0.9`, `≤ 0.05`, `0.2 – 0.8`. */
export function formatBounds(check: Pick<MetricCheck, 'min' | 'max'>): string {
  if (check.min !== undefined && check.max !== undefined) return `${check.min} – ${check.max}`;
  if (check.min !== undefined) return `≥ ${check.min}`;
  if (check.max !== undefined) return `≤ ${check.max}`;
  return '';
}

const STATUS_WORDS: Record<string, string> = {
  pass: 'pass',
  fail: 'FAIL',
  missing: 'FAIL (missing)',
  unchecked: 'no threshold',
  passed: 'passed',
  failed: 'FAILED',
  skipped: 'skipped',
  error: 'ERROR',
};

function statusBadge(status: string): string {
  return `<span class="status status-${escapeHtml(status)}">${escapeHtml(STATUS_WORDS[status] ?? status)}</span>`;
}

function table(
  caption: string,
  headers: readonly string[],
  rows: readonly string[][],
  rawCells = false,
): string {
  const head = headers.map((header) => `<th scope="col">${escapeHtml(header)}</th>`).join('');
  const body = rows
    .map((row) => `<tr>${row.map((cell) => `<td>${rawCells ? cell : escapeHtml(cell)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table>\n<caption>${escapeHtml(caption)}</caption>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function renderChecks(suite: SuiteReport): string {
  if (suite.checks.length === 0) return '<p>No metrics reported.</p>';
  const rows = suite.checks.map((check) => [
    escapeHtml(check.metric),
    escapeHtml(check.status === 'missing' ? 'not reported' : formatMetric(check.value)),
    escapeHtml(formatBounds(check)),
    statusBadge(check.status),
  ]);
  return table(`Metrics of ${suite.name}`, ['Metric', 'Value', 'Threshold', 'Result'], rows, true);
}

function renderFailures(suite: SuiteReport): string {
  if (suite.failureCount === 0) return '';
  const shown = suite.failures.length < suite.failureCount ? ` (first ${suite.failures.length} shown)` : '';
  const items = suite.failures
    .map((failure) => {
      const fields = [
        failure.input !== undefined ? ['Input', failure.input] : undefined,
        ['Expected', failure.expected],
        ['Actual', failure.actual],
        failure.note !== undefined ? ['Note', failure.note] : undefined,
      ].filter((field): field is string[] => field !== undefined);
      const definitions = fields
        .map(
          ([term, value]) =>
            `<dt>${escapeHtml(term as string)}</dt><dd><pre>${escapeHtml(value as string)}</pre></dd>`,
        )
        .join('');
      return `<li><details><summary>${escapeHtml(failure.id)}</summary><dl>${definitions}</dl></details></li>`;
    })
    .join('\n');
  return `<h3>Failing cases: ${suite.failureCount}${escapeHtml(shown)}</h3>\n<ol class="failures">\n${items}\n</ol>`;
}

function renderSuite(suite: SuiteReport, deltas: readonly MetricDelta[]): string {
  const parts = [
    `<section aria-labelledby="suite-${escapeHtml(suite.name)}">`,
    `<h2 id="suite-${escapeHtml(suite.name)}">${escapeHtml(suite.name)} ${statusBadge(suite.status)}</h2>`,
    `<p>${escapeHtml(suite.description)} <span class="muted">(${(suite.durationMs / 1000).toFixed(1)} s)</span></p>`,
  ];
  if (suite.skipped !== undefined)
    parts.push(`<p class="notice"><strong>Skipped:</strong> ${escapeHtml(suite.skipped)}</p>`);
  if (suite.error !== undefined)
    parts.push(`<p class="notice"><strong>Error:</strong></p><pre>${escapeHtml(suite.error)}</pre>`);
  if (suite.skipped === undefined) parts.push(renderChecks(suite));
  if (deltas.length > 0) parts.push(renderDeltas(`Change of ${suite.name} since the reference run`, deltas));
  for (const extra of suite.tables) {
    parts.push(
      table(
        extra.title,
        extra.columns,
        extra.rows.map((row) => row.map((cell) => String(cell))),
      ),
    );
  }
  parts.push(renderFailures(suite));
  const provenance = [
    ...Object.entries(suite.provenance).map(([key, value]) => [key, value]),
    ...suite.datasets.map((dataset) => [
      `dataset ${dataset.name}`,
      `${dataset.files.length} files, ${dataset.files.reduce((sum, file) => sum + file.bytes, 0)} bytes, sha256 ${dataset.sha256.slice(0, 16)}`,
    ]),
  ];
  if (provenance.length > 0) parts.push(table(`Provenance of ${suite.name}`, ['Item', 'Value'], provenance));
  parts.push('</section>');
  return parts.filter((part) => part !== '').join('\n');
}

function renderDeltas(caption: string, deltas: readonly MetricDelta[]): string {
  const rows = deltas.map((delta) => {
    const change =
      delta.delta !== undefined
        ? `${delta.delta >= 0 ? '+' : ''}${delta.delta.toFixed(4)}`
        : delta.direction === 'same'
          ? ''
          : delta.direction;
    const judgement = delta.improved === undefined ? '' : delta.improved ? ' (better)' : ' (worse)';
    const marker = `<span class="delta delta-${delta.improved === undefined ? 'neutral' : delta.improved ? 'better' : 'worse'}" aria-label="${escapeHtml(delta.direction)}">${arrow(delta.direction)}</span>`;
    return [
      escapeHtml(delta.metric),
      escapeHtml(formatMetric(delta.before)),
      escapeHtml(formatMetric(delta.after)),
      `${marker} ${escapeHtml(change + judgement)}`,
    ];
  });
  return table(caption, ['Metric', 'Before', 'After', 'Change'], rows, true);
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;line-height:1.5;margin:0 auto;max-width:72rem;padding:1rem 1.5rem;color:#1b1b1b;background:#fff}
h1{font-size:1.6rem}h2{font-size:1.3rem;margin-top:2.5rem;border-top:1px solid #ccc;padding-top:1rem}h3{font-size:1.05rem}
table{border-collapse:collapse;margin:1rem 0;width:100%}caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f0f0f0}
pre{white-space:pre-wrap;word-break:break-word;margin:0;font-size:.9rem}
.status{font-weight:700;padding:0 .35rem;border-radius:.2rem}
.status-pass,.status-passed{color:#0a5c1f;background:#e3f4e6}.status-fail,.status-failed,.status-missing,.status-error{color:#8a0c0c;background:#fbe4e4}
.status-skipped,.status-unchecked{color:#5a4a00;background:#fbf3d0}
.delta-better{color:#0a5c1f}.delta-worse{color:#8a0c0c}.muted{color:#555}.notice{background:#fbf3d0;padding:.5rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem .75rem}dt{font-weight:600}dd{margin:0}
summary{cursor:pointer}a{color:#0645ad}
`;

/** Renders the whole report; `diff` adds the comparison with a previous run or baseline. */
export function renderHtmlReport(report: EvalReport, diff?: ReportDiff): string {
  const provenance = report.provenance;
  const summaryRows = report.suites.map((suite) => [
    `<a href="#suite-${escapeHtml(suite.name)}">${escapeHtml(suite.name)}</a>`,
    statusBadge(suite.status),
    escapeHtml(
      String(suite.checks.filter((check) => check.status === 'fail' || check.status === 'missing').length),
    ),
    escapeHtml(String(suite.failureCount)),
    escapeHtml(`${(suite.durationMs / 1000).toFixed(1)} s`),
  ]);
  const runRows = [
    ['Command', report.command],
    [
      'Git commit',
      provenance.gitCommit
        ? `${provenance.gitCommit}${provenance.gitDirty ? ' (with uncommitted changes)' : ''}`
        : 'unknown',
    ],
    ['Node', provenance.node],
    ['Platform', provenance.platform],
    ['Seed', String(provenance.seed)],
    ['Mode', provenance.fast ? 'fast subset' : 'full'],
    ['Target', provenance.target ?? 'in-process'],
    ['Datasets directory', provenance.datasetsDir ?? 'absent'],
    [
      'Knowledge documents',
      `${provenance.knowledge.documents.count} files, sha256 ${provenance.knowledge.documents.sha256.slice(0, 16)}`,
    ],
    [
      'Policies',
      `${provenance.knowledge.policies.count} files, sha256 ${provenance.knowledge.policies.sha256.slice(0, 16)}`,
    ],
    ['Total time', `${(report.timings.totalMs / 1000).toFixed(1)} s`],
  ];
  const deltasBySuite = new Map<string, MetricDelta[]>();
  for (const delta of diff?.deltas ?? [])
    deltasBySuite.set(delta.suite, [...(deltasBySuite.get(delta.suite) ?? []), delta]);
  const comparison = diff
    ? `<p>Compared with <strong>${escapeHtml(diff.reference.label)}</strong> from ${escapeHtml(diff.reference.createdAt)}${
        diff.reference.gitCommit ? ` (commit ${escapeHtml(diff.reference.gitCommit.slice(0, 12))})` : ''
      }: ${diff.deltas.filter((delta) => delta.improved === false).length} metric(s) worse, ${
        diff.deltas.filter((delta) => delta.improved === true).length
      } better.</p>${diff.caveats.map((caveat) => `<p class="notice">Note: ${escapeHtml(caveat)}, so deltas may not mean a change.</p>`).join('')}`
    : '<p>No earlier run to compare with.</p>';
  const versions = [...provenance.knowledge.documents.versions, ...provenance.knowledge.policies.versions];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Teller eval report ${escapeHtml(report.createdAt)}: ${report.passed ? 'passed' : 'FAILED'}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>Teller eval report: ${statusBadge(report.passed ? 'passed' : 'failed')}</h1>
<p>Run at ${escapeHtml(report.createdAt)}.</p>
${comparison}
${table('Suites', ['Suite', 'Result', 'Threshold failures', 'Failing cases', 'Time'], summaryRows, true)}
${table('Run', ['Item', 'Value'], runRows)}
${versions.length > 0 ? `<details><summary>Knowledge versions (${versions.length})</summary><ul>${versions.map((version) => `<li>${escapeHtml(version)}</li>`).join('')}</ul></details>` : ''}
${report.suites.map((suite) => renderSuite(suite, deltasBySuite.get(suite.name) ?? [])).join('\n')}
</main>
</body>
</html>
`;
}
