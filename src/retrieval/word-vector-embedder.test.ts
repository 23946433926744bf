import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeVersionOneWordVectorCache } from '../testing/tiny-word-vectors.js';
import { WordTable } from './word-table.js';
import { WordVectorEmbedder } from './word-vector-embedder.js';

describe('WordTable', () => {
  const words = ['the', 'bank', 'überweisung', 'café', 'bank', '', 'fee', '東京', 'x'.repeat(300)];

  it('when words are looked up then each maps to the row a Map of the same words gives', () => {
    const table = WordTable.build(words);
    const map = new Map(words.map((word, row) => [word, row]));
    expect(table.size).toBe(words.length);
    for (const word of words) expect(table.rowOf(word)).toBe(map.get(word));
    // A repeated word keeps its last row, as Map.set does.
    expect(table.rowOf('bank')).toBe(4);
  });

  it('when a word is absent then it has no row, even when it shares a prefix or bytes with one', () => {
    const table = WordTable.build(words);
    for (const absent of ['ban', 'banks', 'Bank', 'cafe', 'überweisungen', '東', 'x'.repeat(299)])
      expect(table.rowOf(absent)).toBeUndefined();
  });

  it('when the arrays are copied then the copy answers the same', () => {
    const table = WordTable.build(words);
    const copy = new WordTable(table.bytes.slice(), table.offsets.slice(), table.slots.slice());
    for (const word of words) expect(copy.rowOf(word)).toBe(table.rowOf(word));
  });

  it('when a vocabulary is large then every word still finds its own row', () => {
    const many = Array.from({ length: 50_000 }, (_, row) => `w${row.toString(36)}`);
    const table = WordTable.build(many);
    for (let row = 0; row < many.length; row += 7) expect(table.rowOf(many[row]!)).toBe(row);
    expect(table.slots.length).toBeGreaterThanOrEqual(many.length / 0.7);
  });
});

describe('WordVectorEmbedder cache', () => {
  const directories: string[] = [];
  afterEach(() => {
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });
  const vocabulary = ['the', 'a', 'fee', 'card', 'overdraft', 'payment', 'lost', 'stolen', 'abroad', 'wire'];

  async function loadFrom(directory: string): Promise<WordVectorEmbedder> {
    const embedder = await WordVectorEmbedder.load({ cacheDir: directory });
    if (!embedder) throw new Error('no embedder');
    return embedder;
  }

  it('when only the version 1 cache exists then it is read once and the version 2 file answers the same', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'teller-word-vectors-'));
    directories.push(directory);
    writeVersionOneWordVectorCache(directory, vocabulary, 8);
    const first = await loadFrom(directory);
    expect(existsSync(join(directory, 'word-vectors-v2.bin'))).toBe(true);
    // The version 1 files are no longer needed to load.
    rmSync(join(directory, 'word-vectors-v1.bin'));
    const second = await loadFrom(directory);
    for (const word of vocabulary) {
      expect(second.rankOf(word)).toBe(first.rankOf(word));
      expect(second.vectorOf(word)).toEqual(first.vectorOf(word));
    }
    expect(second.rankOf('unknown')).toBeUndefined();
    const text = 'fee for a lost card abroad, and a wire payment';
    expect(await second.embedQuery(text)).toEqual(await first.embedQuery(text));
    expect(first.dimensions).toBe(8);
  });

  it('when the version 2 file is cut short then it is not trusted and is written again', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'teller-word-vectors-'));
    directories.push(directory);
    writeVersionOneWordVectorCache(directory, vocabulary, 8);
    const first = await loadFrom(directory);
    const path = join(directory, 'word-vectors-v2.bin');
    const whole = readFileSync(path).byteLength;
    truncateSync(path, whole - 5);
    const again = await loadFrom(directory);
    expect(readFileSync(path).byteLength).toBe(whole);
    expect(await again.embedQuery('overdraft fee')).toEqual(await first.embedQuery('overdraft fee'));
  });
});
