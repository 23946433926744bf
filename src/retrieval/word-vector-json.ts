/**
 * Reads the word-vector package's JSON (`{ dimensions, words: [...], vectors: { word: [...] } }`,
 * 300 MB) into 8-bit vectors with a scale per word, the form the vector cache keeps.
 *
 * `JSON.parse` of the whole file needs the 300 MB text as one string plus 341k arrays of 102
 * numbers as JavaScript objects: 11-17 s of CPU and over 500 MB resident at the first start. The
 * file is instead read in chunks and scanned byte by byte; each vector is quantized as soon as its
 * closing bracket is read, so no object is built for it. Numbers are converted exactly as
 * `JSON.parse` converts them (see `numberAt`), so the quantized vectors are identical. A file that
 * is not laid out as the package lays it out (vectors before words, a word without a vector, a
 * repeated word, a short or non-numeric vector) is read by `JSON.parse` instead, with the same
 * quantization (`quantizeWordVectors`).
 */
import { open, readFile } from 'node:fs/promises';
import { WordTable } from './word-table.js';

export interface QuantizedWordVectors {
  readonly rows: WordTable;
  /** Row-major, `dimensions` values per word: round(value / scale). */
  readonly vectors: Int8Array;
  /** Per word: its largest absolute value / 127 (1 when the vector is all zeros). */
  readonly scales: Float32Array;
  readonly dimensions: number;
}

interface ParsedWordVectors {
  readonly dimensions: number;
  readonly words: string[];
  readonly vectors: Record<string, number[]>;
}

/** Reads and quantizes the package file at `path`; `chunkBytes` is how much is read at a time. */
export async function readWordVectorJson(
  path: string,
  { chunkBytes = 4 * 1024 * 1024 }: { chunkBytes?: number } = {},
): Promise<QuantizedWordVectors> {
  try {
    return await scanFile(path, chunkBytes);
  } catch (error) {
    if (!(error instanceof NotAsPackaged)) throw error;
  }
  return quantizeWordVectors(JSON.parse(await readFile(path, 'utf8')) as ParsedWordVectors);
}

/** The quantization both readers apply, from a fully parsed file. */
export function quantizeWordVectors(parsed: ParsedWordVectors): QuantizedWordVectors {
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
  return { rows: WordTable.build(words), vectors, scales, dimensions };
}

/** The file is valid JSON but not in the package's layout: read it with `JSON.parse`. */
class NotAsPackaged extends Error {}

async function scanFile(path: string, chunkBytes: number): Promise<QuantizedWordVectors> {
  const scanner = new PackageScanner();
  const handle = await open(path, 'r');
  try {
    let carried: Buffer = Buffer.alloc(0);
    for (;;) {
      const chunk = Buffer.allocUnsafe(chunkBytes);
      const { bytesRead } = await handle.read(chunk, 0, chunkBytes, null);
      const last = bytesRead === 0;
      const data =
        carried.length > 0
          ? Buffer.concat([carried, chunk.subarray(0, bytesRead)])
          : chunk.subarray(0, bytesRead);
      const consumed = scanner.scan(data, last);
      // A token cut by the chunk's end is scanned again with the next chunk (copied: the chunk goes).
      carried = Buffer.from(data.subarray(consumed));
      if (last) break;
    }
    if (carried.length > 0) throw new NotAsPackaged();
  } finally {
    await handle.close();
  }
  return scanner.result();
}

/** Exact powers of ten as doubles (10^22 is the largest that is). */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, exponent) => Number(`1e${exponent}`));

enum Byte {
  Tab = 0x09,
  LineFeed = 0x0a,
  CarriageReturn = 0x0d,
  Space = 0x20,
  Quote = 0x22,
  Comma = 0x2c,
  Minus = 0x2d,
  Plus = 0x2b,
  Dot = 0x2e,
  Zero = 0x30,
  Nine = 0x39,
  Colon = 0x3a,
  UpperE = 0x45,
  OpenArray = 0x5b,
  Backslash = 0x5c,
  CloseArray = 0x5d,
  LowerA = 0x61,
  LowerE = 0x65,
  LowerZ = 0x7a,
  OpenObject = 0x7b,
  CloseObject = 0x7d,
}

/** Depth 1 is the top-level object; the words are at depth 2, each vector's numbers at depth 3. */
class PackageScanner {
  #dimensions = 0;
  readonly #words: string[] = [];
  #rows: WordTable | undefined;
  #vectors: Int8Array | undefined;
  #scales: Float32Array | undefined;
  #filled: Uint8Array | undefined;
  #filledCount = 0;
  readonly #topKeysSeen = new Set<string>();
  /** One entry per open container: true for an object. */
  readonly #isObject: boolean[] = [];
  #expectingKey = false;
  /** The top-level key whose value is being read. */
  #topKey = '';
  /** Row of the vector being read, -1 when its word is not in `words` (ignored, as before). */
  #row = -1;
  #valueIndex = 0;
  #rowValues = new Float64Array(0);
  /** The last number `numberAt` read. */
  #number = 0;

