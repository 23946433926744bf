import type { KnowledgeChunk } from './knowledge-chunk.js';
import type { SparseVector } from './sparse-encoder.js';

/** What may be returned: only approved chunks in force on `day`, narrowed by the optional fields. */
export interface ChunkFilter {
  /** YYYY-MM-DD: the chunk's document must be in force on this day. */
  readonly day: string;
  /** When non-empty, the chunk's product must be one of these. */
  readonly products?: readonly string[];
  /** When set, the chunk's jurisdiction must be this one or `ALL`. */
  readonly jurisdiction?: string;
  /** When set, the chunk's audience must be this one or `all`. */
  readonly audience?: 'retail' | 'business';
}

/** A chunk with its vectors, as written to an index. */
export interface IndexedChunk {
  readonly chunk: KnowledgeChunk;
  readonly sparse: SparseVector;
  /** Absent when no dense embedder is configured (sparse-only index). */
  readonly dense?: Float32Array;
  /** Identifies the encoders that produced the vectors; a change forces re-indexing. */
  readonly fingerprint: string;
}

/** What an index remembers about a stored chunk, for idempotent ingestion. */
export interface IndexedState {
  readonly chunkId: string;
  readonly documentId: string;
  readonly contentHash: string;
  readonly fingerprint: string;
}

/** Narrows `listIndexed` to some documents (a re-publish diffs one document, not the whole index). */
export interface IndexedScope {
  readonly documentIds: readonly string[];
}

export interface IndexQuery {
  readonly sparse?: SparseVector;
  readonly dense?: Float32Array;
  readonly filter: ChunkFilter;
  readonly limit: number;
  /** Candidates taken from each of the sparse and dense searches before fusion. */
  readonly prefetchLimit?: number;
}

export interface ScoredChunk {
  readonly chunk: KnowledgeChunk;
  /** RRF score when both vectors are given; otherwise the single search's raw score. */
  readonly score: number;
}

/**
 * A store of chunk vectors with hybrid search. Both implementations (embedded and Qdrant) apply
 * the same filter semantics, the same IDF formula and the same RRF fusion, and are checked by one
 * contract suite (`vector-index.contract.ts`).
 */
export interface VectorIndex {
  /** Inserts or replaces chunks by `chunkId`. */
  upsert(items: readonly IndexedChunk[]): Promise<void>;
  delete(chunkIds: readonly string[]): Promise<void>;
  /**
   * Deletes every chunk of these documents except those in `keep`, selected by document id in the
   * index itself (Qdrant: one filtered `points/delete`), so a re-publish or retirement never has
   * to list the collection to find what to remove.
   */
  deleteDocuments(
    documentIds: readonly string[],
    options?: { readonly keep?: readonly string[] },
  ): Promise<void>;
  /** Every stored chunk's hash and fingerprint (no vectors), for diffing at ingest; only `scope`'s documents when given. */
  listIndexed(scope?: IndexedScope): Promise<IndexedState[]>;
  /** Sparse, dense or (both given) fused search under the filter; best first. */
  query(query: IndexQuery): Promise<ScoredChunk[]>;
  /** Makes writes durable (snapshot to disk for the embedded index; no-op for Qdrant). */
  flush(): Promise<void>;
}

/** Days as comparable integers (`2025-04-01` → 20250401); an open end is 99991231. */
export function dayNumber(day: string | null | undefined): number {
  if (!day) return 99_991_231;
  return Number(day.replaceAll('-', ''));
}

/** The filter predicate, in code: used by the embedded index and as the re-check after any index. */
export function matchesFilter(chunk: KnowledgeChunk, filter: ChunkFilter): boolean {
  if (chunk.status !== 'approved') return false;
  if (chunk.effectiveFrom > filter.day) return false;
  if (chunk.effectiveUntil && chunk.effectiveUntil < filter.day) return false;
  if (filter.products && filter.products.length > 0 && !filter.products.includes(chunk.product)) return false;
  if (filter.jurisdiction && chunk.jurisdiction !== filter.jurisdiction && chunk.jurisdiction !== 'ALL') {
    return false;
  }
  if (filter.audience && chunk.audience !== filter.audience && chunk.audience !== 'all') return false;
  return true;
}
