/**
 * The intent router Teller ships: the classifier `npm run train` saved in the models folder,
 * checked against its manifest hash and wrapped in an `IntentRouter` with the shipped
 * confidence threshold. The server and every eval build the router through this one function,
 * so a figure always describes the router customers talk to.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readManifest, sha256Of } from '../training/manifest.js';
import { IntentRouter, type IntentRouterOptions } from './intent-router.js';
import { classifierFromArtifact } from './router-artifact.js';
import type { TextClassifier } from './text-classifier.js';

/** The models folder the server loads (the current version). */
export const SHIPPED_MODELS_DIR = fileURLToPath(new URL('../../models/v1/', import.meta.url));

/** File name of the router inside a models version folder. */
export const INTENT_ROUTER_FILE = 'intent-router.json';

/** Below this top probability the router answers `unknown`: the shipped setting. */
export const SHIPPED_ROUTER_MIN_CONFIDENCE = 0.3;

const loaded = new Map<string, TextClassifier>();

/**
 * Loads the router classifier of a models folder once per process, after checking the file's
 * SHA-256 against the manifest (a hand-edited or half-written artifact stops start-up).
 */
export function loadRouterClassifier(modelsDir = SHIPPED_MODELS_DIR): TextClassifier {
  const cached = loaded.get(modelsDir);
  if (cached) return cached;
  const path = join(modelsDir, INTENT_ROUTER_FILE);
  const manifest = readManifest(join(modelsDir, 'manifest.json'));
  const recorded = manifest.artifacts.find((artifact) => artifact.file === INTENT_ROUTER_FILE);
  if (!recorded)
    throw new Error(`${modelsDir}manifest.json lists no ${INTENT_ROUTER_FILE}: run npm run train`);
  if (sha256Of(path) !== recorded.sha256)
    throw new Error(`${path} does not match its manifest hash: run npm run train to rebuild the models`);
  const classifier = classifierFromArtifact(JSON.parse(readFileSync(path, 'utf8')));
  loaded.set(modelsDir, classifier);
  return classifier;
}

/** Options of the shipped router that callers may set (the clock and merchant list, not the model). */
export type ShippedRouterOptions = Pick<IntentRouterOptions, 'now' | 'merchants'>;

/** The router the server uses: the committed model with the shipped threshold. */
export function createShippedIntentRouter(
  options: ShippedRouterOptions = {},
  modelsDir = SHIPPED_MODELS_DIR,
): IntentRouter {
  return new IntentRouter(loadRouterClassifier(modelsDir), {
    ...options,
    minConfidence: SHIPPED_ROUTER_MIN_CONFIDENCE,
  });
}
