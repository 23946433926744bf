/**
 * Trains the intent router Teller ships: the committed examples plus public labelled data
 * (BANKING77 train minus its dev part, NLU++ banking, HWU64 non-banking scenarios as
 * out-of-scope). Run by `npm run train`, never at start-up.
 */
import { loadBuiltInExamples } from '../routing/intent-router.js';
import { type LabelledText, TextClassifier } from '../routing/text-classifier.js';
import {
  balancedByIntent,
  banking77TrainAndDev,
  hwu64OutOfScope,
  nluppTrain,
} from './router-training-data.js';

/** Dataset folders the router is trained from (absent optional ones are skipped). */
export interface RouterTrainingSources {
  readonly banking77: string;
  readonly nluppBanking?: string;
  readonly hwu64?: string;
}

/** Training settings recorded in the manifest, so a rebuild can be checked against it. */
export const ROUTER_TRAINING_SETTINGS = {
  epochs: 8,
  minDf: 2,
  nluppPerIntent: 80,
  banking77PerIntent: 5000,
  hwu64OutOfScope: 400,
  /** The committed examples are our own phrasing of Teller's intents: counted this many times. */
  committedExampleWeight: 3,
} as const;

/** The training and dev texts for the shipped router. */
export function routerExamples(sources: RouterTrainingSources): {
  readonly train: LabelledText[];
  readonly dev: LabelledText[];
} {
  const committed = loadBuiltInExamples();
  const banking77 = banking77TrainAndDev(sources.banking77);
  const train = [
    ...Array.from({ length: ROUTER_TRAINING_SETTINGS.committedExampleWeight }, () => committed).flat(),
    ...balancedByIntent(banking77.train, ROUTER_TRAINING_SETTINGS.banking77PerIntent),
    ...(sources.nluppBanking
      ? nluppTrain(sources.nluppBanking, ROUTER_TRAINING_SETTINGS.nluppPerIntent)
      : []),
    ...(sources.hwu64 ? hwu64OutOfScope(sources.hwu64, ROUTER_TRAINING_SETTINGS.hwu64OutOfScope) : []),
  ];
  return { train, dev: banking77.dev };
}

/** Trains the router's classifier; deterministic for a given seed. */
export function trainRouterClassifier(train: readonly LabelledText[], seed: number): TextClassifier {
  return TextClassifier.train(train, {
    epochs: ROUTER_TRAINING_SETTINGS.epochs,
    minDf: ROUTER_TRAINING_SETTINGS.minDf,
    seed,
  });
}