  /** Scans whole tokens of `bytes`; returns how many bytes were consumed (the rest is an unfinished token). */
  scan(bytes: Buffer, last: boolean): number {
    const end = bytes.length;
    let at = 0;
    while (at < end) {
      const byte = bytes[at]!;
      if (
        byte === Byte.Space ||
        byte === Byte.LineFeed ||
        byte === Byte.CarriageReturn ||
        byte === Byte.Tab
      ) {
        at++;
      } else if (byte === Byte.Quote) {
        const next = this.#stringAt(bytes, at);
        if (next < 0) return at;
        at = next;
      } else if (byte === Byte.Minus || (byte >= Byte.Zero && byte <= Byte.Nine)) {
        const next = this.#numberAt(bytes, at, last);
        if (next < 0) return at;
        this.#onNumber(this.#number);
        at = next;
      } else if (byte === Byte.Comma) {
        this.#expectingKey = this.#isObject.at(-1) === true;
        at++;
      } else if (byte === Byte.Colon) {
        at++;
      } else if (byte === Byte.OpenObject || byte === Byte.OpenArray) {
        this.#open(byte === Byte.OpenObject);
        at++;
      } else if (byte === Byte.CloseObject || byte === Byte.CloseArray) {
        this.#close();
        at++;
      } else if (byte >= Byte.LowerA && byte <= Byte.LowerZ) {
        // true, false or null: not part of any word or vector in the package's layout.
        let next = at;
        while (next < end && bytes[next]! >= Byte.LowerA && bytes[next]! <= Byte.LowerZ) next++;
        if (next === end && !last) return at;
        if (this.#inVectors() || this.#inWords()) throw new NotAsPackaged();
        at = next;
      } else {
        throw new NotAsPackaged();
      }
    }
    return at;
  }

  result(): QuantizedWordVectors {
    const rows = this.#rows;
    if (!rows || !this.#vectors || !this.#scales || this.#filledCount !== this.#words.length)
      throw new NotAsPackaged();
    return { rows, vectors: this.#vectors, scales: this.#scales, dimensions: this.#dimensions };
  }

  #inWords(): boolean {
    return this.#topKey === 'words' && this.#isObject.length >= 2;
  }

  /** Inside the vectors object, where only keys and arrays of numbers belong. */
  #inVectors(): boolean {
    return this.#topKey === 'vectors' && this.#isObject.length >= 2;
  }

  #open(isObject: boolean): void {
    this.#isObject.push(isObject);
    const depth = this.#isObject.length;
    this.#expectingKey = isObject;
    if (depth === 2 && this.#topKey === 'vectors') {
      if (!isObject) throw new NotAsPackaged();
      this.#beginVectors();
    } else if (depth === 2 && this.#topKey === 'words') {
      if (isObject) throw new NotAsPackaged();
    } else if (depth === 3 && this.#topKey === 'vectors') {
      if (isObject) throw new NotAsPackaged();
      this.#valueIndex = 0;
    } else if (depth > 3 && this.#topKey === 'vectors') {
      throw new NotAsPackaged();
    } else if (depth === 3 && this.#topKey === 'words') {
      throw new NotAsPackaged();
    }
  }

  #close(): void {
    if (this.#isObject.length === 3 && this.#topKey === 'vectors') this.#endVector();
    this.#isObject.pop();
    this.#expectingKey = false;
  }

