/**
 * The saved form of a trained `TextClassifier`: labels, vocabulary, idf and weights in one JSON
 * file. Weights are quantised to 8 bits per feature row (each row keeps its own scale), which
 * keeps a router trained on thousands of public texts near one megabyte with probabilities that
 * differ from the float weights only in the third decimal.
 */
import { z } from 'zod';
import { TextClassifier } from './text-classifier.js';

/** The JSON schema of a saved classifier (`models/<version>/intent-router.json`). */
export const classifierArtifactSchema = z
  .object({
    format: z.literal('teller-text-classifier'),
    version: z.literal(1),
    labels: z.array(z.string().min(1)).min(2),
    terms: z.array(z.string()),
    /** Float32 little-endian, base64. */
    idf: z.string(),
    /** Int8 feature-major `terms × labels`, base64. */
    weights: z.string(),
    /** Float32 per term: the factor that turns a row's int8 weights back into floats, base64. */
    rowScales: z.string(),
    bias: z.array(z.number()),
  })
  .strict();
export type ClassifierArtifact = z.infer<typeof classifierArtifactSchema>;

const toBase64 = (array: Float32Array | Int8Array) =>
  Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');

function float32FromBase64(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  const copy = new Uint8Array(bytes);
  return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
}

/** Saves a trained classifier, quantising each feature's weights to int8. */
export function classifierToArtifact(classifier: TextClassifier): ClassifierArtifact {
  const state = classifier.exportState();
  const classes = state.labels.length;
  const features = state.terms.length;
  const quantised = new Int8Array(features * classes);
  const rowScales = new Float32Array(features);
  for (let feature = 0; feature < features; feature += 1) {
    let largest = 0;
    for (let label = 0; label < classes; label += 1)
      largest = Math.max(largest, Math.abs(state.weights[feature * classes + label]!));
    const scale = largest / 127;
    rowScales[feature] = scale;
    if (scale === 0) continue;
    for (let label = 0; label < classes; label += 1)
      quantised[feature * classes + label] = Math.round(state.weights[feature * classes + label]! / scale);
  }
  return {
    format: 'teller-text-classifier',
    version: 1,
    labels: [...state.labels],
    terms: state.terms,
    idf: toBase64(state.idf),
    weights: toBase64(quantised),
    rowScales: toBase64(rowScales),
    bias: [...state.bias],
  };
}

/** Rebuilds the classifier a saved artifact describes (validated; throws on a malformed file). */
export function classifierFromArtifact(input: unknown): TextClassifier {
  const artifact = classifierArtifactSchema.parse(input);
  const classes = artifact.labels.length;
  const features = artifact.terms.length;
  const quantised = new Int8Array(Buffer.from(artifact.weights, 'base64'));
  const rowScales = float32FromBase64(artifact.rowScales);
  const idf = float32FromBase64(artifact.idf);
  if (quantised.length !== features * classes || rowScales.length !== features || idf.length !== features)
    throw new Error('intent router artifact: weight, scale and idf sizes do not match the vocabulary');
  const weights = new Float32Array(features * classes);
  for (let feature = 0; feature < features; feature += 1) {
    const scale = rowScales[feature]!;
    for (let label = 0; label < classes; label += 1)
      weights[feature * classes + label] = quantised[feature * classes + label]! * scale;
  }
  return TextClassifier.fromState({
    labels: artifact.labels,
    terms: artifact.terms,
    idf,
    weights,
    bias: Float32Array.from(artifact.bias),
  });
}
