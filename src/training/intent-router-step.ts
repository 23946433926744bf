/**
 * Training step for the intent router: committed examples plus declared public training data,
 * measured on BANKING77's dev part through the saved (quantised) artifact, so the figures
 * describe what ships. Two figures per dev set: `mapped_accuracy` routes each text as the server
 * does (`IntentRouter.route`, whose request checks may set a state change aside), and
 * `classifier_accuracy` takes the classifier's top label alone, so a change in the routing code
 * and a change in the model can be told apart. `npm test` recomputes both on the whole dev part
 * from the committed file. With `--with-approved`, approved agent-labelled examples join the
 * training texts and their held-aside part is measured too.
 */
import { join, relative } from 'node:path';
import { type DatasetDeclarations, declaredFile } from '../classifier/dataset-declarations.js';
import { type ManifestInput, sha256Of } from '../classifier/model-manifest.js';
import { EXAMPLES_PATH, IntentRouter } from '../routing/intent-router.js';
import { classifierFromArtifact, classifierToArtifact } from '../routing/router-artifact.js';
import { INTENT_ROUTER_FILE, SHIPPED_ROUTER_MIN_CONFIDENCE } from '../routing/shipped-router.js';
import type { LabelledText, TextClassifier } from '../routing/text-classifier.js';
import {
  AGENT_LABELLED_DATASET,
  AGENT_LABELLED_EXAMPLE_WEIGHT,
  AGENT_LABELLED_FILE,
  readAgentLabelled,
  withAgentLabelled,
} from './agent-labelled-data.js';
import type { TrainingContext, TrainingStep } from './train-pipeline.js';
import { ROUTER_TRAINING_SETTINGS, routerExamples, trainRouterClassifier } from './train-router.js';

/** Share of `rows` routed to the labelled intent (an uncertain `unknown` counts as wrong). */
export function routedAccuracy(router: IntentRouter, rows: readonly LabelledText[]): number {
  if (rows.length === 0) return 0;
  return rows.filter((row) => router.route(row.text).intent === row.label).length / rows.length;
}

/**
 * Share of `rows` whose top classifier label is the labelled intent at the shipped confidence
 * (below it, or `out_of_scope`, counts as wrong): the model alone, without the routing rules.
 */
export function classifierAccuracy(classifier: TextClassifier, rows: readonly LabelledText[]): number {
  if (rows.length === 0) return 0;
  const correct = rows.filter((row) => {
    const top = classifier.classify(row.text)[0];
    return top !== undefined && top.probability >= SHIPPED_ROUTER_MIN_CONFIDENCE && top.label === row.label;
  });
  return correct.length / rows.length;
}

/** The dev figures of a router classifier, as the manifest records them. */
export function routerDevMetrics(
  classifier: TextClassifier,
  devSets: Readonly<Record<string, readonly LabelledText[]>>,
): Record<string, number> {
  const router = new IntentRouter(classifier, { minConfidence: SHIPPED_ROUTER_MIN_CONFIDENCE });
  return Object.fromEntries(
    Object.entries(devSets).flatMap(([name, rows]) => [
      [`${name}.mapped_accuracy`, routedAccuracy(router, rows)],
      [`${name}.classifier_accuracy`, classifierAccuracy(classifier, rows)],
    ]),
  );
}

const PROJECT_ROOT = join(EXAMPLES_PATH, '..', '..', '..');

/** A manifest input for a declared dataset file; throws with the fix when it is not declared so. */
function declaredInput(
  declarations: DatasetDeclarations,
  dataset: string,
  path: string,
  role: 'train' | 'dev',
  sha256: string,
): ManifestInput {
  return { name: `${dataset}/${path}`, role, sha256, ...declaredFile(declarations, dataset, path, role) };
}

/** The texts a router is trained on before agent-labelled ones are added, with their provenance. */
export interface RouterTrainingData {
  readonly inputs: readonly ManifestInput[];
  readonly settings: Readonly<Record<string, number | string | boolean>>;
  readonly train: readonly LabelledText[];
  /** Named dev sets; each is reported as `<name>.mapped_accuracy` and `<name>.classifier_accuracy`. */
  readonly devSets: Readonly<Record<string, readonly LabelledText[]>>;
}