  #beginVectors(): void {
    const words = this.#words;
    const dimensions = this.#dimensions;
    if (!Number.isInteger(dimensions) || dimensions <= 0 || words.length === 0) throw new NotAsPackaged();
    const rows = WordTable.build(words);
    // A repeated word would need its vector in every row it has: left to JSON.parse.
    for (let row = 0; row < words.length; row++)
      if (rows.rowOf(words[row]!) !== row) throw new NotAsPackaged();
    this.#rows = rows;
    this.#vectors = new Int8Array(words.length * dimensions);
    this.#scales = new Float32Array(words.length);
    this.#filled = new Uint8Array(words.length);
    this.#rowValues = new Float64Array(dimensions);
  }

  #onKey(key: string): void {
    const depth = this.#isObject.length;
    if (depth === 1) {
      // JSON.parse keeps the last of repeated keys; the scan would have used the first.
      if (this.#topKeysSeen.has(key) && ['dimensions', 'words', 'vectors'].includes(key))
        throw new NotAsPackaged();
      this.#topKeysSeen.add(key);
      // Vectors before their words cannot be placed in rows.
      if (key === 'vectors' && !this.#topKeysSeen.has('words')) throw new NotAsPackaged();
      this.#topKey = key;
    } else if (depth === 2 && this.#topKey === 'vectors') {
      this.#row = this.#rows!.rowOf(key) ?? -1;
    }
  }

  #onNumber(value: number): void {
    const depth = this.#isObject.length;
    if (depth === 3 && this.#topKey === 'vectors') {
      if (this.#valueIndex < this.#dimensions) this.#rowValues[this.#valueIndex] = value;
      this.#valueIndex++;
    } else if (depth === 1 && this.#topKey === 'dimensions') {
      this.#dimensions = value;
    } else if (this.#inWords() || this.#inVectors()) {
      throw new NotAsPackaged();
    }
  }

  #endVector(): void {
    const row = this.#row;
    if (row < 0) return;
    const dimensions = this.#dimensions;
    if (this.#valueIndex < dimensions) throw new NotAsPackaged();
    const values = this.#rowValues;
    let largest = 0;
    for (let index = 0; index < dimensions; index++) largest = Math.max(largest, Math.abs(values[index]!));
    const scale = largest > 0 ? largest / 127 : 1;
    this.#scales![row] = scale;
    const vectors = this.#vectors!;
    for (let index = 0; index < dimensions; index++)
      vectors[row * dimensions + index] = Math.round(values[index]! / scale);
    if (this.#filled![row] === 0) {
      this.#filled![row] = 1;
      this.#filledCount++;
    }
  }

  /** Reads the string starting at `start` (its opening quote); returns the offset after it, or -1 if it is cut off. */
  #stringAt(bytes: Buffer, start: number): number {
    const end = bytes.length;
    let at = start + 1;
    let escaped = false;
    while (at < end) {
      const byte = bytes[at]!;
      if (byte === Byte.Quote) break;
      if (byte === Byte.Backslash) {
        escaped = true;
        at += 2;
      } else {
        at++;
      }
    }
    if (at >= end) return -1;
    const text = escaped
      ? (JSON.parse(bytes.toString('utf8', start, at + 1)) as string)
      : bytes.toString('utf8', start + 1, at);
    if (this.#expectingKey) {
      this.#expectingKey = false;
      this.#onKey(text);
    } else if (this.#inWords() && this.#isObject.length === 2) {
      this.#words.push(text);
    } else if (this.#inVectors()) {
      throw new NotAsPackaged();
    }
    return at + 1;
  }

  /**
   * Reads the number starting at `start` into `#number`; returns the offset after it, or -1 when
   * it may go on in the next chunk. Up to 15 significant digits and a decimal exponent within
   * ±22, the digits and the power of ten are both exact doubles, so one division or
   * multiplication gives the correctly rounded value, which is what `JSON.parse` gives; any other
   * number is converted by `Number` from its text, as `JSON.parse` would.
   */
  #numberAt(bytes: Buffer, start: number, last: boolean): number {
    const end = bytes.length;
    let at = start;
    const negative = bytes[at] === Byte.Minus;
    if (negative) at++;
    let digits = 0;
    let significant = 0;
    let exponent = 0;
    let exact = true;
    // Integer and fraction digits accumulate alike; each fraction digit also moves the exponent.
    let inFraction = false;
    for (; at < end; at++) {
      const byte = bytes[at]!;
      if (byte === Byte.Dot && !inFraction) {
        inFraction = true;
        continue;
      }
      if (byte < Byte.Zero || byte > Byte.Nine) break;
      const digit = byte - Byte.Zero;
      if (significant > 0 || digit > 0) {
        if (significant < 15) digits = digits * 10 + digit;
        else exact = false;
        significant++;
      }
      if (inFraction) exponent--;
    }
    if (at < end && (bytes[at] === Byte.LowerE || bytes[at] === Byte.UpperE)) {
      // Rare in the package: left to Number.
      exact = false;
      at++;
      if (at < end && (bytes[at] === Byte.Plus || bytes[at] === Byte.Minus)) at++;
      while (at < end && bytes[at]! >= Byte.Zero && bytes[at]! <= Byte.Nine) at++;
    }
    if (at === end && !last) return -1;
    if (exact && exponent >= -22) {
      const magnitude = digits / POWERS_OF_TEN[-exponent]!;
      this.#number = negative ? -magnitude : magnitude;
    } else {
      this.#number = Number(bytes.toString('latin1', start, at));
    }
    return at;
  }
}
