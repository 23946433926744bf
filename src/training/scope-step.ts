/**
 * Training step for the out-of-scope rail's model: CLINC150's non-banking domains and oos queries
 * (out of scope) against its banking and credit-card domains and BANKING77 train (in scope).
 * Banking-adjacent CLINC150 intents (insurance, exchange rates, taxes...) are left out: a bank
 * answers them, so they must never teach the model to refuse. Dev: CLINC150 val.
 */
import { join } from 'node:path';
import { declaredFile } from '../classifier/dataset-declarations.js';
import { createLinearClassifier } from '../classifier/linear-classifier.js';
import { sha256Of } from '../classifier/model-manifest.js';
import { type TrainingExample, trainLinearClassifier } from '../classifier/train-linear-classifier.js';
import { BANKING_ADJACENT_CLINC_INTENTS, OUT_OF_SCOPE_MODEL_FILE } from '../guardrails/input/out-of-scope.js';
import { binaryDevMetrics } from './binary-dev-metrics.js';
import { readBanking77Csv } from './dataset-mapping.js';
import { readClinc150 } from './public-datasets.js';
import { isDevText } from './router-training-data.js';
import type { TrainingContext, TrainingStep } from './train-pipeline.js';

/** How many dev rows (the first, in file order) `npm test` re-scores. */
export const SCOPE_DEV_SLICE_SIZE = 300;

/** Labelled rows of CLINC150 splits: 1 = out of scope, 0 = banking; adjacent intents dropped. */
export function clincScopeRows(
  folder: string,
  splits: readonly string[],
): Array<{ readonly text: string; readonly label: 0 | 1 }> {
  const clinc = readClinc150(folder);
  const banking = new Set([...(clinc.domains.banking ?? []), ...(clinc.domains.credit_cards ?? [])]);
  return splits.flatMap((split) =>
    (clinc.splits[split] ?? [])
      .filter(([, intent]) => !BANKING_ADJACENT_CLINC_INTENTS.has(intent))
      .map(([text, intent]) => ({ text, label: banking.has(intent) ? (0 as const) : (1 as const) })),
  );
}

export const scopeStep: TrainingStep = {
  name: 'out-of-scope',
  run(context: TrainingContext) {
    const clinc = join(context.datasetsDir, 'clinc150_oos');
    const banking77 = join(context.datasetsDir, 'banking77');
    const clincHash = sha256Of(join(clinc, 'data_full.json'));
    const inputs = [
      {
        name: 'clinc150_oos/data_full.json#train',
        role: 'train' as const,
        sha256: clincHash,
        ...declaredFile(context.declarations, 'clinc150_oos', 'data_full.json#train', 'train'),
      },
      {
        name: 'clinc150_oos/data_full.json#val',
        role: 'dev' as const,
        sha256: clincHash,
        ...declaredFile(context.declarations, 'clinc150_oos', 'data_full.json#val', 'dev'),
      },
      {
        name: 'banking77/train.csv',
        role: 'train' as const,
        sha256: sha256Of(join(banking77, 'train.csv')),
        ...declaredFile(context.declarations, 'banking77', 'train.csv', 'train'),
      },
    ];
    const examples: TrainingExample[] = clincScopeRows(clinc, ['train', 'oos_train']);
    for (const row of readBanking77Csv(join(banking77, 'train.csv')))
      if (!isDevText(row.text)) examples.push({ text: row.text, label: 0 });
    const settings = { keep: 4000, epochs: 6, seed: context.seed };
    const model = trainLinearClassifier(examples, {
      name: 'out-of-scope',
      trainedOn:
        'CLINC150 train + oos_train (banking, credit_cards = in scope; other domains and oos = out of scope; banking-adjacent intents dropped) + BANKING77 train; regenerate: npm run train',
      ...settings,
    });
    const classifier = createLinearClassifier(model);
    const dev = clincScopeRows(clinc, ['val', 'oos_val']);
    const full = binaryDevMetrics(classifier.score, dev);
    const slice = binaryDevMetrics(classifier.score, dev.slice(0, SCOPE_DEV_SLICE_SIZE));
    return {
      settings: { ...settings, trainingTexts: examples.length, devTexts: dev.length },
      inputs,
      metrics: {
        'clinc150_val.recall': full.recall,
        'clinc150_val.false_positive_rate': full.falsePositiveRate,
        'clinc150_val_slice.accuracy': slice.accuracy,
      },
      artifacts: [{ file: OUT_OF_SCOPE_MODEL_FILE, contents: `${JSON.stringify(model)}\n` }],
    };
  },
};
