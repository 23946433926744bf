/**
 * `npm run train` as a list of steps. Each step reads its declared data, trains, measures itself
 * on dev data, and returns its artifacts; the pipeline writes them and one manifest for the
 * versioned folder. Adding a model means adding a step to `TRAINING_STEPS` (docs/training.md).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetDeclarations } from '../classifier/dataset-declarations.js';
import { type Manifest, type ManifestInput, manifestSchema, sha256Of } from '../classifier/model-manifest.js';

/** What every step is given. */
export interface TrainingContext {
  readonly datasetsDir: string;
  readonly declarations: DatasetDeclarations;
  readonly seed: number;
  readonly log: (line: string) => void;
  /** The folder of an export of approved agent-labelled examples (`npm run train -- --with-approved`). */
  readonly agentLabelledDir?: string;
}

/** What a step hands back: files to write (relative to the version folder) and their provenance. */
export interface TrainingStepResult {
  readonly settings: Readonly<Record<string, number | string | boolean>>;
  readonly inputs: readonly ManifestInput[];
  /** Dev figures only: a test split never reaches a training step. */
  readonly metrics: Readonly<Record<string, number>>;
  readonly artifacts: ReadonlyArray<{ readonly file: string; readonly contents: string }>;
}

/** One model built by `npm run train`. */
export interface TrainingStep {
  readonly name: string;
  run(context: TrainingContext): Promise<TrainingStepResult> | TrainingStepResult;
}

/** Runs the steps in order, writes their artifacts and `manifest.json` into `outputDir`. */
export async function runTrainingPipeline(
  steps: readonly TrainingStep[],
  context: TrainingContext,
  outputDir: string,
  version: string,
): Promise<Manifest> {
  mkdirSync(outputDir, { recursive: true });
  const manifest: Manifest = { version, seed: context.seed, steps: [], artifacts: [] };
  for (const step of steps) {
    const started = performance.now();
    context.log(`${step.name}: training`);
    const result = await step.run(context);
    for (const artifact of result.artifacts) {
      const path = join(outputDir, artifact.file);
      writeFileSync(path, artifact.contents);
      manifest.artifacts.push({
        file: artifact.file,
        sha256: sha256Of(path),
        bytes: Buffer.byteLength(artifact.contents),
        step: step.name,
      });
    }
    manifest.steps.push({
      name: step.name,
      settings: { ...result.settings },
      inputs: [...result.inputs],
      metrics: { ...result.metrics },
    });
    context.log(
      `${step.name}: done in ${((performance.now() - started) / 1000).toFixed(1)} s ${JSON.stringify(result.metrics)}`,
    );
  }
  const validated = manifestSchema.parse(manifest);
  writeFileSync(join(outputDir, 'manifest.json'), `${JSON.stringify(validated, null, 2)}\n`);
  return validated;
}
