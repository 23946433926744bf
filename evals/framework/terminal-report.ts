/**
 * What `npm run eval` prints: a progress bar per suite (plain progress lines when stdout is not a
 * terminal, e.g. in CI logs), then a compact metric table per suite and a final summary.
 */
import cliProgress from 'cli-progress';
import { arrow, type ReportDiff } from './baseline.js';
import { formatBounds, formatMetric } from './html-report.js';
import type { EvalReport, SuiteReport } from './report.js';

/** Where output goes; `process.stdout` in the CLI, a recording buffer in tests. */
export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** Progress display for one suite at a time. */
export interface ProgressDisplay {
  start(suiteName: string): void;
  update(done: number, total: number): void;
  log(line: string): void;
  stop(): void;
}

/**
 * Creates the progress display: an animated bar on a terminal, and on anything else one line
 * per 10% step so CI logs stay short and readable.
 */
export function createProgressDisplay(stream: OutputStream): ProgressDisplay {
  return stream.isTTY ? createTerminalBar(stream) : createPlainProgress(stream);
}

function createTerminalBar(stream: OutputStream): ProgressDisplay {
  let bars: cliProgress.MultiBar | undefined;
  let bar: cliProgress.SingleBar | undefined;
  let name = '';
  return {
    start(suiteName) {
      name = suiteName;
      bars = new cliProgress.MultiBar(
        {
          stream: stream as NodeJS.WritableStream,
          format: '{suite} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}',
          hideCursor: true,
          clearOnComplete: true,
          barsize: 30,
        },
        cliProgress.Presets.shades_classic,
      );
    },
    update(done, total) {
      if (!bars) return;
      if (!bar) bar = bars.create(total, done, { suite: name.padEnd(12) });
      bar.setTotal(total);
      bar.update(done, { suite: name.padEnd(12) });
    },
    log(line) {
      if (bars && bar) {
        bars.log(`  ${line}\n`);
        // Flush now: lines buffered at the end of a suite would otherwise vanish with the bar.
        bars.update();
      } else stream.write(`  ${line}\n`);
    },
    stop() {
      bars?.stop();
      bars = undefined;
      bar = undefined;
    },
  };
}

function createPlainProgress(stream: OutputStream): ProgressDisplay {
  let name = '';
  let lastStep = -1;
  return {
    start(suiteName) {
      name = suiteName;
      lastStep = -1;
      stream.write(`${name}: started\n`);
    },
    update(done, total) {
      if (total <= 0) return;
      const step = Math.floor((Math.min(done, total) / total) * 10);
      if (step === lastStep) return;
      lastStep = step;
      stream.write(`${name}: ${done}/${total} (${step * 10}%)\n`);
    },
    log(line) {
      stream.write(`  ${line}\n`);
    },
    stop() {},
  };
}

/** Informational metrics printed in full up to this many; beyond, only a count. */
const MAX_INFORMATIONAL_LINES = 12;

const RESULT_WORDS = { pass: 'pass', fail: 'FAIL', missing: 'FAIL (missing metric)', unchecked: '' } as const;

function alignColumns(rows: readonly (readonly string[])[]): string[] {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

/** The block printed for one suite: header, metric table, tables the suite added, failure count. */
export function formatSuiteBlock(suite: SuiteReport): string {
  const lines = [
    `\n== ${suite.name}: ${suite.status.toUpperCase()} (${(suite.durationMs / 1000).toFixed(1)} s)`,
  ];
  if (suite.skipped !== undefined) lines.push(`  skipped: ${suite.skipped}`);
  if (suite.error !== undefined) lines.push(`  error: ${suite.error.split('\n').slice(0, 6).join('\n    ')}`);
  // Thresholded metrics always show; a long tail of informational metrics is left to the HTML report.
  const thresholded = suite.checks.filter((check) => check.status !== 'unchecked');
  const informational = suite.checks.filter((check) => check.status === 'unchecked');
  const shown = informational.length <= MAX_INFORMATIONAL_LINES ? suite.checks : thresholded;
  if (shown.length > 0) {
    const rows = [
      ['metric', 'value', 'threshold', 'result'],
      ...shown.map((check) => [
        check.metric,
        check.status === 'missing' ? '—' : formatMetric(check.value),
        formatBounds(check),
        RESULT_WORDS[check.status],
      ]),
    ];
    lines.push(...alignColumns(rows).map((line) => `  ${line}`));
  }
  if (shown.length < suite.checks.length) {
    lines.push(`  + ${informational.length} metrics without a threshold (see the HTML report)`);
  }
  for (const table of suite.tables) {
    lines.push(`  ${table.title}`);
    const rows = [table.columns, ...table.rows.map((row) => row.map((cell) => String(cell)))];
    lines.push(...alignColumns(rows).map((line) => `    ${line}`));
  }
  if (suite.failureCount > 0) lines.push(`  ${suite.failureCount} failing case(s): see the HTML report`);
  return `${lines.join('\n')}\n`;
}

/** The final summary: one line per suite, regressions against the reference, overall verdict. */
export function formatSummary(
  report: EvalReport,
  diff: ReportDiff | undefined,
  files: readonly string[],
): string {
  const lines = ['\nSummary'];
  for (const suite of report.suites) {
    const failing = suite.checks.filter(
      (check) => check.status === 'fail' || check.status === 'missing',
    ).length;
    const detail =
      suite.status === 'skipped'
        ? `skipped (${suite.skipped})`
        : suite.status === 'error'
          ? 'error'
          : `${suite.checks.filter((check) => check.status === 'pass').length} pass, ${failing} fail`;
    lines.push(
      `  ${suite.status === 'passed' ? 'ok  ' : suite.status === 'skipped' ? 'skip' : 'FAIL'}  ${suite.name.padEnd(14)} ${detail}`,
    );
  }
  if (diff) {
    const worse = diff.deltas.filter((delta) => delta.improved === false);
    lines.push(
      `  compared with ${diff.reference.label} (${diff.reference.createdAt}): ${worse.length} metric(s) worse`,
    );
    for (const delta of worse) {
      lines.push(
        `    ${arrow(delta.direction)} ${delta.suite} ${delta.metric}: ${formatMetric(delta.before)} → ${formatMetric(delta.after)}`,
      );
    }
  }
  for (const file of files) lines.push(`  wrote ${file}`);
  lines.push(report.passed ? 'Eval passed.' : 'Eval FAILED.');
  return `${lines.join('\n')}\n`;
}
