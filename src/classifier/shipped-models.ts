/**
 * Reading the committed models folder: the path of the version the server loads and a reader that
 * checks each artifact against the manifest's SHA-256 before anyone uses it. Depends only on the
 * manifest schema, so any layer that loads a model may import it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { activeModelsVersion, modelsVersionDir } from './active-models.js';
import { readManifest, sha256Of } from './model-manifest.js';

/**
 * The models folder the server loads: the active version (`models/active.json`, or
 * `MODELS_VERSION` for this process), resolved once at start-up.
 */
export const SHIPPED_MODELS_DIR = `${modelsVersionDir(activeModelsVersion())}/`;

/**
 * The text of one artifact of a models folder, after checking its hash against the manifest (a
 * hand-edited or half-written file stops start-up with the fix).
 */
export function readShippedArtifact(file: string, modelsDir = SHIPPED_MODELS_DIR): string {
  const path = join(modelsDir, file);
  const manifest = readManifest(join(modelsDir, 'manifest.json'));
  const recorded = manifest.artifacts.find((artifact) => artifact.file === file);
  if (!recorded) throw new Error(`${join(modelsDir, 'manifest.json')} lists no ${file}: run npm run train`);
  if (sha256Of(path) !== recorded.sha256)
    throw new Error(`${path} does not match its manifest hash: run npm run train to rebuild the models`);
  return readFileSync(path, 'utf8');
}

/** The version named by the served folder's manifest (what each turn's audit record names). */
export function shippedModelsVersion(modelsDir = SHIPPED_MODELS_DIR): string {
  return readManifest(join(modelsDir, 'manifest.json')).version;
}
