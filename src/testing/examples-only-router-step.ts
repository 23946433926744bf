/**
 * A small, fast router training step for tests of the learning loop: the committed examples
 * only (no public datasets), through the same step code `npm run train` uses, so agent-labelled
 * examples join and are measured exactly as they do in a full run (about two seconds, seeded).
 */
import { join, relative } from 'node:path';
import { sha256Of } from '../classifier/model-manifest.js';
import { EXAMPLES_PATH, loadBuiltInExamples } from '../routing/intent-router.js';
import { createIntentRouterStep } from '../training/intent-router-step.js';
import type { TrainingStep } from '../training/train-pipeline.js';

export const examplesOnlyRouterStep: TrainingStep = createIntentRouterStep(() => ({
  inputs: [
    {
      name: relative(join(EXAMPLES_PATH, '..', '..', '..'), EXAMPLES_PATH),
      role: 'train',
      sha256: sha256Of(EXAMPLES_PATH),
      licence: 'same as Teller',
      attribution: 'written for Teller',
    },
  ],
  settings: { source: 'examples.yaml only' },
  train: loadBuiltInExamples(),
  devSets: {},
}));
