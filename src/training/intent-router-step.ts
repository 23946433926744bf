/**
 * Training step for the intent router: committed examples plus declared public training data,
 * measured on BANKING77's dev part through the saved (quantised) artifact, so the figures
 * describe what ships. `npm test` recomputes the dev slice figure from the committed file.
 */
import { join, relative } from 'node:path';
import { declaredFile } from '../classifier/dataset-declarations.js';
import { type ManifestInput, sha256Of } from '../classifier/model-manifest.js';
import { EXAMPLES_PATH, IntentRouter } from '../routing/intent-router.js';
import { classifierFromArtifact, classifierToArtifact } from '../routing/router-artifact.js';
import { INTENT_ROUTER_FILE, SHIPPED_ROUTER_MIN_CONFIDENCE } from '../routing/shipped-router.js';
import type { LabelledText } from '../routing/text-classifier.js';
import type { TrainingContext, TrainingStep } from './train-pipeline.js';
import { ROUTER_TRAINING_SETTINGS, routerExamples, trainRouterClassifier } from './train-router.js';

/** How many dev texts (the first, in file order) `npm test` re-scores. */
export const DEV_SLICE_SIZE = 200;

/** Share of `rows` routed to the labelled intent (an uncertain `unknown` counts as wrong). */
export function routedAccuracy(router: IntentRouter, rows: readonly LabelledText[]): number {
  if (rows.length === 0) return 0;
  return rows.filter((row) => router.route(row.text).intent === row.label).length / rows.length;
}

const PROJECT_ROOT = join(EXAMPLES_PATH, '..', '..', '..');

/** Builds `intent-router.json` from `examples.yaml`, BANKING77 train, NLU++ banking and HWU64 train. */
export const intentRouterStep: TrainingStep = {
  name: 'intent-router',
  run(context: TrainingContext) {
    const { declarations, datasetsDir } = context;
    const banking77 = join(datasetsDir, 'banking77');
    const nluppBanking = join(datasetsDir, 'nlupp_banking');
    const hwu64 = join(datasetsDir, 'hwu64_nlu_evaluation');
    const declared = (
      dataset: string,
      path: string,
      role: 'train' | 'dev',
      sha256: string,
    ): ManifestInput => ({
      name: `${dataset}/${path}`,
      role,
      sha256,
      ...declaredFile(declarations, dataset, path, role),
    });
    const banking77Train = sha256Of(join(banking77, 'train.csv'));
    const inputs: ManifestInput[] = [
      {
        name: relative(PROJECT_ROOT, EXAMPLES_PATH),
        role: 'train',
        sha256: sha256Of(EXAMPLES_PATH),
        licence: 'same as Teller',
        attribution: 'written for Teller',
      },
      declared('banking77', 'train.csv', 'train', banking77Train),
      declared('banking77', 'train.csv#dev', 'dev', banking77Train),
      declared(
        'nlupp_banking',
        'fold*.json',
        'train',
        sha256Of(nluppBanking, (name) => /^fold\d+\.json$/.test(name)),
      ),
      declared('hwu64_nlu_evaluation', 'trainset/*.csv', 'train', sha256Of(join(hwu64, 'trainset'))),
    ];
    const { train, dev } = routerExamples({ banking77, nluppBanking, hwu64 });
    const artifact = classifierToArtifact(trainRouterClassifier(train, context.seed));
    const router = new IntentRouter(classifierFromArtifact(artifact), {
      minConfidence: SHIPPED_ROUTER_MIN_CONFIDENCE,
    });
    return {
      settings: { ...ROUTER_TRAINING_SETTINGS, trainingTexts: train.length, devTexts: dev.length },
      inputs,
      metrics: {
        'banking77_dev.mapped_accuracy': routedAccuracy(router, dev),
        'banking77_dev_slice.mapped_accuracy': routedAccuracy(router, dev.slice(0, DEV_SLICE_SIZE)),
      },
      artifacts: [{ file: INTENT_ROUTER_FILE, contents: `${JSON.stringify(artifact)}\n` }],
    };
  },
};
