/**
 * Training step for the attack detector (prompt injection and jailbreak): logistic regression over
 * word and character n-grams plus structural attack cues, trained on the train rows of every attack
 * source and the benign hard negatives, with attacks also hidden in document carriers, then
 * calibrated so that the dev false-positive budget on benign traffic lands on the policy's
 * `injection_score`. The corpus (sources, declared splits, augmentation, calibration) is shared with
 * the eval's leave-one-source-out folds in evals/guardrails/detectors/; see docs/attacks.md.
 */
import { join } from 'node:path';
import {
  ATTACK_SOURCES,
  attackDevMetrics,
  devBenignTexts,
  SHIPPED_THRESHOLD,
  trainCalibratedAttackModel,
} from '../../evals/guardrails/detectors/corpus.js';
import { ARTIFACT_FILES, readDetectorSources } from '../../evals/guardrails/detectors/sources.js';
import { declaredFile } from '../classifier/dataset-declarations.js';
import { ATTACK_DETECTOR_FILE } from '../classifier/detector-models.js';
import { type ManifestInput, sha256Of } from '../classifier/model-manifest.js';
import type { TrainingContext, TrainingStep } from './train-pipeline.js';

/** Every file the corpus reads, as declared in models/datasets.yaml (path, and the file hashed). */
interface DeclaredInput {
  readonly dataset: string;
  /** The path as declared (a pattern or a `#part` names a subset). */
  readonly path: string;
  /** The file hashed, when it differs from the declared path. */
  readonly file?: string;
  readonly role: 'train' | 'dev';
}

const INPUTS: readonly DeclaredInput[] = [
  { dataset: 'deepset_prompt_injections', path: 'DERIVED_train.jsonl', role: 'train' },
  { dataset: 'purplellama_prompt_injection', path: 'prompt_injection.json', role: 'train' },
  ...ARTIFACT_FILES.map((file) => ({
    dataset: 'jailbreakbench_artifacts',
    path: 'attack-artifacts/*/*/*.json',
    file: `attack-artifacts/${file}`,
    role: 'train' as const,
  })),
  { dataset: 'jailbreakbench_behaviors', path: 'benign-behaviors.csv', role: 'train' },
  { dataset: 'bipia_indirect_injection', path: 'email/train.jsonl', role: 'train' },
  { dataset: 'bipia_indirect_injection', path: 'text_attack_train.json', role: 'train' },
  { dataset: 'bipia_indirect_injection', path: 'code_attack_train.json', role: 'train' },
  { dataset: 'notinject_piguard', path: 'NotInject_one.json', role: 'train' },
  { dataset: 'notinject_piguard', path: 'NotInject_two.json', role: 'train' },
  { dataset: 'notinject_piguard', path: 'NotInject_three.json', role: 'train' },
  { dataset: 'xstest', path: 'xstest_prompts.csv', role: 'train' },
  { dataset: 'banking77', path: 'train.csv', role: 'train' },
  {
    dataset: 'dstc11_natcs_banking_finance_intents',
    path: 'test-finance/test-utterances.jsonl#attack-calibration',
    role: 'dev',
  },
];

export const attackDetectorStep: TrainingStep = {
  name: 'attack-detector',
  run(context: TrainingContext) {
    const inputs: ManifestInput[] = INPUTS.map((input) => {
      const file = input.file ?? input.path.replace(/#.*$/, '');
      return {
        name: `${input.dataset}/${file}`,
        role: input.role,
        sha256: sha256Of(join(context.datasetsDir, input.dataset, file)),
        ...declaredFile(context.declarations, input.dataset, input.path, input.role),
      };
    });
    const rows = readDetectorSources(context.datasetsDir);
    const { model, shift } = trainCalibratedAttackModel(rows);
    const attack = { ...model, name: 'attack' };
    const metrics = attackDevMetrics(attack, rows);
    return {
      settings: {
        threshold: SHIPPED_THRESHOLD,
        calibrationShift: Math.round(shift * 1000) / 1000,
        devBenignTexts: devBenignTexts(rows).length,
        attackSources: ATTACK_SOURCES.join(','),
        structuralFeatures: 'attack-cues',
        features: Object.keys(attack.weights).length,
      },
      inputs,
      metrics,
      artifacts: [{ file: ATTACK_DETECTOR_FILE, contents: `${JSON.stringify(attack)}\n` }],
    };
  },
};
