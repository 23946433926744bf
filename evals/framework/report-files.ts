/**
 * Where eval reports live on disk: `<out>/<timestamp>.json`, `<out>/latest.json`,
 * `<out>/latest.html`, and `<out>/previous.json` (the run before, rotated automatically so each
 * run can be compared with the last one without any flag).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ComparableReport, type EvalReport, parseComparableReport, serializeReport } from './report.js';

/** The file a timestamped report is written to: `2026-01-31T12-00-00-000Z.json`. */
export function timestampedName(createdAt: string): string {
  return `${createdAt.replace(/[:.]/g, '-')}.json`;
}

/** Reads a stored report for comparison; undefined (with the reason) when absent or unreadable. */
export function readComparableReport(path: string): { report?: ComparableReport; problem?: string } {
  if (!existsSync(path)) return { problem: `${path} does not exist` };
  const parsed = parseComparableReport(readFileSync(path, 'utf8'));
  return 'report' in parsed ? { report: parsed.report } : { problem: `${path} is ${parsed.problem}` };
}

/**
 * Moves `latest.json` to `previous.json`; called before a run's files are written. Returns the
 * path of the previous report when there was one.
 */
export function rotateLatest(outDir: string): string | undefined {
  const latest = join(outDir, 'latest.json');
  if (!existsSync(latest)) return undefined;
  const previous = join(outDir, 'previous.json');
  renameSync(latest, previous);
  return previous;
}

/** Writes the JSON and HTML reports; returns the paths written. */
export function writeReportFiles(outDir: string, report: EvalReport, html: string): string[] {
  mkdirSync(outDir, { recursive: true });
  const json = serializeReport(report);
  const stamped = join(outDir, timestampedName(report.createdAt));
  const latest = join(outDir, 'latest.json');
  const page = join(outDir, 'latest.html');
  writeFileSync(stamped, json);
  writeFileSync(latest, json);
  writeFileSync(page, html);
  return [stamped, latest, page];
}

/**
 * Saves a run as the committed baseline (e.g. `evals/baseline.json`). Only what a comparison
 * needs is kept (metrics, bounds, provenance); failing cases stay out so the file is small and
 * reviewable in a pull request.
 */
export function saveBaseline(path: string, report: EvalReport): void {
  const baseline = {
    schemaVersion: report.schemaVersion,
    createdAt: report.createdAt,
    command: report.command,
    provenance: report.provenance,
    suites: report.suites.map((suite) => ({
      name: suite.name,
      status: suite.status,
      metrics: suite.metrics,
      checks: suite.checks.map(({ metric, min, max }) => ({ metric, min, max })),
      datasets: suite.datasets.map((dataset) => ({ name: dataset.name, sha256: dataset.sha256 })),
    })),
  };
  writeFileSync(path, `${JSON.stringify(baseline, null, 2)}\n`);
}
