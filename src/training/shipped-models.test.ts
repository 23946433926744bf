import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifest } from '../classifier/model-manifest.js';
import { readShippedArtifact, SHIPPED_MODELS_DIR } from '../classifier/shipped-models.js';
import { defaultOutOfScopeClassifier, OUT_OF_SCOPE_MODEL_FILE } from '../guardrails/input/out-of-scope.js';
import { defaultEmotionClassifier, EMOTION_MODEL_FILE } from '../handoff/emotion.js';
import { binaryDevMetrics } from './binary-dev-metrics.js';
import { EMOTION_DEV_SLICE_SIZE, goEmotionsRows } from './emotion-step.js';
import { clincScopeRows, SCOPE_DEV_SLICE_SIZE } from './scope-step.js';

const manifest = readManifest(join(SHIPPED_MODELS_DIR, 'manifest.json'));
// The public datasets sit beside the project (../shared/datasets) unless TELLER_DATASETS_DIR says otherwise.
const datasetsDir =
  process.env.TELLER_DATASETS_DIR ?? join(SHIPPED_MODELS_DIR, '..', '..', '..', 'shared', 'datasets');
const metricOf = (step: string, metric: string) =>
  manifest.steps.find((candidate) => candidate.name === step)?.metrics[metric];

describe('shipped models folder', () => {
  it('when an artifact is read then its hash is checked against the manifest', () => {
    expect(() => readShippedArtifact('missing.json')).toThrow(/lists no missing.json: run npm run train/);
    expect(readShippedArtifact(OUT_OF_SCOPE_MODEL_FILE).length).toBeGreaterThan(0);
    expect(readShippedArtifact(EMOTION_MODEL_FILE).length).toBeGreaterThan(0);
  });

  it('when the manifest lists inputs then every step has dev metrics and no test input', () => {
    for (const step of manifest.steps) {
      expect(Object.keys(step.metrics).length, step.name).toBeGreaterThan(0);
      expect(
        step.inputs.filter((input) => input.role === 'test').map((input) => input.name),
        step.name,
      ).toEqual([]);
    }
  });

  // Needs the public datasets folder; without it there is no dev slice to score.
  it.skipIf(!existsSync(join(datasetsDir, 'clinc150_oos')))(
    'when the committed scope model scores the CLINC150 dev slice then it reproduces the manifest figure',
    () => {
      const dev = clincScopeRows(join(datasetsDir, 'clinc150_oos'), ['val', 'oos_val']);
      const classifier = defaultOutOfScopeClassifier();
      expect(binaryDevMetrics(classifier.score, dev.slice(0, SCOPE_DEV_SLICE_SIZE)).accuracy).toBe(
        metricOf('out-of-scope', 'clinc150_val_slice.accuracy'),
      );
    },
  );

  it.skipIf(!existsSync(join(datasetsDir, 'goemotions')))(
    'when the committed emotion model scores the GoEmotions dev slice then it reproduces the manifest figure',
    () => {
      const dev = goEmotionsRows(join(datasetsDir, 'goemotions'), 'dev');
      const classifier = defaultEmotionClassifier();
      expect(binaryDevMetrics(classifier.score, dev.slice(0, EMOTION_DEV_SLICE_SIZE)).accuracy).toBe(
        metricOf('emotion', 'goemotions_dev_slice.accuracy'),
      );
    },
  );
});
