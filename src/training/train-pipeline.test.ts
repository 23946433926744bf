import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDatasetDeclarations } from '../classifier/dataset-declarations.js';
import { readManifest } from '../classifier/model-manifest.js';
import { useTemporaryDirectories } from '../testing/temporary-directories.js';
import { runTrainingPipeline, type TrainingStep } from './train-pipeline.js';

const temporaryDirectory = useTemporaryDirectories('teller-pipeline-');

/** A test double of a training step: writes one file whose text and metric it is given. */
function fixedArtifactStep(name: string, contents: string, metric: number): TrainingStep {
  return {
    name,
    run: () => ({
      settings: { fixed: true },
      inputs: [],
      metrics: { [`${name}.figure`]: metric },
      artifacts: [{ file: `${name}.json`, contents }],
    }),
  };
}

const context = {
  datasetsDir: 'no-datasets',
  declarations: loadDatasetDeclarations(),
  seed: 7,
  log: () => undefined,
};

describe('training pipeline', () => {
  it('when one step is rebuilt in place then the other steps keep their entries and artifacts', async () => {
    const folder = temporaryDirectory();
    await runTrainingPipeline(
      [fixedArtifactStep('first', 'one', 0.5), fixedArtifactStep('second', 'two', 0.6)],
      context,
      folder,
      'v1',
    );
    const before = readManifest(join(folder, 'manifest.json'));

    const after = await runTrainingPipeline(
      [fixedArtifactStep('second', 'two again', 0.7)],
      context,
      folder,
      'v1',
    );

    expect(after.steps.map((step) => [step.name, step.metrics])).toEqual([
      ['first', { 'first.figure': 0.5 }],
      ['second', { 'second.figure': 0.7 }],
    ]);
    expect(after.artifacts.find((artifact) => artifact.step === 'first')).toEqual(
      before.artifacts.find((artifact) => artifact.step === 'first'),
    );
    expect(after.artifacts.find((artifact) => artifact.step === 'second')?.bytes).toBe('two again'.length);
    expect(readManifest(join(folder, 'manifest.json'))).toEqual(after);
    expect(readFileSync(join(folder, 'first.json'), 'utf8')).toBe('one');
  });

  it('when a new step is built into an existing folder then it follows the earlier steps', async () => {
    const folder = temporaryDirectory();
    await runTrainingPipeline([fixedArtifactStep('first', 'one', 0.5)], context, folder, 'v1');
    const after = await runTrainingPipeline([fixedArtifactStep('added', 'new', 0.9)], context, folder, 'v1');
    expect(after.steps.map((step) => step.name)).toEqual(['first', 'added']);
    expect(after.artifacts.map((artifact) => artifact.file)).toEqual(['first.json', 'added.json']);
  });
});
