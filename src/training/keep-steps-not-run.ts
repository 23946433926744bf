/**
 * `npm run train -- --step NAME` rebuilds some steps of the active version folder in place; the
 * pipeline writes a manifest of the steps it ran, so the steps it did not run (and their artifacts,
 * still on disk) are put back into it. Without this a one-step retrain left a manifest that no
 * longer listed the other models, and the server refused to load them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Manifest, manifestSchema, readManifest, sha256Of } from '../classifier/model-manifest.js';

/** Merges `earlier`'s steps that the fresh manifest in `modelsDir` lacks; returns the merged manifest. */
export function keepStepsNotRun(earlier: Manifest, modelsDir: string): Manifest {
  const fresh = readManifest(join(modelsDir, 'manifest.json'));
  const built = new Set(fresh.steps.map((step) => step.name));
  const artifacts = earlier.artifacts.filter((artifact) => !built.has(artifact.step));
  for (const artifact of artifacts)
    if (sha256Of(join(modelsDir, artifact.file)) !== artifact.sha256)
      throw new Error(
        `${join(modelsDir, artifact.file)} does not match its manifest hash: retrain every step`,
      );
  // Steps keep the order of the earlier manifest, with new steps after them.
  const order = [...earlier.steps.map((step) => step.name), ...fresh.steps.map((step) => step.name)];
  const steps = [...fresh.steps, ...earlier.steps.filter((step) => !built.has(step.name))].sort(
    (left, right) => order.indexOf(left.name) - order.indexOf(right.name),
  );
  const merged = manifestSchema.parse({
    ...fresh,
    steps,
    artifacts: [...artifacts, ...fresh.artifacts].sort(
      (left, right) => order.indexOf(left.step) - order.indexOf(right.step),
    ),
  });
  writeFileSync(join(modelsDir, 'manifest.json'), `${JSON.stringify(merged, null, 2)}\n`);
  return merged;
}
