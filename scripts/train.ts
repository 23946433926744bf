/**
 * `npm run train [-- --datasets DIR] [--seed N] [--step NAME ...]`: rebuilds the models Teller
 * ships into models/v1/ with their manifest. See docs/training.md.
 */
import { parseArgs } from 'node:util';
import { resolveDatasetsDir } from '../evals/framework/datasets.js';
import { loadDatasetDeclarations } from '../src/classifier/dataset-declarations.js';
import { SHIPPED_MODELS_DIR } from '../src/routing/shipped-router.js';
import { TRAINING_STEPS } from '../src/training/steps.js';
import { runTrainingPipeline } from '../src/training/train-pipeline.js';

const { values } = parseArgs({
  options: {
    datasets: { type: 'string' },
    seed: { type: 'string', default: '7' },
    step: { type: 'string', multiple: true },
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
await runTrainingPipeline(
  steps,
  {
    datasetsDir,
    declarations: loadDatasetDeclarations(),
    seed: Number(values.seed),
    log: (line) => console.log(line),
  },
  SHIPPED_MODELS_DIR,
  'v1',
);
