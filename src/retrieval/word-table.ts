/**
 * A read-only map from a word to its row, stored in three typed arrays instead of a `Map` of
 * strings. The word-vector vocabulary has about 341,000 words: as JavaScript strings in a `Map`
 * that was about 55 MB of heap and half a second of building at every start; as UTF-8 bytes, their
 * offsets and an open-addressing hash table it is about 6 MB, and the arrays are written to and
 * read back from the vector cache as they are, with nothing to parse.
 */
export class WordTable {
  /** Every word's UTF-8 bytes, one after another in row order. */
  readonly bytes: Uint8Array;
  /** Where row `r`'s bytes start (`offsets[r]`) and end (`offsets[r + 1]`); `size + 1` entries. */
  readonly offsets: Uint32Array;
  /** Open addressing with linear probing: a row number, or -1 for an empty slot. Length is a power of two. */
  readonly slots: Int32Array;
  readonly #mask: number;
  readonly #encoder = new TextEncoder();
  /** Reused for the word being looked up; vocabulary words are far shorter. */
  #scratch = new Uint8Array(256);

  constructor(bytes: Uint8Array, offsets: Uint32Array, slots: Int32Array) {
    if (slots.length === 0 || (slots.length & (slots.length - 1)) !== 0)
      throw new Error('WordTable: the slot count must be a power of two');
    this.bytes = bytes;
    this.offsets = offsets;
    this.slots = slots;
    this.#mask = slots.length - 1;
  }

  /**
   * Builds the table from words in row order. A word that occurs twice maps to its last row, as
   * `new Map(words.map((word, row) => [word, row]))` would.
   */
  static build(words: readonly string[]): WordTable {
    const encoder = new TextEncoder();
    // UTF-8 takes at most three bytes per UTF-16 code unit; trimmed to the bytes written below.
    let bound = 0;
    for (const word of words) bound += word.length * 3;
    const buffer = new Uint8Array(bound);
    const offsets = new Uint32Array(words.length + 1);
    let end = 0;
    for (let row = 0; row < words.length; row++) {
      const word = words[row]!;
      let index = 0;
      // Most words are ASCII: their bytes are their character codes.
      while (index < word.length && word.charCodeAt(index) < 0x80)
        buffer[end + index] = word.charCodeAt(index++);
      end += index < word.length ? encoder.encodeInto(word, buffer.subarray(end)).written : index;
      offsets[row + 1] = end;
    }
    const table = new WordTable(
      buffer.slice(0, end),
      offsets,
      new Int32Array(slotCountFor(words.length)).fill(-1),
    );
    for (let row = 0; row < words.length; row++) table.#insert(row);
    return table;
  }

  /** Number of rows (words, duplicates included). */
  get size(): number {
    return this.offsets.length - 1;
  }

  /** The row of `word`, or undefined when it is not in the table. */
  rowOf(word: string): number | undefined {
    // Most words are ASCII, whose UTF-8 bytes are their character codes: hash and compare those
    // directly rather than encoding the word first.
    let hash = FNV_OFFSET;
    for (let index = 0; index < word.length; index++) {
      const code = word.charCodeAt(index);
      if (code >= 0x80) return this.#rowOfEncoded(word);
      hash = Math.imul(hash ^ code, FNV_PRIME);
    }
    const { slots, offsets, bytes } = this;
    const mask = this.#mask;
    for (let slot = (hash >>> 0) & mask; ; slot = (slot + 1) & mask) {
      const row = slots[slot]!;
      if (row < 0) return undefined;
      const start = offsets[row]!;
      if (offsets[row + 1]! - start !== word.length) continue;
      let index = 0;
      while (index < word.length && bytes[start + index] === word.charCodeAt(index)) index++;
      if (index === word.length) return row;
    }
  }

  #rowOfEncoded(word: string): number | undefined {
    // UTF-8 takes at most three bytes per UTF-16 code unit.
    if (word.length * 3 > this.#scratch.length) this.#scratch = new Uint8Array(word.length * 3);
    const length = this.#encoder.encodeInto(word, this.#scratch).written;
    const key = this.#scratch;
    for (let slot = hashBytes(key, 0, length) & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const row = this.slots[slot]!;
      if (row < 0) return undefined;
      if (this.#equals(row, key, length)) return row;
    }
  }

  #insert(row: number): void {
    const start = this.offsets[row]!;
    const end = this.offsets[row + 1]!;
    const key = this.bytes.subarray(start, end);
    for (let slot = hashBytes(this.bytes, start, end) & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const existing = this.slots[slot]!;
      if (existing < 0 || this.#equals(existing, key, key.length)) {
        this.slots[slot] = row;
        return;
      }
    }
  }

  #equals(row: number, key: Uint8Array, length: number): boolean {
    const start = this.offsets[row]!;
    if (this.offsets[row + 1]! - start !== length) return false;
    for (let index = 0; index < length; index++) if (this.bytes[start + index] !== key[index]) return false;
    return true;
  }
}

/** A power of two that keeps the table at most 70% full, so probes stay short. */
export function slotCountFor(words: number): number {
  let slots = 1;
  while (slots * 0.7 < words) slots *= 2;
  return slots;
}

/** FNV-1a over `bytes[start, end)`. */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let index = start; index < end; index++) hash = Math.imul(hash ^ bytes[index]!, FNV_PRIME);
  return hash >>> 0;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
