/**
 * A small, fast linear classifier (logistic regression over word and character n-grams). Weights
 * are trained offline (see `train-linear-classifier.ts` and `evals/guardrails/train-models.ts`),
 * pruned to the strongest features and committed as JSON, so nothing is downloaded or trained on
 * the request path and a score takes microseconds.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { attackCueFeatures } from './attack-cues.js';

/**
 * Feature name → finite weight. Checked in one loop rather than by `z.record(z.string(),
 * z.number())`, which runs two schemas per entry: the committed detectors hold about 38,000
 * weights, and that check was a fifth of start-up.
 */
function featureWeightsSchema() {
  return z.custom<Record<string, number>>(
    (value) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
      for (const weight of Object.values(value)) if (!Number.isFinite(weight)) return false;
      return true;
    },
    { message: 'weights must map each feature name to a finite number' },
  );
}

export const linearModelSchema = z
  .object({
    name: z.string(),
    /** Free-text record of the training data and command, so the file can be regenerated. */
    trainedOn: z.string(),
    trainedAt: z.string(),
    bias: z.number(),
    weights: featureWeightsSchema(),
    /** Features added to the n-grams: `attack-cues` (`attack-cues.ts`) for the attack detector. */
    structuralFeatures: z.enum(['attack-cues']).optional(),
  })
  .strict();
export type LinearModel = z.infer<typeof linearModelSchema>;

/** The kinds of structural feature a model can ask for. */
export type StructuralFeatures = NonNullable<LinearModel['structuralFeatures']>;

/**
 * How much more a structural feature counts than one n-gram: a text has dozens of n-grams and a
 * handful of cues, so at the n-grams' scale the cues would be drowned out by wording.
 */
export const STRUCTURAL_FEATURE_SCALE = 6;

/** The structural features of a text for a model that asks for them (none otherwise). */
export function structuralFeaturesOf(kind: StructuralFeatures | undefined, text: string): string[] {
  return kind === 'attack-cues' ? attackCueFeatures(text) : [];
}

const WORD = /[\p{L}\p{N}']+/gu;

/**
 * Feature names of a text: word unigrams (`w:`), word bigrams (`b:`) and character 4-grams inside
 * padded words (`c:`). Character grams make the model robust to typos, inflections and German.
 * Returned as a set: presence, not counts, so long texts are not scored higher for repetition.
 */
export function extractFeatures(text: string): Set<string> {
  const words = text.toLowerCase().match(WORD) ?? [];
  const features = new Set<string>();
  for (let index = 0; index < words.length; index += 1) {
    const word = words[index]!;
    features.add(`w:${word}`);
    if (index + 1 < words.length) features.add(`b:${word}_${words[index + 1]}`);
    const padded = `^${word}$`;
    for (let start = 0; start + 4 <= padded.length; start += 1)
      features.add(`c:${padded.slice(start, start + 4)}`);
  }
  return features;
}

/** Logistic function, clamped so extreme margins do not overflow. */
export function sigmoid(margin: number): number {
  return 1 / (1 + Math.exp(-Math.max(-30, Math.min(30, margin))));
}

/** A loaded model: `score(text)` is the probability of the positive class. */
export interface LinearClassifier {
  readonly name: string;
  score(text: string): number;
  /** The features that pushed the score most, for explaining a verdict. */
  explain(text: string, limit?: number): { feature: string; weight: number }[];
}

/** Feature names interned per classifier before the table is started afresh (bounds memory). */
const MAX_INTERNED_FEATURES = 200_000;

/**
 * Features as small numbers, and each word's own features (unigram and character grams) remembered:
 * building a dozen n-gram strings per word was most of a score, and messages reuse few words. The
 * numbering is per classifier; the table is started afresh when it grows past its bound.
 */
class FeatureTable {
  readonly #weights: ReadonlyMap<string, number>;
  #ids = new Map<string, number>();
  #weightById: number[] = [];
  #wordFeatures = new Map<string, Int32Array>();

  constructor(weights: ReadonlyMap<string, number>) {
    this.#weights = weights;
  }

  /** Starts afresh when full; called between scores, never during one. */
  bound(): void {
    if (this.#ids.size < MAX_INTERNED_FEATURES) return;
    this.#ids = new Map();
    this.#weightById = [];
    this.#wordFeatures = new Map();
  }

  weightOf(id: number): number {
    return this.#weightById[id]!;
  }

  id(feature: string): number {
    let id = this.#ids.get(feature);
    if (id === undefined) {
      id = this.#weightById.length;
      this.#ids.set(feature, id);
      this.#weightById.push(this.#weights.get(feature) ?? 0);
    }
    return id;
  }

  /** `w:` then every `c:` feature of a word, in `extractFeatures` order. */
  wordFeatures(word: string): Int32Array {
    let ids = this.#wordFeatures.get(word);
    if (!ids) {
      const padded = `^${word}$`;
      const features = [this.id(`w:${word}`)];
      for (let start = 0; start + 4 <= padded.length; start += 1)
        features.push(this.id(`c:${padded.slice(start, start + 4)}`));
      ids = Int32Array.from(features);
      this.#wordFeatures.set(word, ids);
    }
    return ids;
  }
}

/** Builds a classifier from model data. Features are scaled by 1/sqrt(n) (the vector's L2 norm). */
export function createLinearClassifier(model: LinearModel): LinearClassifier {
  const weights = new Map(Object.entries(model.weights));
  const table = new FeatureTable(weights);
  return {
    name: model.name,
    score(text) {
      // The same feature set, in the same order, as `extractFeatures` then the structural features
      // (as the trainer builds them): the sum is bit-for-bit the same.
      table.bound();
      const words = text.toLowerCase().match(WORD) ?? [];
      const features = new Set<number>();
      for (let index = 0; index < words.length; index += 1) {
        const word = words[index]!;
        const own = table.wordFeatures(word);
        features.add(own[0]!);
        if (index + 1 < words.length) features.add(table.id(`b:${word}_${words[index + 1]}`));
        for (let position = 1; position < own.length; position += 1) features.add(own[position]!);
      }
      const structural = new Set<number>();
      for (const feature of structuralFeaturesOf(model.structuralFeatures, text))
        structural.add(table.id(feature));
      const count = features.size + structural.size;
      if (count === 0) return sigmoid(model.bias);
      const scale = 1 / Math.sqrt(count);
      let margin = model.bias;
      for (const feature of features) margin += table.weightOf(feature) * scale;
      for (const feature of structural) margin += table.weightOf(feature) * scale * STRUCTURAL_FEATURE_SCALE;
      return sigmoid(margin);
    },
    explain(text, limit = 5) {
      return [...extractFeatures(text), ...structuralFeaturesOf(model.structuralFeatures, text)]
        .map((feature) => ({ feature, weight: weights.get(feature) ?? 0 }))
        .filter((entry) => entry.weight !== 0)
        .sort((left, right) => Math.abs(right.weight) - Math.abs(left.weight))
        .slice(0, limit);
    },
  };
}

/** Reads and validates a committed model file (fails fast with the file name when it is malformed). */
export function loadLinearModel(fileUrl: URL): LinearModel {
  const parsed = linearModelSchema.safeParse(JSON.parse(readFileSync(fileUrl, 'utf8')));
  if (!parsed.success) throw new Error(`Malformed model file ${fileUrl.pathname}: ${parsed.error.message}`);
  return parsed.data;
}
