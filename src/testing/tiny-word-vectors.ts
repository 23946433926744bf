import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes a word-vector cache in the version 1 format (a words file and 8-bit vectors with a scale
 * per word) for a tiny made-up vocabulary, so a test loads `WordVectorEmbedder` in milliseconds
 * instead of parsing the 300 MB package. The vectors are arbitrary but fixed.
 */
export function writeVersionOneWordVectorCache(
  directory: string,
  words: readonly string[],
  dimensions: number,
): void {
  const count = words.length;
  const binary = new Uint8Array(8 + count * 4 + count * dimensions);
  const header = new DataView(binary.buffer);
  header.setUint32(0, dimensions, true);
  header.setUint32(4, count, true);
  const scales = new Float32Array(count);
  const vectors = new Int8Array(count * dimensions);
  for (let row = 0; row < count; row++) {
    scales[row] = 0.01 * (row + 1);
    for (let index = 0; index < dimensions; index++)
      vectors[row * dimensions + index] = ((row * 31 + index * 17) % 255) - 127;
  }
  binary.set(new Uint8Array(scales.buffer), 8);
  binary.set(new Uint8Array(vectors.buffer), 8 + count * 4);
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, 'word-vectors-v1.words'), words.join('\n'));
  writeFileSync(join(directory, 'word-vectors-v1.bin'), binary);
}
