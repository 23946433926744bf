/**
 * The intent router Teller ships: the classifier `npm run train` saved in the models folder,
 * checked against its manifest hash and wrapped in an `IntentRouter` with the shipped
 * confidence threshold. The server and every eval build the router through this one function,
 * so a figure always describes the router customers talk to.
 */
import { readShippedArtifact, SHIPPED_MODELS_DIR } from '../classifier/shipped-models.js';
import { IntentRouter, type IntentRouterOptions } from './intent-router.js';
import { classifierFromArtifact } from './router-artifact.js';
import type { TextClassifier } from './text-classifier.js';

export { SHIPPED_MODELS_DIR };

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
  const classifier = classifierFromArtifact(JSON.parse(readShippedArtifact(INTENT_ROUTER_FILE, modelsDir)));
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
