import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import {
  asksForAction,
  isStateChangingIntent,
  type NotARequestReason,
  notARequestReason,
} from './action-request.js';
import {
  compileMerchantList,
  type ExtractedArguments,
  extractArguments,
  type MerchantList,
} from './argument-extraction.js';
import {
  isTrainedIntent,
  kindOfIntent,
  type RouteIntent,
  type RouteKind,
  type TrainedIntent,
} from './intents.js';
import { type LabelledText, TextClassifier } from './text-classifier.js';

/** What the router decided about one message. */
export interface RouteResult {
  /** The chosen intent, or `unknown` when out of scope or below the confidence threshold. */
  readonly intent: RouteIntent;
  readonly kind: RouteKind;
  /** Probability of the top trained intent (also given when the result is `unknown`). */
  readonly confidence: number;
  /** The next most likely intents, best first. */
  readonly alternatives: ReadonlyArray<{ readonly intent: TrainedIntent; readonly confidence: number }>;
  /** Arguments stated in the message (dates, amounts, merchant, card...). */
  readonly arguments: ExtractedArguments;
  /**
   * Set when the classifier's top intent was a state change the message does not ask for (a
   * question about freezing, a card number, a "video card"): which intent was set aside and why.
   */
  readonly setAside?: { readonly intent: TrainedIntent; readonly reason: NotARequestReason };
  /**
   * Set when the intent is a state change the message explicitly asks for (its own verb, aimed at
   * the customer's own card), chosen over a weaker topic guess: it only ever leads to a question.
   */
  readonly explicitRequest?: true;
}

export interface IntentRouterOptions {
  /** Below this top probability the answer is `unknown`. */
  readonly minConfidence?: number;
  /** Clock for relative dates ("yesterday"). */
  readonly now?: () => Date;
  /** Merchant names recognised anywhere in a message, in their canonical spelling. */
  readonly merchants?: readonly string[];
}

const examplesSchema = z.record(z.string(), z.array(z.string().min(1)).min(25));

/** Path of the committed examples file. */
export const EXAMPLES_PATH = fileURLToPath(new URL('./examples.yaml', import.meta.url));

/** Loads and validates `examples.yaml`: every label must be a trained intent with ≥ 25 texts. */
export function loadBuiltInExamples(path = EXAMPLES_PATH): LabelledText[] {
  const parsed = examplesSchema.parse(parseYaml(readFileSync(path, 'utf8')));
  const examples: LabelledText[] = [];
  for (const [label, texts] of Object.entries(parsed)) {
    if (!isTrainedIntent(label))
      throw new Error(`examples.yaml: "${label}" is not a known intent (see src/routing/intents.ts)`);
    for (const text of texts) examples.push({ text, label });
  }
  return examples;
}

/**
 * Routes a customer message (already redacted) to a tool, a knowledge topic, a handoff or small
 * talk, with extracted arguments. Fully offline: a TF-IDF + softmax classifier trained at
 * construction time on a few hundred examples (well under a second).
 */
export class IntentRouter {
  readonly #classifier: TextClassifier;
  readonly #minConfidence: number;
  readonly #now: () => Date;
  readonly #merchants: MerchantList | undefined;

  constructor(classifier: TextClassifier, options: IntentRouterOptions = {}) {
    this.#classifier = classifier;
    this.#minConfidence = options.minConfidence ?? 0.3;
    this.#now = options.now ?? (() => new Date());
    this.#merchants = options.merchants && compileMerchantList(options.merchants);
  }

  route(text: string): RouteResult {
    const scores = this.#classifier.classify(text);
    const top = scores[0]!;
    // A state change is only ever proposed on an explicit request for it; otherwise the next
    // intent that only reads (or explains) stands in, and a card of another kind gets nothing.
    const reason = notARequestReason(text, top.label);
    // The classifier says what a message is about; an explicit request for an action ("frezze my
    // card pls", "can you block my credit card") outranks a topic guess, as long as the classifier
    // gives that action some weight and no other action is asked for as well.
    const explicitAction =
      isStateChangingIntent(top.label) && reason === undefined
        ? undefined
        : explicitlyRequestedAction(text, scores);
    const chosen = explicitAction
      ? explicitAction
      : reason
        ? reason === 'other_kind_of_card'
          ? undefined
          : scores.slice(1).find((score) => notARequestReason(text, score.label) === undefined)
        : top;
    const intent: RouteIntent =
      !chosen ||
      (chosen !== explicitAction && chosen.probability < this.#minConfidence) ||
      chosen.label === 'out_of_scope'
        ? 'unknown'
        : (chosen.label as RouteIntent);
    return {
      intent,
      kind: kindOfIntent(intent),
      confidence: (chosen ?? top).probability,
      alternatives: scores
        .filter((score) => score !== chosen)
        .slice(0, 3)
        .map((score) => ({ intent: score.label as TrainedIntent, confidence: score.probability })),
      arguments: this.argumentsOf(text),
      ...(reason && { setAside: { intent: top.label as TrainedIntent, reason } }),
      ...(explicitAction && { explicitRequest: true as const }),
    };
  }

  /** The arguments `route` would extract from this text, without classifying it. */
  argumentsOf(text: string): ExtractedArguments {
    return extractArguments(text, {
      now: this.#now(),
      ...(this.#merchants ? { merchants: this.#merchants } : {}),
    });
  }
}

/** Least classifier weight an explicitly requested action needs to outrank the top guess. */
const EXPLICIT_ACTION_MIN_PROBABILITY = 0.02;

/** The one state-changing intent the message explicitly asks for, if the classifier considers it. */
function explicitlyRequestedAction(
  text: string,
  scores: ReturnType<TextClassifier['classify']>,
): ReturnType<TextClassifier['classify']>[number] | undefined {
  const requested = scores.filter(
    (score) =>
      isStateChangingIntent(score.label) &&
      score.probability >= EXPLICIT_ACTION_MIN_PROBABILITY &&
      asksForAction(text, score.label),
  );
  return requested.length === 1 ? requested[0] : undefined;
}

export interface CreateIntentRouterOptions extends IntentRouterOptions {
  /**
   * Extra examples after the committed ones, e.g. a bank's own labelled conversations or rows
   * mapped from public datasets by the evals (`evals/routing/dataset-mapping.ts`).
   */
  readonly extraExamples?: readonly LabelledText[];
  readonly seed?: number;
}

/** Builds the router from the committed examples (plus extras when given). */
export function createIntentRouter(options: CreateIntentRouterOptions = {}): IntentRouter {
  const examples = [...loadBuiltInExamples(), ...(options.extraExamples ?? [])];
  const classifier = TextClassifier.train(examples, { epochs: 10, seed: options.seed ?? 7 });
  return new IntentRouter(classifier, options);
}
