/**
 * The trained detectors: the attack model (prompt injection and jailbreak, from the active models
 * version, written by `npm run train`) and, under models/detectors/ (written by
 * `npm run train:detectors`), the abuse, threat and regulated-advice models, with the operating
 * thresholds recorded in the manifest. Loaded once, lazily, and validated, so a missing or
 * malformed file fails at start-up with the command that regenerates it.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  createLinearClassifier,
  type LinearClassifier,
  linearModelSchema,
  loadLinearModel,
} from './linear-classifier.js';
import { readShippedArtifact } from './shipped-models.js';

/**
 * The attack detector is built by `npm run train` (step `attack-detector`) into the active models
 * version, beside the language models, and checked against that version's manifest hash.
 */
export const ATTACK_DETECTOR_FILE = 'attack-detector.json';

function loadAttackModel() {
  const parsed = linearModelSchema.safeParse(JSON.parse(readShippedArtifact(ATTACK_DETECTOR_FILE)));
  if (!parsed.success)
    throw new Error(
      `Malformed ${ATTACK_DETECTOR_FILE}: ${parsed.error.message}. Rebuild it with npm run train.`,
    );
  return parsed.data;
}

const DETECTORS_DIRECTORY = new URL('../../models/detectors/', import.meta.url);

const manifestSchema = z.object({
  models: z.object({
    attack: z.object({ threshold: z.number().min(0).max(1) }),
    abuse: z.object({ threshold: z.number().min(0).max(1) }),
    threat: z.object({ threshold: z.number().min(0).max(1) }),
    advice: z.object({ threshold: z.number().min(0).max(1) }),
  }),
});

export type DetectorName = 'attack' | 'abuse' | 'threat' | 'advice';

/** A loaded detector and the score at or above which it fires. */
export interface Detector {
  readonly classifier: LinearClassifier;
  readonly threshold: number;
}

let loaded: Readonly<Record<DetectorName, Detector>> | undefined;

function loadAll(): Readonly<Record<DetectorName, Detector>> {
  const manifestUrl = new URL('manifest.json', DETECTORS_DIRECTORY);
  let manifest: z.infer<typeof manifestSchema>;
  try {
    manifest = manifestSchema.parse(JSON.parse(readFileSync(manifestUrl, 'utf8')));
  } catch (error) {
    throw new Error(
      `Cannot read ${manifestUrl.pathname}: ${(error as Error).message}. Regenerate it with npm run train:detectors.`,
    );
  }
  const detector = (name: DetectorName): Detector => ({
    classifier: createLinearClassifier(loadLinearModel(new URL(`${name}.json`, DETECTORS_DIRECTORY))),
    threshold: manifest.models[name].threshold,
  });
  return {
    attack: {
      classifier: createLinearClassifier(loadAttackModel()),
      threshold: manifest.models.attack.threshold,
    },
    abuse: detector('abuse'),
    threat: detector('threat'),
    advice: detector('advice'),
  };
}

/** The committed detector of that name (all are loaded on the first call). */
export function committedDetector(name: DetectorName): Detector {
  loaded ??= loadAll();
  return loaded[name];
}
