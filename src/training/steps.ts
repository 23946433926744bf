import { attackDetectorStep } from './attack-detector-step.js';
import { complaintStep } from './complaint-step.js';
import { emotionStep } from './emotion-step.js';
import { intentRouterStep } from './intent-router-step.js';
import { scopeStep } from './scope-step.js';
import type { TrainingStep } from './train-pipeline.js';

/** The steps of `npm run train`, in order. Add a model by appending its step (docs/training.md). */
export const TRAINING_STEPS: readonly TrainingStep[] = [
  intentRouterStep,
  scopeStep,
  emotionStep,
  complaintStep,
  attackDetectorStep,
];
