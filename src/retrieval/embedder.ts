import { analyzeTerms } from './analyzer.js';
import { termId } from './sparse-encoder.js';

/**
 * Turns texts into unit-length dense vectors (so a dot product is the cosine). `id` names the
 * model and its settings: it is part of each chunk's index fingerprint, so changing the model
 * re-embeds everything on the next ingest.
 */
export interface Embedder {
  readonly id: string;
  readonly dimensions: number;
  embedDocuments(texts: readonly string[]): Promise<Float32Array[]>;
  embedQuery(text: string): Promise<Float32Array>;
}

/** Scales a vector to unit length in place (a zero vector stays zero). */
export function normalizeInPlace(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let index = 0; index < vector.length; index++) vector[index]! /= norm;
  return vector;
}

/**
 * A test double: feature-hashes analyzed terms into a small vector with a hashed sign. Similar
 * texts get similar vectors, which is all the index contract tests need. It has no notion of
 * meaning and is not an offline model; do not use it for real retrieval.
 */
export class HashingEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;

  constructor({ dimensions = 64 }: { dimensions?: number } = {}) {
    this.dimensions = dimensions;
    this.id = `hashing:${dimensions}`;
  }

  async embedDocuments(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((text) => this.embedOne(text));
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return this.embedOne(text);
  }

  private embedOne(text: string): Float32Array {
    const vector = new Float32Array(this.dimensions);
    for (const term of analyzeTerms(text)) {
      const hash = termId(term);
      vector[hash % this.dimensions]! += (hash >> 16) & 1 ? 1 : -1;
    }
    return normalizeInPlace(vector);
  }
}
