/**
 * `npm run models -- gate vN`: judges a candidate models version against the active one before
 * it may be served.
 *
 * 1. The router's own dev figures (BANKING77 dev, 892 texts, and the held-aside fifth of the
 *    agent-labelled export the candidate was trained with) are measured in this process for both
 *    versions, always on the whole sets, `--fast` or not (about a second): see `judgeRouterDev`.
 * 2. The eval suites whose thresholded figures depend on an artifact that differs between the
 *    two versions (`SUITES_BY_ARTIFACT`; named suites instead when given) run once per version in
 *    a child process with `MODELS_VERSION` set, so every suite loads that version exactly as
 *    `npm start` would; `judgeCandidate` compares their thresholded figures.
 *
 * Activation is the caller's step.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { activeModelsVersion, MODELS_ROOT, modelsVersionDir } from '../../src/classifier/active-models.js';
import { readManifest, sha256Of } from '../../src/classifier/model-manifest.js';
import { loadRouterClassifier } from '../../src/routing/shipped-router.js';
import type { LabelledText } from '../../src/routing/text-classifier.js';
import {
  changedArtifacts,
  type GateVerdict,
  judgeCandidate,
  judgeRouterDev,
  type RouterDevFigures,
  suitesForArtifacts,
  thresholdChecksOf,
} from '../../src/training/activation-gate.js';
import {
  AGENT_LABELLED_DATASET,
  AGENT_LABELLED_FILE,
  readAgentLabelled,
} from '../../src/training/agent-labelled-data.js';
import { routerDevMetrics } from '../../src/training/intent-router-step.js';
import { banking77TrainAndDev } from '../../src/training/router-training-data.js';
import { projectRoot, resolveDatasetsDir } from './datasets.js';

export interface GateOptions {
  readonly candidate: string;
  /** Suites to run; empty means the suites that depend on the artifacts that changed. */
  readonly suites: readonly string[];
  readonly fast: boolean;
  readonly tolerance: number;
  readonly datasets?: string;
  /** Folder of the agent-labelled export (`$DATA_DIR/training`), for the held-aside slice. */
  readonly agentLabelledDir?: string;
  readonly seed: number;
  readonly root?: string;
  readonly log: (line: string) => void;
}

export interface GateRun {
  readonly active: string;
  readonly candidate: string;
  readonly suites: readonly string[];
  readonly verdict: GateVerdict;
  /** The router's dev figures measured for each version (e.g. `agent_labelled_dev.mapped_accuracy`). */
  readonly routerDev: { readonly active: RouterDevFigures; readonly candidate: RouterDevFigures };
  readonly reports: { readonly active: string; readonly candidate: string } | undefined;
}

