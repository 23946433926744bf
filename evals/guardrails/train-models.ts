/**
 * Regenerates the committed injection classifier weights from TRAIN splits only:
 *
 *   npx tsx evals/guardrails/train-models.ts [injection] [--datasets DIR]
 *
 * - injection:    deepset_prompt_injections DERIVED_train.jsonl + BANKING77 train (benign) + hand-written seeds
 *
 * The out-of-scope and emotion models are built by `npm run train` into models/v1 (docs/training.md).
 * Test splits are never read here, so the eval suites measure held-out data.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type TrainingExample, trainLinearClassifier } from '../../src/classifier/train-linear-classifier.js';
import {
  ATTACK_SEEDS,
  BENIGN_BANKING_SEEDS,
  BENIGN_INSTRUCTION_SEEDS,
} from '../../src/guardrails/input/injection-seed-examples.js';
import { datasetPath, projectRoot, resolveDatasetsDir } from '../framework/datasets.js';
import { readBanking77 } from './dataset-readers.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { datasets: { type: 'string' } },
});
const datasetsDir = resolveDatasetsDir(values.datasets);
if (!datasetsDir) {
  console.error('Datasets not found: pass --datasets DIR or place them at ../shared/datasets');
  process.exit(2);
}
const requested = positionals.length > 0 ? positionals : ['injection'];

function need(name: string): string {
  const path = datasetPath(datasetsDir, name);
  if (!path) throw new Error(`Dataset ${name} missing under ${datasetsDir}`);
  return path;
}

function write(relative: string, model: unknown): void {
  const file = resolve(projectRoot, relative);
  writeFileSync(file, `${JSON.stringify(model)}\n`);
  console.log(`wrote ${relative} (${readFileSync(file).length} bytes)`);
}

if (requested.includes('injection')) {
  const examples: TrainingExample[] = readFileSync(
    resolve(need('deepset_prompt_injections'), 'DERIVED_train.jsonl'),
    'utf8',
  )
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { text: string; label: number })
    .map((row) => ({ text: row.text, label: row.label === 1 ? 1 : 0 }));
  for (const text of readBanking77(need('banking77'), 'train')
    .filter((_, index) => index % 5 === 0)
    .map((row) => row.text)) {
    examples.push({ text, label: 0 });
  }
  for (const text of BENIGN_BANKING_SEEDS) examples.push({ text, label: 0, weight: 3 });
  for (const text of BENIGN_INSTRUCTION_SEEDS) examples.push({ text, label: 0, weight: 2 });
  for (const text of ATTACK_SEEDS) examples.push({ text, label: 1, weight: 3 });
  const model = trainLinearClassifier(examples, {
    name: 'injection',
    trainedOn:
      'deepset_prompt_injections train + every 5th BANKING77 train text (benign) + injection-seed-examples.ts; regenerate: npx tsx evals/guardrails/train-models.ts injection',
    keep: 3000,
    epochs: 10,
    positiveWeight: 2,
  });
  write('src/guardrails/input/models/injection-model.json', model);
}
