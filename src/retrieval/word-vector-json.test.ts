import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useTemporaryDirectories } from '../testing/temporary-directories.js';
import { type QuantizedWordVectors, quantizeWordVectors, readWordVectorJson } from './word-vector-json.js';

const temporaryDirectory = useTemporaryDirectories('teller-word-vector-json-');

/** The typed arrays as bytes, so equal means bit for bit (scales included). */
function bytesOf(result: QuantizedWordVectors) {
  const view = (array: ArrayBufferView) => Buffer.from(array.buffer, array.byteOffset, array.byteLength);
  return {
    dimensions: result.dimensions,
    vectors: view(result.vectors),
    scales: view(result.scales),
    words: view(result.rows.bytes),
    offsets: view(result.rows.offsets),
    slots: view(result.rows.slots),
  };
}

/** What the loader did before the scanner: `JSON.parse` of the whole file, then quantization. */
function parsedWhole(path: string): QuantizedWordVectors {
  return quantizeWordVectors(JSON.parse(readFileSync(path, 'utf8')));
}

/** Number texts as JSON allows them: what JSON.stringify writes, long fractions, exponents, zeros. */
const numberText = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => JSON.stringify(value)),
  fc
    .tuple(
      fc.boolean(),
      fc.stringMatching(/^(0|[1-9][0-9]{0,17})$/),
      fc.option(fc.stringMatching(/^[0-9]{1,26}$/)),
      fc.option(fc.stringMatching(/^[eE][+-]?[0-9]{1,3}$/)),
    )
    .map(
      ([negative, whole, fraction, exponent]) =>
        `${negative ? '-' : ''}${whole}${fraction === null ? '' : `.${fraction}`}${exponent ?? ''}`,
    ),
);

const whitespace = fc.constantFrom('', ' ', '\n', '\t ', '\r\n  ');

interface PackageShape {
  readonly words: string[];
  readonly dimensions: number;
  readonly vectors: string[][];
  readonly extraValues: number;
  readonly order: number[];
  readonly space: string;
  readonly vectorsFirst: boolean;
  readonly dropVector: boolean;
}

const packageShape = fc
  .record({
    words: fc.uniqueArray(
      fc.oneof(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }),
        fc.constantFrom('"', '\\', 'é', '日本', 'a"b'),
      ),
      { minLength: 1, maxLength: 12 },
    ),
    dimensions: fc.integer({ min: 1, max: 6 }),
    extraValues: fc.integer({ min: 0, max: 2 }),
    space: whitespace,
    vectorsFirst: fc.boolean(),
    dropVector: fc.boolean(),
  })
  .chain((shape) =>
    fc.record({
      ...Object.fromEntries(Object.entries(shape).map(([key, value]) => [key, fc.constant(value)])),
      vectors: fc.array(
        fc.array(numberText, {
          minLength: shape.dimensions + shape.extraValues,
          maxLength: shape.dimensions + shape.extraValues,
        }),
        {
          minLength: shape.words.length,
          maxLength: shape.words.length,
        },
      ),
      order: fc.shuffledSubarray(
        shape.words.map((_, index) => index),
        { minLength: shape.words.length, maxLength: shape.words.length },
      ),
    }),
  ) as fc.Arbitrary<PackageShape>;

/** The package's layout (header numbers, words, vectors by word, a trailing vector) written as text. */
function packageText(shape: PackageShape): string {
  const s = shape.space;
  const kept = shape.dropVector ? shape.order.slice(1) : shape.order;
  const vectors = `"vectors":${s}{${kept
    .map((row) => `${s}${JSON.stringify(shape.words[row])}${s}:${s}[${shape.vectors[row]!.join(`,${s}`)}]`)
    .join(',')}${s}}`;
  const words = `"words":${s}[${shape.words.map((word) => JSON.stringify(word)).join(`,${s}`)}]`;
  const header = `"precision":8,${s}"note":${s}{"nested":[1,{"x":null}],"flag":true},${s}"dimensions":${s}${shape.dimensions}`;
  const body = shape.vectorsFirst ? `${vectors},${s}${words}` : `${words},${s}${vectors}`;
  return `${s}{${s}${header},${s}${body},${s}"unkVector":[0,0,-1]${s}}${s}`;
}

describe('readWordVectorJson', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('when a file in any layout is read in chunks of any size then it gives what JSON.parse of the whole file gives, bit for bit', async () => {
    const directory = temporaryDirectory();
    await fc.assert(
      fc.asyncProperty(packageShape, fc.integer({ min: 1, max: 40 }), async (shape, chunkBytes) => {
        const path = join(directory, 'vectors.json');
        writeFileSync(path, packageText(shape));
        expect(bytesOf(await readWordVectorJson(path, { chunkBytes }))).toEqual(bytesOf(parsedWhole(path)));
      }),
      { numRuns: 200 },
    );
  });

  it('when the file is laid out as the package is then it is scanned, never parsed whole', async () => {
    const path = join(temporaryDirectory(), 'vectors.json');
    const shape: PackageShape = {
      words: ['the', ',', 'bank', '"quoted"', 'café'],
      dimensions: 3,
      vectors: [
        ['0.5', '-0.25', '1.125', '7', '0'],
        ['-0.038194', '0.0054697', '2.95153011', '6', '1'],
        ['0', '-0', '0.000', '5', '2'],
        ['1e-3', '12345678901234567890', '0.1234567890123456789', '4', '3'],
        ['-3.0243', '0.72201', '-1.538', '3', '4'],
      ],
      extraValues: 2,
      order: [2, 0, 4, 1, 3],
      space: '',
      vectorsFirst: false,
      dropVector: false,
    };
    writeFileSync(path, packageText(shape));
    const parse = vi.spyOn(JSON, 'parse');
    const scanned = await readWordVectorJson(path, { chunkBytes: 16 });
    const largestParsed = Math.max(0, ...parse.mock.calls.map(([text]) => String(text).length));
    expect(largestParsed).toBeLessThan(20);
    parse.mockRestore();
    expect(bytesOf(scanned)).toEqual(bytesOf(parsedWhole(path)));
    expect(scanned.rows.rowOf('"quoted"')).toBe(3);
    expect([...scanned.vectors.slice(0, 3)]).toEqual([56, -28, 127]);
  });
});