/** Runs `npm run eval` for one models version and returns its report's path. */
function evaluateVersion(version: string, suites: readonly string[], options: GateOptions): string {
  const out = join(projectRoot, 'reports', 'gate', version);
  const started = Date.now();
  const argv = [
    '--import',
    'tsx',
    join(projectRoot, 'scripts', 'eval.ts'),
    ...suites,
    '--seed',
    String(options.seed),
    '--out',
    out,
    ...(options.fast ? ['--fast'] : []),
    ...(options.datasets ? ['--datasets', options.datasets] : []),
  ];
  options.log(`gate: evaluating ${version} (${suites.join(', ')})`);
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

/**
 * The dev sets the router figures are measured on: BANKING77 dev, and the agent-labelled slice
 * held aside when the candidate was trained, provided the export is still the one it recorded.
 */
function routerDevSets(
  candidateDir: string,
  options: GateOptions,
): Readonly<Record<string, readonly LabelledText[]>> {
  const datasetsDir = resolveDatasetsDir(options.datasets);
  const banking77 = datasetsDir && join(datasetsDir, 'banking77');
  if (!banking77 || !existsSync(banking77))
    throw new Error(
      'the gate measures the router on BANKING77 dev: pass --datasets DIR or place ../shared/datasets',
    );
  const devSets: Record<string, readonly LabelledText[]> = {
    banking77_dev: banking77TrainAndDev(banking77).dev,
  };
  const router = readManifest(join(candidateDir, 'manifest.json')).steps.find(
    (step) => step.name === 'intent-router',
  );
  const heldAside = router?.inputs.find(
    (input) => input.name === `${AGENT_LABELLED_DATASET}/${AGENT_LABELLED_FILE}#dev`,
  );
  if (!heldAside) return devSets;
  const exported = options.agentLabelledDir && join(options.agentLabelledDir, AGENT_LABELLED_FILE);
  if (!exported || !existsSync(exported) || sha256Of(exported) !== heldAside.sha256) {
    options.log(
      `gate: the agent-labelled export the candidate was trained with is not at ${exported ?? '(no data directory)'}: its held-aside slice is not measured`,
    );
    return devSets;
  }
  return { ...devSets, agent_labelled_dev: readAgentLabelled(options.agentLabelledDir!).dev };
}

/** One version's router figures: measured now on `devSets`, and as its manifest records them. */
function routerDevFigures(
  modelsDir: string,
  devSets: Readonly<Record<string, readonly LabelledText[]>>,
): RouterDevFigures {
  const manifest = readManifest(join(modelsDir, 'manifest.json'));
  return {
    measured: routerDevMetrics(loadRouterClassifier(modelsDir), devSets),
    recorded: manifest.steps.find((step) => step.name === 'intent-router')?.metrics ?? {},
  };
}

/** Evaluates the active and the candidate version and judges the candidate. */
export function runActivationGate(options: GateOptions): GateRun {
  const root = options.root ?? MODELS_ROOT;
  const active = activeModelsVersion(root, {});
  const activeDir = modelsVersionDir(active, root);
  const candidateDir = modelsVersionDir(options.candidate, root);
  if (active === options.candidate) throw new Error(`${options.candidate} is already the active version`);

  const devSets = routerDevSets(candidateDir, options);
  const routerDev = {
    active: routerDevFigures(activeDir, devSets),
    candidate: routerDevFigures(candidateDir, devSets),
  };
  for (const [metric, value] of Object.entries(routerDev.candidate.measured))
    options.log(
      `gate: router ${metric} ${routerDev.active.measured[metric]?.toFixed(4)} → ${value.toFixed(4)} (${devSets[metric.split('.')[0]!]?.length} texts)`,
    );
  const routerVerdict = judgeRouterDev(routerDev.active, routerDev.candidate, options.tolerance);

  const changed = changedArtifacts(
    readManifest(join(activeDir, 'manifest.json')).artifacts,
    readManifest(join(candidateDir, 'manifest.json')).artifacts,
  );
  const suites = options.suites.length > 0 ? [...options.suites] : suitesForArtifacts(changed);
  options.log(
    `gate: artifacts that differ: ${changed.join(', ') || 'none'}; suites: ${suites.join(', ') || 'none'}`,
  );
  let suitesVerdict: GateVerdict = { activate: true, regressions: [], compared: 0 };
  let reports: GateRun['reports'];
  if (suites.length > 0) {
    reports = {
      active: evaluateVersion(active, suites, options),
      candidate: evaluateVersion(options.candidate, suites, options),
    };
    const read = (path: string) => thresholdChecksOf(JSON.parse(readFileSync(path, 'utf8')));
    suitesVerdict = judgeCandidate(read(reports.active), read(reports.candidate), options.tolerance);
  }
  const regressions = [...routerVerdict.regressions, ...suitesVerdict.regressions];
  return {
    active,
    candidate: options.candidate,
    suites,
    verdict: {
      activate: regressions.length === 0,
      regressions,
      compared: routerVerdict.compared + suitesVerdict.compared,
    },
    routerDev,
    reports,
  };
}
