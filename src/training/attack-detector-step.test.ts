import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attackDevMetrics } from '../../evals/guardrails/detectors/corpus.js';
import { readDetectorSources } from '../../evals/guardrails/detectors/sources.js';
import { ATTACK_DETECTOR_FILE } from '../classifier/detector-models.js';
import { linearModelSchema } from '../classifier/linear-classifier.js';
import { readManifest } from '../classifier/model-manifest.js';
import { readShippedArtifact, SHIPPED_MODELS_DIR } from '../classifier/shipped-models.js';

const manifest = readManifest(join(SHIPPED_MODELS_DIR, 'manifest.json'));
const step = manifest.steps.find((candidate) => candidate.name === 'attack-detector');
const datasetsDir =
  process.env.TELLER_DATASETS_DIR ?? join(SHIPPED_MODELS_DIR, '..', '..', '..', 'shared', 'datasets');

describe('committed attack detector', () => {
  it('when the models folder is read then the attack detector is a step with inputs, cues and a hash-checked artifact', () => {
    expect(step?.settings.structuralFeatures).toBe('attack-cues');
    expect(step?.inputs.some((input) => input.role === 'dev')).toBe(true);
    const model = linearModelSchema.parse(JSON.parse(readShippedArtifact(ATTACK_DETECTOR_FILE)));
    expect(model.structuralFeatures).toBe('attack-cues');
  });

  // Needs the public datasets; without them there are no dev rows to score.
  it.skipIf(!existsSync(join(datasetsDir, 'jailbreakbench_artifacts')))(
    'when the committed model scores the dev rows then it reproduces every dev figure of the manifest',
    () => {
      const model = linearModelSchema.parse(JSON.parse(readShippedArtifact(ATTACK_DETECTOR_FILE)));
      expect(attackDevMetrics(model, readDetectorSources(datasetsDir))).toEqual(step?.metrics);
    },
  );
});
