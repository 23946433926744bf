/**
 * `npm run train [-- --datasets DIR] [--seed N] [--step NAME ...]`: rebuilds the models Teller
 * ships into the active version folder (models/v1/ unless models/active.json names another) with
 * its manifest. See docs/training.md.
 *
 * `npm run train -- --check [--step NAME ...]`: rebuilds into a temporary folder and compares with
 * the active version's manifest (each rebuilt step's metrics and settings, each artifact's
 * SHA-256); exits 1 and names every difference when the committed models do not reproduce.
 *
 * `npm run train -- --with-approved`: exports the approved agent-labelled examples from the
 * service's store (DATABASE_URL, else the SQLite file) to $DATA_DIR/training/, trains a new
 * candidate version folder (the next vN; steps not run are carried over from the active version)
 * and leaves activation to the gate: `npm run models -- gate vN`.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveDatasetsDir } from '../evals/framework/datasets.js';
import { activeModelsVersion, MODELS_ROOT, nextModelsVersion } from '../src/classifier/active-models.js';
import { loadDatasetDeclarations } from '../src/classifier/dataset-declarations.js';
import { readManifest } from '../src/classifier/model-manifest.js';
import { openServiceState } from '../src/composition/state-backend.js';
import { loadConfig } from '../src/config/config.js';
import { createJsonLogger } from '../src/observability/logger.js';
import { SHIPPED_MODELS_DIR } from '../src/routing/shipped-router.js';
import { exportApprovedExamples } from '../src/training/agent-labelled-data.js';
import { carryOverArtifacts } from '../src/training/candidate-models.js';
import { reproductionDifferences } from '../src/training/reproduction-check.js';
import { TRAINING_STEPS } from '../src/training/steps.js';
import { runTrainingPipeline } from '../src/training/train-pipeline.js';

const { values } = parseArgs({
  options: {
    datasets: { type: 'string' },
    seed: { type: 'string', default: '7' },
    step: { type: 'string', multiple: true },
    'with-approved': { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
  },
});
const datasetsDir = resolveDatasetsDir(values.datasets);
if (!datasetsDir) {
  console.error('Datasets not found: pass --datasets DIR or place them at ../shared/datasets');
  process.exit(2);
}
const steps = values.step
  ? TRAINING_STEPS.filter((step) => values.step!.includes(step.name))
  : TRAINING_STEPS;
if (steps.length === 0) {
  console.error(`No such step. Steps: ${TRAINING_STEPS.map((step) => step.name).join(', ')}`);
  process.exit(2);
}

/** Exports the approved examples from the service's store; returns the export's folder. */
async function exportApproved(): Promise<string> {
  const config = loadConfig(process.env);
  const { state } = await openServiceState(config, () => new Date(), createJsonLogger('warn'));
  try {
    const directory = join(config.paths.dataDir, 'training');
    const { file, count } = await exportApprovedExamples(state.stores.trainingExamples, directory);
    console.log(`agent-labelled: ${count} approved examples exported to ${file}`);
    return directory;
  } finally {
    await state.close();
  }
}

const context = {
  datasetsDir,
  declarations: loadDatasetDeclarations(),
  seed: Number(values.seed),
  log: (line: string) => console.log(line),
};
if (values.check) {
  const rebuiltDir = mkdtempSync(join(tmpdir(), 'teller-train-check-'));
  try {
    const rebuilt = await runTrainingPipeline(steps, context, rebuiltDir, activeModelsVersion());
    const differences = reproductionDifferences(
      readManifest(join(SHIPPED_MODELS_DIR, 'manifest.json')),
      rebuilt,
    );
    for (const difference of differences) console.log(`differs: ${difference}`);
    console.log(
      differences.length === 0
        ? `reproduced: ${steps.map((step) => step.name).join(', ')} match ${SHIPPED_MODELS_DIR}manifest.json`
        : `not reproduced: ${differences.length} difference(s); run npm run train (and commit) if the change is meant`,
    );
    process.exitCode = differences.length === 0 ? 0 : 1;
  } finally {
    rmSync(rebuiltDir, { recursive: true, force: true });
  }
} else if (values['with-approved']) {
  const agentLabelledDir = await exportApproved();
  const version = nextModelsVersion();
  const outputDir = join(MODELS_ROOT, version);
  // Version folders are written once: a rollback must find the earlier ones exactly as trained.
  if (existsSync(outputDir)) throw new Error(`${outputDir} exists: version folders are never rewritten`);
  await runTrainingPipeline(steps, { ...context, agentLabelledDir }, outputDir, version);
  carryOverArtifacts(SHIPPED_MODELS_DIR, outputDir);
  console.log(
    `candidate ${version} written; activate it only through the gate: npm run models -- gate ${version}`,
  );
} else {
  await runTrainingPipeline(steps, context, SHIPPED_MODELS_DIR, activeModelsVersion());
}
