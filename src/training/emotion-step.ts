/**
 * Training step for the emotion cue that can hand a conversation to a person: GoEmotions train
 * (anger, annoyance, disappointment, sadness, fear, grief against neutral-only) plus our own
 * customer-service phrasings and calm banking questions. Dev: GoEmotions dev.
 */
import { join } from 'node:path';
import { declaredFile } from '../classifier/dataset-declarations.js';
import { createLinearClassifier } from '../classifier/linear-classifier.js';
import { sha256Of } from '../classifier/model-manifest.js';
import { type TrainingExample, trainLinearClassifier } from '../classifier/train-linear-classifier.js';
import { EMOTION_MODEL_FILE } from '../handoff/emotion.js';
import { CALM_SEEDS, UPSET_SEEDS } from '../handoff/emotion-seed-examples.js';
import { binaryDevMetrics } from './binary-dev-metrics.js';
import { readBanking77Csv } from './dataset-mapping.js';
import { readGoEmotionsSplit, UPSET_EMOTIONS } from './public-datasets.js';
import { isDevText } from './router-training-data.js';
import type { TrainingContext, TrainingStep } from './train-pipeline.js';

/** How many dev rows (the first, in file order) `npm test` re-scores. */
export const EMOTION_DEV_SLICE_SIZE = 300;

/** GoEmotions rows as upset (1) or neutral-only (0); mixed rows are left out. */
export function goEmotionsRows(
  folder: string,
  split: 'train' | 'dev',
): Array<{ readonly text: string; readonly label: 0 | 1 }> {
  return readGoEmotionsSplit(folder, split).flatMap((row): Array<{ text: string; label: 0 | 1 }> => {
    if (row.labels.some((label) => UPSET_EMOTIONS.has(label))) return [{ text: row.text, label: 1 }];
    if (row.labels.length === 1 && row.labels[0] === 'neutral') return [{ text: row.text, label: 0 }];
    return [];
  });
}

export const emotionStep: TrainingStep = {
  name: 'emotion',
  run(context: TrainingContext) {
    const goEmotions = join(context.datasetsDir, 'goemotions');
    const banking77 = join(context.datasetsDir, 'banking77');
    const inputs = [
      {
        name: 'goemotions/train.tsv',
        role: 'train' as const,
        sha256: sha256Of(join(goEmotions, 'train.tsv')),
        ...declaredFile(context.declarations, 'goemotions', 'train.tsv', 'train'),
      },
      {
        name: 'goemotions/dev.tsv',
        role: 'dev' as const,
        sha256: sha256Of(join(goEmotions, 'dev.tsv')),
        ...declaredFile(context.declarations, 'goemotions', 'dev.tsv', 'dev'),
      },
      {
        name: 'banking77/train.csv',
        role: 'train' as const,
        sha256: sha256Of(join(banking77, 'train.csv')),
        ...declaredFile(context.declarations, 'banking77', 'train.csv', 'train'),
      },
    ];
    const examples: TrainingExample[] = goEmotionsRows(goEmotions, 'train');
    for (const text of UPSET_SEEDS) examples.push({ text, label: 1, weight: 3 });
    for (const text of CALM_SEEDS) examples.push({ text, label: 0, weight: 3 });
    readBanking77Csv(join(banking77, 'train.csv'))
      .filter((row, index) => index % 4 === 0 && !isDevText(row.text))
      .forEach((row) => {
        examples.push({ text: row.text, label: 0 });
      });
    const settings = { keep: 4000, epochs: 4, learningRate: 0.05, positiveWeight: 1.5, seed: context.seed };
    const model = trainLinearClassifier(examples, {
      name: 'emotion',
      trainedOn:
        'GoEmotions train (anger, annoyance, disappointment, sadness, fear, grief vs neutral-only) + every 4th BANKING77 train text (calm) + emotion-seed-examples.ts; regenerate: npm run train',
      ...settings,
    });
    const classifier = createLinearClassifier(model);
    const dev = goEmotionsRows(goEmotions, 'dev');
    const full = binaryDevMetrics(classifier.score, dev);
    const slice = binaryDevMetrics(classifier.score, dev.slice(0, EMOTION_DEV_SLICE_SIZE));
    return {
      settings: { ...settings, trainingTexts: examples.length, devTexts: dev.length },
      inputs,
      metrics: {
        'goemotions_dev.recall': full.recall,
        'goemotions_dev.false_positive_rate': full.falsePositiveRate,
        'goemotions_dev_slice.accuracy': slice.accuracy,
      },
      artifacts: [{ file: EMOTION_MODEL_FILE, contents: `${JSON.stringify(model)}\n` }],
    };
  },
};
