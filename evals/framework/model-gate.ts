/**
 * `npm run models -- gate vN`: runs the shipped eval suites once with the active models version
 * and once with the candidate (each in a child process with `MODELS_VERSION` set, so every suite
 * loads that version exactly as `npm start` would), and judges the candidate with
 * `judgeCandidate`: no thresholded figure may regress. Activation is the caller's step.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { activeModelsVersion, MODELS_ROOT, modelsVersionDir } from '../../src/classifier/active-models.js';
import { type GateVerdict, judgeCandidate, thresholdChecksOf } from '../../src/training/activation-gate.js';
import { projectRoot } from './datasets.js';

export interface GateOptions {
  readonly candidate: string;
  /** Suites to run; empty means every suite (as `npm run eval`). */
  readonly suites: readonly string[];
  readonly fast: boolean;
  readonly tolerance: number;
  readonly datasets?: string;
  readonly seed: number;
  readonly root?: string;
  readonly log: (line: string) => void;
}

export interface GateRun {
  readonly active: string;
  readonly candidate: string;
  readonly verdict: GateVerdict;
  readonly reports: { readonly active: string; readonly candidate: string };
}

/** Runs `npm run eval` for one models version and returns its report's path. */
function evaluateVersion(version: string, options: GateOptions): string {
  const out = join(projectRoot, 'reports', 'gate', version);
  const started = Date.now();
  const argv = [
    '--import',
    'tsx',
    join(projectRoot, 'scripts', 'eval.ts'),
    ...options.suites,
    '--seed',
    String(options.seed),
    '--out',
    out,
    ...(options.fast ? ['--fast'] : []),
    ...(options.datasets ? ['--datasets', options.datasets] : []),
  ];
  options.log(`gate: evaluating ${version} (${options.suites.join(', ') || 'every suite'})`);
  // The eval exits 1 when any threshold fails, including targets that fail on purpose for both
  // versions: the comparison, not the exit code, decides.
  spawnSync(process.execPath, argv, {
    cwd: projectRoot,
    env: { ...process.env, MODELS_VERSION: version },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const report = join(out, 'latest.json');
  if (!existsSync(report) || statSync(report).mtimeMs < started)
    throw new Error(`the eval run for ${version} wrote no report (${report}); run it by hand to see why`);
  return report;
}

/** Evaluates the active and the candidate version and judges the candidate. */
export function runActivationGate(options: GateOptions): GateRun {
  const root = options.root ?? MODELS_ROOT;
  const active = activeModelsVersion(root, {});
  modelsVersionDir(options.candidate, root);
  if (active === options.candidate) throw new Error(`${options.candidate} is already the active version`);
  const activeReport = evaluateVersion(active, options);
  const candidateReport = evaluateVersion(options.candidate, options);
  const read = (path: string) => thresholdChecksOf(JSON.parse(readFileSync(path, 'utf8')));
  return {
    active,
    candidate: options.candidate,
    verdict: judgeCandidate(read(activeReport), read(candidateReport), options.tolerance),
    reports: { active: activeReport, candidate: candidateReport },
  };
}
