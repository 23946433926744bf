/**
 * The complaint model: a linear classifier over words and character grams (`npm run train`, step
 * `complaint`, see src/training/complaint-step.ts) that reads a grievance written in the
 * customer's own words, as CFPB narratives are ("I disputed this with them three times and they
 * still report it"), where no complaint word appears. Its bias is calibrated in training so that
 * 0.5 is the operating point chosen on dev data.
 */
import {
  createLinearClassifier,
  type LinearClassifier,
  linearModelSchema,
} from '../classifier/linear-classifier.js';
import { readShippedArtifact } from '../classifier/shipped-models.js';
import { withoutRedactionPlaceholders } from '../text/redaction-placeholder.js';
import { isStopWord } from '../text/stop-words.js';

/** File name of the complaint model in the models folder. */
export const COMPLAINT_MODEL_FILE = 'complaint.json';

/** Fewer words than this are too little evidence for the model alone (the lexicon still reads them). */
export const COMPLAINT_MODEL_MIN_WORDS = 8;

let shippedModel: LinearClassifier | undefined;

/** The committed complaint model of the active models version (loaded once, lazily, hash-checked). */
export function defaultComplaintClassifier(): LinearClassifier {
  shippedModel ??= createLinearClassifier(
    linearModelSchema.parse(JSON.parse(readShippedArtifact(COMPLAINT_MODEL_FILE))),
  );
  return shippedModel;
}

/**
 * The model's reading of a message: its score and, when it counts as a complaint, a cue naming the
 * strongest words behind it (so an agent sees why).
 */
export function complaintByModel(
  text: string,
  classifier: LinearClassifier,
): { readonly score: number; readonly cue?: string } {
  // A placeholder's label is not the customer's words: "email" and "address" are frequent in written
  // complaints, so "<EMAIL_ADDRESS_1>" alone would push an ordinary message towards one.
  const customerWords = withoutRedactionPlaceholders(text).trim();
  if (customerWords.split(/\s+/).length < COMPLAINT_MODEL_MIN_WORDS) return { score: 0 };
  const score = classifier.score(customerWords);
  if (score < 0.5) return { score };
  const strongest = classifier
    .explain(customerWords, 20)
    .filter((contribution) => contribution.weight > 0 && contribution.feature.startsWith('w:'))
    .map((contribution) => contribution.feature.slice(2))
    .filter((word) => !isStopWord(word))
    .slice(0, 3);
  return {
    score,
    cue: `complaint model ${score.toFixed(2)}${strongest.length > 0 ? `: ${strongest.join(', ')}` : ''}`,
  };
}
