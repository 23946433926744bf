/**
 * `npm run train` as a list of steps. Each step reads its declared data, trains, measures itself
 * on dev data, and returns its artifacts; the pipeline writes them and one manifest for the
 * versioned folder. Adding a model means adding a step to `TRAINING_STEPS` (docs/training.md).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetDeclarations } from '../classifier/dataset-declarations.js';
import {
  type Manifest,
  type ManifestInput,
  type ManifestStep,
  manifestSchema,
  readManifest,
  sha256Of,
} from '../classifier/model-manifest.js';

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

/**
 * Runs the steps in order, writes their artifacts and `manifest.json` into `outputDir`. When the
 * folder already holds a manifest (`npm run train -- --step NAME` rebuilding one model in place),
 * the entries and artifacts of the steps not run are kept as they were, in their places, so
 * rebuilding one model never drops another's record.
 */
export async function runTrainingPipeline(
  steps: readonly TrainingStep[],
  context: TrainingContext,
  outputDir: string,
  version: string,
): Promise<Manifest> {
  mkdirSync(outputDir, { recursive: true });
  const manifestPath = join(outputDir, 'manifest.json');
  const previous = existsSync(manifestPath) ? readManifest(manifestPath) : undefined;
  const built: ManifestStep[] = [];
  const builtArtifacts: Manifest['artifacts'] = [];
  for (const step of steps) {
    const started = performance.now();
    context.log(`${step.name}: training`);
    const result = await step.run(context);
    for (const artifact of result.artifacts) {
      const path = join(outputDir, artifact.file);
      writeFileSync(path, artifact.contents);
      builtArtifacts.push({
        file: artifact.file,
        sha256: sha256Of(path),
        bytes: Buffer.byteLength(artifact.contents),
        step: step.name,
      });
    }
    built.push({
      name: step.name,
      settings: { ...result.settings },
      inputs: [...result.inputs],
      metrics: { ...result.metrics },
    });
    context.log(
      `${step.name}: done in ${((performance.now() - started) / 1000).toFixed(1)} s ${JSON.stringify(result.metrics)}`,
    );
  }
  const validated = manifestSchema.parse(
    mergedManifest(previous, { version, seed: context.seed, steps: built, artifacts: builtArtifacts }),
  );
  writeFileSync(manifestPath, `${JSON.stringify(validated, null, 2)}\n`);
  return validated;
}

/**
 * The new manifest: the steps just built replace their earlier entries (in the earlier order),
 * steps new to the folder follow, and the earlier entries of steps not run stay as they were.
 */
export function mergedManifest(previous: Manifest | undefined, built: Manifest): Manifest {
  if (!previous) return built;
  const builtNames = new Set(built.steps.map((step) => step.name));
  const builtStep = new Map(built.steps.map((step) => [step.name, step]));
  const steps = [
    ...previous.steps.map((step) => builtStep.get(step.name) ?? step),
    ...built.steps.filter((step) => !previous.steps.some((earlier) => earlier.name === step.name)),
  ];
  const artifactsOf = (manifest: Manifest, name: string) =>
    manifest.artifacts.filter((artifact) => artifact.step === name);
  const artifacts = steps.flatMap((step) =>
    artifactsOf(builtNames.has(step.name) ? built : previous, step.name),
  );
  return { ...built, steps, artifacts };
}