/** `examples.yaml`, BANKING77 train, NLU++ banking and HWU64 train: what `npm run train` reads. */
export function publicRouterTrainingData(context: TrainingContext): RouterTrainingData {
  const { declarations, datasetsDir } = context;
  const banking77 = join(datasetsDir, 'banking77');
  const nluppBanking = join(datasetsDir, 'nlupp_banking');
  const hwu64 = join(datasetsDir, 'hwu64_nlu_evaluation');
  const banking77Train = sha256Of(join(banking77, 'train.csv'));
  const inputs: ManifestInput[] = [
    {
      name: relative(PROJECT_ROOT, EXAMPLES_PATH),
      role: 'train',
      sha256: sha256Of(EXAMPLES_PATH),
      licence: 'same as Teller',
      attribution: 'written for Teller',
    },
    declaredInput(declarations, 'banking77', 'train.csv', 'train', banking77Train),
    declaredInput(declarations, 'banking77', 'train.csv#dev', 'dev', banking77Train),
    declaredInput(
      declarations,
      'nlupp_banking',
      'fold*.json',
      'train',
      sha256Of(nluppBanking, (name) => /^fold\d+\.json$/.test(name)),
    ),
    declaredInput(
      declarations,
      'hwu64_nlu_evaluation',
      'trainset/*.csv',
      'train',
      sha256Of(join(hwu64, 'trainset')),
    ),
  ];
  const { train, dev } = routerExamples({ banking77, nluppBanking, hwu64 });
  return {
    inputs,
    settings: { ...ROUTER_TRAINING_SETTINGS, trainingTexts: train.length, devTexts: dev.length },
    train,
    devSets: { banking77_dev: dev },
  };
}

/**
 * The router step over a source of training texts. Approved agent-labelled examples, when the
 * context names an export, are added to the texts (their dev part held aside and measured).
 */
export function createIntentRouterStep(
  source: (context: TrainingContext) => RouterTrainingData,
): TrainingStep {
  return {
    name: 'intent-router',
    run(context: TrainingContext) {
      const base = source(context);
      const inputs = [...base.inputs];
      const agentLabelled = context.agentLabelledDir
        ? readAgentLabelled(context.agentLabelledDir)
        : undefined;
      if (context.agentLabelledDir) {
        const exported = sha256Of(join(context.agentLabelledDir, AGENT_LABELLED_FILE));
        const { declarations } = context;
        inputs.push(
          declaredInput(declarations, AGENT_LABELLED_DATASET, AGENT_LABELLED_FILE, 'train', exported),
          declaredInput(declarations, AGENT_LABELLED_DATASET, `${AGENT_LABELLED_FILE}#dev`, 'dev', exported),
        );
      }
      const train = agentLabelled
        ? withAgentLabelled(base.train, agentLabelled.train, AGENT_LABELLED_EXAMPLE_WEIGHT)
        : base.train;
      const artifact = classifierToArtifact(trainRouterClassifier(train, context.seed));
      const devSets: Record<string, readonly LabelledText[]> = {
        ...base.devSets,
        ...(agentLabelled && agentLabelled.dev.length > 0 && { agent_labelled_dev: agentLabelled.dev }),
      };
      return {
        settings: {
          ...base.settings,
          ...(agentLabelled && {
            agentLabelledExampleWeight: AGENT_LABELLED_EXAMPLE_WEIGHT,
            agentLabelledTexts: agentLabelled.train.length,
            agentLabelledDevTexts: agentLabelled.dev.length,
          }),
        },
        inputs,
        // Measured through the saved artifact (quantised weights): the figures of what ships.
        metrics: routerDevMetrics(classifierFromArtifact(artifact), devSets),
        artifacts: [{ file: INTENT_ROUTER_FILE, contents: `${JSON.stringify(artifact)}\n` }],
      };
    },
  };
}

/** Builds `intent-router.json` from `examples.yaml`, BANKING77 train, NLU++ banking and HWU64 train. */
export const intentRouterStep: TrainingStep = createIntentRouterStep(publicRouterTrainingData);
