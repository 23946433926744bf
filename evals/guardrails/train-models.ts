/**
 * Regenerates the committed classifier weights from TRAIN splits only:
 *
 *   npx tsx evals/guardrails/train-models.ts [injection|out-of-scope|emotion ...] [--datasets DIR]
 *
 * - injection:    deepset_prompt_injections DERIVED_train.jsonl + BANKING77 train (benign) + hand-written seeds
 * - out-of-scope: CLINC150 train + oos_train (other domains and oos = positive; banking, credit_cards = negative)
 *                 + BANKING77 train (negative)
 * - emotion:      GoEmotions train.tsv (anger, annoyance, disappointment, sadness, fear, grief = positive;
 *                 neutral-only = negative) + hand-written customer-service seeds
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
import { BANKING_ADJACENT_CLINC_INTENTS } from '../../src/guardrails/input/out-of-scope.js';
import { CALM_SEEDS, UPSET_SEEDS } from '../../src/handoff/emotion-seed-examples.js';
import { datasetPath, projectRoot, resolveDatasetsDir } from '../framework/datasets.js';
import { NEGATIVE_EMOTION_LABELS, readBanking77, readClinc, readGoEmotions } from './dataset-readers.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { datasets: { type: 'string' } },
});
const datasetsDir = resolveDatasetsDir(values.datasets);
if (!datasetsDir) {
  console.error('Datasets not found: pass --datasets DIR or place them at ../shared/datasets');
  process.exit(2);
}
const requested = positionals.length > 0 ? positionals : ['injection', 'out-of-scope', 'emotion'];

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

if (requested.includes('out-of-scope')) {
  const clinc = readClinc(need('clinc150_oos'));
  const bankingIntents = new Set([...clinc.domains.banking!, ...clinc.domains.credit_cards!]);
  const examples: TrainingExample[] = [];
  for (const [text, intent] of [...clinc.splits.train!, ...clinc.splits.oos_train!]) {
    if (BANKING_ADJACENT_CLINC_INTENTS.has(intent)) continue;
    examples.push({ text, label: bankingIntents.has(intent) ? 0 : 1 });
  }
  for (const row of readBanking77(need('banking77'), 'train')) examples.push({ text: row.text, label: 0 });
  const model = trainLinearClassifier(examples, {
    name: 'out-of-scope',
    trainedOn:
      'CLINC150 train + oos_train (banking, credit_cards = in scope; other domains and oos = out of scope; banking-adjacent intents dropped) + BANKING77 train; regenerate: npx tsx evals/guardrails/train-models.ts out-of-scope',
    keep: 4000,
    epochs: 6,
  });
  write('src/guardrails/input/models/out-of-scope-model.json', model);
}

if (requested.includes('emotion')) {
  const examples: TrainingExample[] = [];
  for (const row of readGoEmotions(need('goemotions'), 'train')) {
    const upset = row.labels.some((label) => NEGATIVE_EMOTION_LABELS.has(label));
    const neutralOnly = row.labels.length === 1 && row.labels[0] === 'neutral';
    if (upset) examples.push({ text: row.text, label: 1 });
    else if (neutralOnly) examples.push({ text: row.text, label: 0 });
  }
  for (const text of UPSET_SEEDS) examples.push({ text, label: 1, weight: 3 });
  for (const text of CALM_SEEDS) examples.push({ text, label: 0, weight: 3 });
  for (const row of readBanking77(need('banking77'), 'train').filter((_, index) => index % 4 === 0))
    examples.push({ text: row.text, label: 0 });
  const model = trainLinearClassifier(examples, {
    name: 'emotion',
    trainedOn:
      'GoEmotions train (anger, annoyance, disappointment, sadness, fear, grief vs neutral-only) + every 4th BANKING77 train text (calm) + emotion-seed-examples.ts; regenerate: npx tsx evals/guardrails/train-models.ts emotion',
    keep: 4000,
    epochs: 4,
    learningRate: 0.05,
    positiveWeight: 1.5,
  });
  write('src/handoff/models/emotion-model.json', model);
}
