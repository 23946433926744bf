/**
 * A candidate models version is complete: artifacts the training run did not rebuild are carried
 * over byte for byte from the active version, with their manifest steps, so the candidate can be
 * served (and evaluated) on its own and activation swaps whole folders.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Manifest, manifestSchema, readManifest, sha256Of } from '../classifier/model-manifest.js';

/** Copies into `candidateDir` every step of `activeDir` the candidate lacks; returns the new manifest. */
export function carryOverArtifacts(activeDir: string, candidateDir: string): Manifest {
  const active = readManifest(join(activeDir, 'manifest.json'));
  const candidate = readManifest(join(candidateDir, 'manifest.json'));
  const built = new Set(candidate.steps.map((step) => step.name));
  const carried = active.steps.filter((step) => !built.has(step.name));
  const artifacts = active.artifacts.filter((artifact) => !built.has(artifact.step));
  for (const artifact of artifacts) {
    const target = join(candidateDir, artifact.file);
    copyFileSync(join(activeDir, artifact.file), target);
    if (sha256Of(target) !== artifact.sha256)
      throw new Error(`${join(activeDir, artifact.file)} does not match its manifest hash: not carried over`);
  }
  const merged = manifestSchema.parse({
    ...candidate,
    steps: [...candidate.steps, ...carried],
    artifacts: [...candidate.artifacts, ...artifacts],
  });
  writeFileSync(join(candidateDir, 'manifest.json'), `${JSON.stringify(merged, null, 2)}\n`);
  return merged;
}
