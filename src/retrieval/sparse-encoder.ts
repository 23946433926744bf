/** A sparse vector as Qdrant takes it: parallel arrays, indices unique. */
export interface SparseVector {
  readonly indices: readonly number[];
  readonly values: readonly number[];
}

export interface Bm25Options {
  /** Term-frequency saturation. */
  readonly k1?: number;
  /** Length normalization strength. */
  readonly b?: number;
  /**
   * Pivot length (in analyzed terms) for length normalization. Fixed rather than measured so that
   * adding a document does not change every stored vector (and force a full re-embed).
   */
  readonly averageDocumentLength?: number;
}

/**
 * Encodes analyzed terms into BM25 sparse vectors. Documents carry the BM25 term-frequency part,
 * `tf·(k1+1) / (tf + k1·(1 − b + b·len/avgLen))`; queries carry a weight per term. The IDF factor
 * is applied at query time by the index (Qdrant's `modifier: idf`, and the same formula in the
 * embedded index), so the score is the classic BM25 sum without storing corpus statistics here.
 */
export class Bm25SparseEncoder {
  readonly k1: number;
  readonly b: number;
  readonly averageDocumentLength: number;

  constructor({ k1 = 1.2, b = 0.75, averageDocumentLength = 60 }: Bm25Options = {}) {
    this.k1 = k1;
    this.b = b;
    this.averageDocumentLength = averageDocumentLength;
  }

  /** Changes when stored vectors would change: part of every chunk's index fingerprint. */
  get fingerprint(): string {
    return `bm25:v1:k1=${this.k1}:b=${this.b}:avg=${this.averageDocumentLength}`;
  }

  encodeDocument(terms: readonly string[]): SparseVector {
    const frequencies = new Map<number, number>();
    for (const term of terms) {
      const id = termId(term);
      frequencies.set(id, (frequencies.get(id) ?? 0) + 1);
    }
    const lengthRatio = terms.length / this.averageDocumentLength;
    const normalizer = this.k1 * (1 - this.b + this.b * lengthRatio);
    return toSparse(frequencies, (tf) => (tf * (this.k1 + 1)) / (tf + normalizer));
  }

  /** `weights` maps term → weight (1 for a typed word, less for a typo-corrected one). */
  encodeQuery(weights: ReadonlyMap<string, number>): SparseVector {
    const merged = new Map<number, number>();
    for (const [term, weight] of weights) {
      if (weight <= 0) continue;
      const id = termId(term);
      merged.set(id, Math.max(merged.get(id) ?? 0, weight));
    }
    return toSparse(merged, (value) => value);
  }
}

function toSparse(entries: Map<number, number>, transform: (value: number) => number): SparseVector {
  const indices = [...entries.keys()].sort((left, right) => left - right);
  return { indices, values: indices.map((index) => transform(entries.get(index)!)) };
}

/**
 * Stable 31-bit term id (FNV-1a over UTF-16 code units). Collisions merely merge two rare terms;
 * with a few thousand terms in 2^31 slots they are vanishingly rare.
 */
export function termId(term: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < term.length; index++) {
    hash ^= term.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) & 0x7fffffff;
}

/** The IDF Qdrant applies with `modifier: idf`: ln((N − n + 0.5) / (n + 0.5) + 1). */
export function qdrantIdf(totalDocuments: number, documentsWithTerm: number): number {
  return Math.log((totalDocuments - documentsWithTerm + 0.5) / (documentsWithTerm + 0.5) + 1);
}
