/**
 * Emotion cues: anger, frustration and distress in a customer's message. Two signals: cue
 * patterns from policy (precise, explainable: "furious", "third time", "panicking") and a linear
 * classifier trained offline on the GoEmotions train split plus customer-service examples. Either
 * may raise the cue; the classifier needs to clear the policy's `emotion_score`.
 */
import {
  createLinearClassifier,
  type LinearClassifier,
  linearModelSchema,
} from '../classifier/linear-classifier.js';
import { readShippedArtifact } from '../classifier/shipped-models.js';
import type { PolicySet } from '../policy/load-policies.js';
import { basicNormalize } from '../text/normalize.js';

let defaultModel: LinearClassifier | undefined;

/** File name of the emotion model in the models folder (built by `npm run train`). */
export const EMOTION_MODEL_FILE = 'emotion.json';

/** The committed emotion model from models/v1 (loaded once, lazily, hash-checked). */
export function defaultEmotionClassifier(): LinearClassifier {
  defaultModel ??= createLinearClassifier(
    linearModelSchema.parse(JSON.parse(readShippedArtifact(EMOTION_MODEL_FILE))),
  );
  return defaultModel;
}

export type EmotionCue = 'anger' | 'frustration' | 'distress';

export interface EmotionAssessment {
  /** Classifier probability that the message expresses a negative emotion. */
  readonly score: number;
  /** The cue named by a policy pattern, when one matched. */
  readonly cue?: EmotionCue;
  readonly rule?: string;
  /** True when either signal is strong enough to count. */
  readonly upset: boolean;
}

const GRATITUDE =
  /\b(?:thanks|thank you|cheers|(?:that was|that's|very|really) (?:helpful|great|useful)|perfect|brilliant)\b/i;

const LOWER_CASE_ASCII = /[a-z]/;

function isShouting(normalized: string): boolean {
  const letters = normalized.replace(/[^\p{L}]/gu, '');
  return letters.length >= 12 && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
}

/** Detects negative emotion in one (redacted) customer message. */
export function detectEmotion(
  text: string,
  policies: PolicySet,
  classifier: LinearClassifier = defaultEmotionClassifier(),
): EmotionAssessment {
  return detectEmotionInNormalized(basicNormalize(text), policies, classifier);
}

/** `detectEmotion` for a message already passed through `basicNormalize`. */
export function detectEmotionInNormalized(
  normalized: string,
  policies: PolicySet,
  classifier: LinearClassifier = defaultEmotionClassifier(),
): EmotionAssessment {
  const score = classifier.score(normalized);
  const match = policies.patternSets.emotionCues.first(normalized)?.item;
  const cue = match ? (match.id.replace(/^emotion\./, '') as EmotionCue) : undefined;
  // Shouting ("WHY IS MY CARD BLOCKED") reads as anger even without angry words. A lower-case
  // ASCII letter anywhere already rules it out (upper-casing would change it), so most messages
  // skip the letter-by-letter pass.
  const shouting = !LOWER_CASE_ASCII.test(normalized) && isShouting(normalized);
  return {
    score,
    cue: cue ?? (shouting ? 'anger' : undefined),
    rule: match?.id ?? (shouting ? 'emotion.shouting' : undefined),
    // Two or three words ("great, thanks!") are too little evidence for the model alone, and
    // thanks or praise without an emotion cue is not a reason to call a person.
    upset:
      Boolean(match) ||
      shouting ||
      (normalized.split(' ').length >= 4 &&
        !GRATITUDE.test(normalized) &&
        score >= policies.thresholds.emotion_score),
  };
}
