/**
 * Training step for the out-of-scope rail's model (rows: `scope-training-data.ts`). Banking-adjacent
 * topics and the ordinary turns of a bank's conversations are taught as in scope, so a spoken
 * insurance or pension question is not refused for lacking banking words. Dev: CLINC150 val and
 * oos_val, and the held-out fifth of NLU++ banking and of the written examples.
 */
import { join, relative } from 'node:path';
import { declaredFile } from '../classifier/dataset-declarations.js';
import { createLinearClassifier } from '../classifier/linear-classifier.js';
import { sha256Of } from '../classifier/model-manifest.js';
import { type TrainingExample, trainLinearClassifier } from '../classifier/train-linear-classifier.js';
import { OUT_OF_SCOPE_MODEL_FILE } from '../guardrails/input/out-of-scope.js';
import { binaryDevMetrics } from './binary-dev-metrics.js';
import { readBanking77Csv } from './dataset-mapping.js';
import { isDevText } from './router-training-data.js';
import {
  clincScopeRows,
  hwu64ScopeRows,
  isScopeDevText,
  readNluppTexts,
  readScopeExamples,
  SCOPE_EXAMPLES_PATH,
  type ScopeRow,
} from './scope-training-data.js';
import type { TrainingContext, TrainingStep } from './train-pipeline.js';

export { clincScopeRows } from './scope-training-data.js';

/** How many dev rows (the first, in file order) `npm test` re-scores. */
export const SCOPE_DEV_SLICE_SIZE = 300;

const PROJECT_ROOT = join(SCOPE_EXAMPLES_PATH, '..', '..', '..');

/**
 * Settings of the step. The written examples and CLINC150's oos queries count five times: they are
 * few (about 280 and 100) and they are the only spoken banking and open-question examples.
 */
const SCOPE_SETTINGS = { keep: 40000, epochs: 6, writtenExampleWeight: 5, oosWeight: 5 } as const;

export const scopeStep: TrainingStep = {
  name: 'out-of-scope',
  run(context: TrainingContext) {
    const clinc = join(context.datasetsDir, 'clinc150_oos');
    const banking77 = join(context.datasetsDir, 'banking77');
    const nlupp = join(context.datasetsDir, 'nlupp_banking');
    const hwu64 = join(context.datasetsDir, 'hwu64_nlu_evaluation');
    const clincHash = sha256Of(join(clinc, 'data_full.json'));
    const nluppHash = sha256Of(nlupp, (name) => /^fold\d+\.json$/.test(name));
    const declared = (dataset: string, path: string, role: 'train' | 'dev', sha256: string) => ({
      name: `${dataset}/${path}`,
      role,
      sha256,
      ...declaredFile(context.declarations, dataset, path, role),
    });
    const inputs = [
      {
        name: relative(PROJECT_ROOT, SCOPE_EXAMPLES_PATH),
        role: 'train' as const,
        sha256: sha256Of(SCOPE_EXAMPLES_PATH),
        licence: 'same as Teller',
        attribution: 'written for Teller; one text in five (by a hash of the text) is dev',
      },
      declared('clinc150_oos', 'data_full.json#train', 'train', clincHash),
      declared('clinc150_oos', 'data_full.json#val', 'dev', clincHash),
      declared('banking77', 'train.csv', 'train', sha256Of(join(banking77, 'train.csv'))),
      declared('nlupp_banking', 'fold*.json', 'train', nluppHash),
      declared('nlupp_banking', 'fold*.json#scope-dev', 'dev', nluppHash),
      declared(
        'hwu64_nlu_evaluation',
        'trainset/*.csv',
        'train',
        sha256Of(join(hwu64, 'trainset'), (name) => name.endsWith('.csv')),
      ),
    ];

    const written = readScopeExamples();
    const nluppTexts = readNluppTexts(nlupp);
    const examples: TrainingExample[] = [
      ...clincScopeRows(clinc, ['train']),
      ...clincScopeRows(clinc, ['oos_train']).map((row) => ({ ...row, weight: SCOPE_SETTINGS.oosWeight })),
    ];
    for (const row of readBanking77Csv(join(banking77, 'train.csv')))
      if (!isDevText(row.text)) examples.push({ text: row.text, label: 0 });
    for (const text of nluppTexts) if (!isScopeDevText(text)) examples.push({ text, label: 0 });
    examples.push(...hwu64ScopeRows(hwu64));
    for (const row of written)
      if (!isScopeDevText(row.text)) examples.push({ ...row, weight: SCOPE_SETTINGS.writtenExampleWeight });

    const settings = { ...SCOPE_SETTINGS, seed: context.seed };
    const model = trainLinearClassifier(examples, {
      name: 'out-of-scope',
      trainedOn:
        'CLINC150 train + oos_train x5 (banking, credit_cards and banking-adjacent intents = in scope; other domains and oos = out of scope) + BANKING77 train + NLU++ banking (4 in 5) + HWU64 train (non-banking intents out of scope; currency, stock and dialogue acts left out) + src/training/scope-examples.yaml (4 in 5, x5); regenerate: npm run train',
      keep: settings.keep,
      epochs: settings.epochs,
      seed: settings.seed,
    });
    const classifier = createLinearClassifier(model);
    const clincDev = clincScopeRows(clinc, ['val', 'oos_val']);
    const nluppDev: ScopeRow[] = nluppTexts.filter(isScopeDevText).map((text) => ({ text, label: 0 }));
    const writtenDev = written.filter((row) => isScopeDevText(row.text));
    const full = binaryDevMetrics(classifier.score, clincDev);
    const slice = binaryDevMetrics(classifier.score, clincDev.slice(0, SCOPE_DEV_SLICE_SIZE));
    const nluppFigures = binaryDevMetrics(classifier.score, nluppDev);
    const writtenFigures = binaryDevMetrics(classifier.score, writtenDev);
    return {
      settings: {
        ...settings,
        trainingTexts: examples.length,
        devTexts: clincDev.length + nluppDev.length + writtenDev.length,
      },
      inputs,
      metrics: {
        'clinc150_val.recall': full.recall,
        'clinc150_val.false_positive_rate': full.falsePositiveRate,
        'clinc150_val_slice.accuracy': slice.accuracy,
        'nlupp_dev.false_positive_rate': nluppFigures.falsePositiveRate,
        'written_dev.recall': writtenFigures.recall,
        'written_dev.false_positive_rate': writtenFigures.falsePositiveRate,
      },
      artifacts: [{ file: OUT_OF_SCOPE_MODEL_FILE, contents: `${JSON.stringify(model)}\n` }],
    };
  },
};
