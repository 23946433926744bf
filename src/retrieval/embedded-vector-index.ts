import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { reciprocalRankFusion } from './fusion.js';
import type { KnowledgeChunk } from './knowledge-chunk.js';
import { qdrantIdf, type SparseVector } from './sparse-encoder.js';
import {
  type ChunkFilter,
  type IndexedChunk,
  type IndexedScope,
  type IndexedState,
  type IndexQuery,
  matchesFilter,
  type ScoredChunk,
  type VectorIndex,
} from './vector-index.js';

export interface EmbeddedVectorIndexOptions {
  /** Directory for the snapshot (`embedded-index.json` + `embedded-index.f32`); memory only when absent. */
  readonly dataDir?: string;
  /** RRF constant; Qdrant's default is 2. */
  readonly rrfK?: number;
  /** RRF weights of the sparse and dense lists, in that order (Qdrant's weighted RRF). */
  readonly rrfWeights?: readonly [number, number];
}

interface Postings {
  readonly slots: Int32Array;
  readonly values: Float32Array;
}

const snapshotSchema = z.object({
  version: z.literal(1),
  dimensions: z.number().int().nonnegative(),
  items: z.array(
    z.object({
      chunk: z.custom<KnowledgeChunk>((value) => typeof value === 'object' && value !== null),
      sparse: z.object({ indices: z.array(z.number()), values: z.array(z.number()) }),
      fingerprint: z.string(),
      hasDense: z.boolean(),
    }),
  ),
});

const SNAPSHOT_JSON = 'embedded-index.json';
const SNAPSHOT_VECTORS = 'embedded-index.f32';

/**
 * An in-process hybrid index persisted as a snapshot in a data directory. Dense search is a
 * brute-force dot product over one contiguous Float32Array (vectors are unit length, so this is
 * cosine); sparse search walks an inverted index of postings and applies Qdrant's IDF at query
 * time. Fast enough for 10k–100k chunks on two cores (see `npm run bench -- retrieval`).
 */
export class EmbeddedVectorIndex implements VectorIndex {
  private readonly dataDir: string | undefined;
  private readonly rrfK: number;
  private readonly rrfWeights: readonly [number, number] | undefined;
  private chunks: KnowledgeChunk[] = [];
  private sparse: SparseVector[] = [];
  private fingerprints: string[] = [];
  private hasDense: boolean[] = [];
  private slotById = new Map<string, number>();
  private dimensions = 0;
  private matrix = new Float32Array(0);
  private postings: Map<number, Postings> | undefined;
  private masks = new Map<string, FilterMask>();
  private accumulator = new Float64Array(0);
  private touched = new Int32Array(0);
  private dirty = false;
  /** Dense clusters for approximate search on large indexes; dropped on any change, rebuilt in the background. */
  private clusters: DenseClusters | undefined;
  /** Bumped by every change, so a clustering pass started before it is abandoned. */
  private generation = 0;
  private clusteringTimer: NodeJS.Timeout | undefined;
  private clustering: { readonly generation: number; readonly done: Promise<void> } | undefined;

  private constructor({ dataDir, rrfK = 2, rrfWeights }: EmbeddedVectorIndexOptions) {
    this.dataDir = dataDir;
    this.rrfK = rrfK;
    this.rrfWeights = rrfWeights;
  }

  /** Opens the index, loading the snapshot from `dataDir` when one exists. */
  static async open(options: EmbeddedVectorIndexOptions = {}): Promise<EmbeddedVectorIndex> {
    const index = new EmbeddedVectorIndex(options);
    if (options.dataDir) await index.load(options.dataDir);
    index.scheduleClustering();
    return index;
  }

  get size(): number {
    return this.chunks.length;
  }

  async upsert(items: readonly IndexedChunk[]): Promise<void> {
    for (const item of items) {
      if (item.dense) {
        if (this.dimensions === 0) this.dimensions = item.dense.length;
        if (item.dense.length !== this.dimensions) {
          throw new Error(
            `Dense vector of ${item.dense.length} dimensions for ${item.chunk.chunkId}, but the index holds ${this.dimensions}. Re-ingest into an empty data directory after changing the embedding model.`,
          );
        }
      }
      const existing = this.slotById.get(item.chunk.chunkId);
      const slot = existing ?? this.chunks.length;
      this.chunks[slot] = item.chunk;
      this.sparse[slot] = item.sparse;
      this.fingerprints[slot] = item.fingerprint;
      this.hasDense[slot] = item.dense !== undefined;
      this.slotById.set(item.chunk.chunkId, slot);
      if (this.dimensions > 0) {
        this.ensureCapacity(slot + 1);
        const row = this.matrix.subarray(slot * this.dimensions, (slot + 1) * this.dimensions);
        if (item.dense) row.set(item.dense);
        else row.fill(0);
      }
    }
    this.invalidate();
  }

  async delete(chunkIds: readonly string[]): Promise<void> {
    for (const chunkId of chunkIds) {
      const slot = this.slotById.get(chunkId);
      if (slot === undefined) continue;
      // Swap-remove keeps the arrays dense; the last slot moves into the hole.
      const last = this.chunks.length - 1;
      if (slot !== last) {
        this.chunks[slot] = this.chunks[last]!;
        this.sparse[slot] = this.sparse[last]!;
        this.fingerprints[slot] = this.fingerprints[last]!;
        this.hasDense[slot] = this.hasDense[last]!;
        this.slotById.set(this.chunks[slot]!.chunkId, slot);
        if (this.dimensions > 0) {
          this.matrix.copyWithin(
            slot * this.dimensions,
            last * this.dimensions,
            (last + 1) * this.dimensions,
          );
        }
      }
      this.chunks.pop();
      this.sparse.pop();
      this.fingerprints.pop();
      this.hasDense.pop();
      this.slotById.delete(chunkId);
    }
    this.invalidate();
  }

  async deleteDocuments(
    documentIds: readonly string[],
    { keep = [] }: { readonly keep?: readonly string[] } = {},
  ): Promise<void> {
    const documents = new Set(documentIds);
    const kept = new Set(keep);
    const doomed = this.chunks
      .filter((chunk) => documents.has(chunk.documentId) && !kept.has(chunk.chunkId))
      .map((chunk) => chunk.chunkId);
    if (doomed.length > 0) await this.delete(doomed);
  }

  async listIndexed(scope?: IndexedScope): Promise<IndexedState[]> {
    const documents = scope && scope.documentIds.length > 0 ? new Set(scope.documentIds) : undefined;
    return this.chunks.flatMap((chunk, slot) =>
      documents && !documents.has(chunk.documentId)
        ? []
        : [
            {
              chunkId: chunk.chunkId,
              documentId: chunk.documentId,
              contentHash: chunk.contentHash,
              fingerprint: this.fingerprints[slot]!,
            },
          ],
    );
  }

  async query(query: IndexQuery): Promise<ScoredChunk[]> {
    return this.querySync(query);
  }

  /** Synchronous search (the embedded index does no I/O); used by benchmarks to time the search alone. */
  querySync({ sparse, dense, filter, limit, prefetchLimit }: IndexQuery): ScoredChunk[] {
    const mask = this.maskFor(filter);
    const candidates = Math.max(prefetchLimit ?? limit, limit);
    const sparseHits = sparse ? this.searchSparse(sparse, mask, candidates) : undefined;
    const denseHits = dense && this.dimensions > 0 ? this.searchDense(dense, mask, candidates) : undefined;
    if (sparseHits && denseHits) {
      return reciprocalRankFusion(
        [sparseHits, denseHits],
        (hit) => String(hit.slot),
        this.rrfK,
        this.rrfWeights,
      )
        .slice(0, limit)
        .map(({ item, score }) => ({ chunk: this.chunks[item.slot]!, score }));
    }
    const hits = sparseHits ?? denseHits ?? [];
    return hits.slice(0, limit).map((hit) => ({ chunk: this.chunks[hit.slot]!, score: hit.score }));
  }

  async flush(): Promise<void> {
    if (!this.dataDir || !this.dirty) return;
    await mkdir(this.dataDir, { recursive: true });
    const snapshot = {
      version: 1,
      dimensions: this.dimensions,
      items: this.chunks.map((chunk, slot) => ({
        chunk,
        sparse: { indices: [...this.sparse[slot]!.indices], values: [...this.sparse[slot]!.values] },
        fingerprint: this.fingerprints[slot],
        hasDense: this.hasDense[slot],
      })),
    };
    const vectors = this.matrix.subarray(0, this.chunks.length * this.dimensions);
    // Write both files beside their final names, then rename: a crash never leaves half a snapshot.
    const jsonPath = join(this.dataDir, SNAPSHOT_JSON);
    const vectorPath = join(this.dataDir, SNAPSHOT_VECTORS);
    await writeFile(
      `${vectorPath}.tmp`,
      new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength),
    );
    await writeFile(`${jsonPath}.tmp`, JSON.stringify(snapshot));
    await rename(`${vectorPath}.tmp`, vectorPath);
    await rename(`${jsonPath}.tmp`, jsonPath);
    this.dirty = false;
  }

  private async load(dataDir: string): Promise<void> {
    let text: string;
    try {
      text = await readFile(join(dataDir, SNAPSHOT_JSON), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const snapshot = snapshotSchema.parse(JSON.parse(text));
    const bytes = await readFile(join(dataDir, SNAPSHOT_VECTORS));
    const expected = snapshot.items.length * snapshot.dimensions * 4;
    if (bytes.byteLength !== expected) {
      throw new Error(
        `Embedded index snapshot in ${dataDir} is inconsistent (${bytes.byteLength} bytes of vectors, expected ${expected}). Delete ${SNAPSHOT_JSON} and ${SNAPSHOT_VECTORS} and ingest again.`,
      );
    }
    this.dimensions = snapshot.dimensions;
    this.matrix = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    snapshot.items.forEach((item, slot) => {
      this.chunks.push(item.chunk);
      this.sparse.push(item.sparse);
      this.fingerprints.push(item.fingerprint);
      this.hasDense.push(item.hasDense);
      this.slotById.set(item.chunk.chunkId, slot);
    });
  }

  private ensureCapacity(rows: number): void {
    const needed = rows * this.dimensions;
    if (this.matrix.length >= needed) return;
    const grown = new Float32Array(Math.max(needed, this.matrix.length * 2, 64 * this.dimensions));
    grown.set(this.matrix);
    this.matrix = grown;
  }

  private invalidate(): void {
    this.postings = undefined;
    this.clusters = undefined;
    this.generation += 1;
    this.masks.clear();
    this.dirty = true;
    this.scheduleClustering();
  }

  /**
   * Whether dense search is approximate right now: clusters exist for the current contents. Until
   * a background pass has built them, dense search is exact.
   */
  get clustered(): boolean {
    return this.clusters !== undefined;
  }

  /**
   * Resolves once the background clustering pass for the current contents has finished (at once
   * when the index is too small to cluster). For benchmarks and tests; queries never wait on it.
   */
  async clustersReady(): Promise<void> {
    while (!this.clusters && this.denseCount() >= APPROXIMATE_DENSE_FROM) {
      if (this.clusteringTimer) clearTimeout(this.clusteringTimer);
      this.clusteringTimer = undefined;
      if (this.clustering?.generation !== this.generation) this.startClustering();
      await this.clustering!.done;
    }
  }

  /**
   * k-means runs after writes go quiet (a bulk ingest writes in batches), in slices that yield to
   * the event loop, so queries keep being answered (exactly) while it runs.
   */
  private scheduleClustering(): void {
    if (this.clusteringTimer) clearTimeout(this.clusteringTimer);
    this.clusteringTimer = undefined;
    if (this.chunks.length < APPROXIMATE_DENSE_FROM) return;
    this.clusteringTimer = setTimeout(() => {
      this.clusteringTimer = undefined;
      this.startClustering();
    }, CLUSTERING_QUIET_MS);
    // A pending pass must not keep a finished command-line run alive.
    this.clusteringTimer.unref();
  }

  private startClustering(): void {
    const generation = this.generation;
    // A failed pass leaves search exact; the next change schedules another.
    this.clustering = { generation, done: this.buildClusters(generation).catch(() => undefined) };
  }

  private denseCount(): number {
    let count = 0;
    for (let slot = 0; slot < this.chunks.length; slot++) if (this.hasDense[slot]) count += 1;
    return count;
  }

  private maskFor(filter: ChunkFilter): FilterMask {
    const key = JSON.stringify([filter.day, filter.products ?? [], filter.jurisdiction, filter.audience]);
    let entry = this.masks.get(key);
    if (!entry) {
      const mask = new Uint8Array(this.chunks.length);
      const passing: number[] = [];
      for (let slot = 0; slot < this.chunks.length; slot++) {
        if (!matchesFilter(this.chunks[slot]!, filter)) continue;
        mask[slot] = 1;
        passing.push(slot);
      }
      entry = { mask, passing: Int32Array.from(passing) };
      // A handful of distinct filters are live at once (per day and customer segment); bound the cache.
      if (this.masks.size > 64) this.masks.clear();
      this.masks.set(key, entry);
    }
    return entry;
  }

  private buildPostings(): Map<number, Postings> {
    const lists = new Map<number, { slots: number[]; values: number[] }>();
    this.sparse.forEach((vector, slot) => {
      vector.indices.forEach((termId, position) => {
        let list = lists.get(termId);
        if (!list) {
          list = { slots: [], values: [] };
          lists.set(termId, list);
        }
        list.slots.push(slot);
        list.values.push(vector.values[position]!);
      });
    });
    const postings = new Map<number, Postings>();
    for (const [termId, list] of lists) {
      postings.set(termId, { slots: Int32Array.from(list.slots), values: Float32Array.from(list.values) });
    }
    return postings;
  }

  private searchSparse(query: SparseVector, { mask }: FilterMask, limit: number): Hit[] {
    this.postings ??= this.buildPostings();
    const total = this.chunks.length;
    // One accumulator per index, reused across queries; `touched` lists the slots to reset.
    if (this.accumulator.length < total) {
      this.accumulator = new Float64Array(total);
      this.touched = new Int32Array(total);
    }
    const scores = this.accumulator;
    const touched = this.touched;
    let touchedCount = 0;
    const postings = this.postings;
    for (let position = 0; position < query.indices.length; position++) {
      const list = postings.get(query.indices[position]!);
      if (!list) continue;
      // Qdrant computes IDF over all stored vectors, before filtering; so do we.
      const weight = query.values[position]! * qdrantIdf(total, list.slots.length);
      const { slots, values } = list;
      for (let index = 0; index < slots.length; index++) {
        const slot = slots[index]!;
        if (mask[slot] !== 1) continue;
        if (scores[slot] === 0) touched[touchedCount++] = slot;
        scores[slot]! += weight * values[index]!;
      }
    }
    const top = new TopK(limit);
    for (let index = 0; index < touchedCount; index++) {
      const slot = touched[index]!;
      top.offer(slot, scores[slot]!);
      scores[slot] = 0;
    }
    return top.sorted();
  }

  /**
   * Exact or approximate per query, from the filter's selectivity: approximate search scores the
   * members of the clusters nearest the query, widened by 1/selectivity so that about as many
   * passing rows are scored as without a filter; when that would score more rows than pass the
   * filter, an exact scan of the passing rows is both cheaper and exact.
   */
  private searchDense(query: Float32Array, filter: FilterMask, limit: number): Hit[] {
    const dimensions = this.dimensions;
    if (query.length !== dimensions) {
      throw new Error(`Query vector has ${query.length} dimensions; the index holds ${dimensions}.`);
    }
    const hasDense = this.hasDense;
    const { mask, passing } = filter;
    const scorer = new RowScorer(this.matrix, query, dimensions, new TopK(limit));
    const clusters = this.chunks.length >= APPROXIMATE_DENSE_FROM ? this.clusters : undefined;
    const total = this.chunks.length;
    const selectivity = passing.length / Math.max(total, 1);
    const clusterCount = clusters ? clusters.members.length : 0;
    const probes = clusters
      ? Math.min(clusterCount, Math.ceil(defaultProbes(clusterCount) / Math.max(selectivity, 1e-9)))
      : 0;
    const approximateCost = clusters
      ? (total * probes) / clusterCount + clusterCount
      : Number.POSITIVE_INFINITY;
    if (!clusters || passing.length <= approximateCost) {
      for (let index = 0; index < passing.length; index++) {
        const slot = passing[index]!;
        if (hasDense[slot]) scorer.add(slot);
      }
      return scorer.finish();
    }
    // Approximate search, like Qdrant's HNSW: score only the members of the clusters whose centroid
    // is closest to the query (inverted-file search).
    for (const cluster of nearestClusters(clusters, query, dimensions, probes)) {
      const members = clusters.members[cluster]!;
      for (let position = 0; position < members.length; position++) {
        const slot = members[position]!;
        if (mask[slot] === 1 && hasDense[slot]) scorer.add(slot);
      }
    }
    return scorer.finish();
  }

  /**
   * Spherical k-means (deterministic seeding) over the dense vectors, in slices of bounded work
   * with the event loop free between them; abandoned as soon as the index changes.
   */
  private async buildClusters(generation: number): Promise<void> {
    const dimensions = this.dimensions;
    const slots: number[] = [];
    for (let slot = 0; slot < this.chunks.length; slot++) if (this.hasDense[slot]) slots.push(slot);
    if (slots.length < APPROXIMATE_DENSE_FROM) return;
    const count = Math.round(Math.sqrt(slots.length));
    const centroids = new Float32Array(count * dimensions);
    for (let cluster = 0; cluster < count; cluster++) {
      const slot = slots[Math.floor((cluster * slots.length) / count)]!;
      centroids.set(this.matrix.subarray(slot * dimensions, (slot + 1) * dimensions), cluster * dimensions);
    }
    const assignment = new Int32Array(slots.length);
    const sliceSize = Math.max(32, Math.floor(CLUSTERING_SLICE_WORK / (count * dimensions)));
    const probeAll = { centroids, members: [] };
    for (let iteration = 0; iteration < 6; iteration++) {
      for (let start = 0; start < slots.length; start += sliceSize) {
        await nextTurn();
        if (this.generation !== generation) return;
        const matrix = this.matrix;
        const end = Math.min(slots.length, start + sliceSize);
        for (let index = start; index < end; index++) {
          const slot = slots[index]!;
          const vector = matrix.subarray(slot * dimensions, (slot + 1) * dimensions);
          assignment[index] = nearestClusters(probeAll, vector, dimensions, 1)[0]!;
        }
      }
      await nextTurn();
      if (this.generation !== generation) return;
      centroids.fill(0);
      slots.forEach((slot, index) => {
        const offset = assignment[index]! * dimensions;
        for (let dimension = 0; dimension < dimensions; dimension++) {
          centroids[offset + dimension]! += this.matrix[slot * dimensions + dimension]!;
        }
      });
      for (let cluster = 0; cluster < count; cluster++) {
        const centroid = centroids.subarray(cluster * dimensions, (cluster + 1) * dimensions);
        const norm = Math.hypot(...centroid) || 1;
        for (let dimension = 0; dimension < dimensions; dimension++) centroid[dimension]! /= norm;
      }
    }
    const members: number[][] = Array.from({ length: count }, () => []);
    slots.forEach((slot, index) => {
      members[assignment[index]!]!.push(slot);
    });
    this.clusters = { centroids, members };
  }
}

/** Lets pending I/O and queries run between clustering slices. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Dot product of the matrix row at `offset` with `vector`, summed in index order (so every score is
 * the same to the last bit, whatever calls it).
 */
function dotProduct(matrix: Float32Array, offset: number, vector: Float32Array, dimensions: number): number {
  let dot = 0;
  let index = 0;
  // Unrolled by four with one accumulator: fewer loop checks, the very same sequence of additions.
  for (; index + 4 <= dimensions; index += 4) {
    const at = offset + index;
    dot += matrix[at]! * vector[index]!;
    dot += matrix[at + 1]! * vector[index + 1]!;
    dot += matrix[at + 2]! * vector[index + 2]!;
    dot += matrix[at + 3]! * vector[index + 3]!;
  }
  for (; index < dimensions; index++) dot += matrix[offset + index]! * vector[index]!;
  return dot;
}

/**
 * Scores matrix rows against a query four at a time and offers them to a `TopK` in the order they
 * were added. Each row is still summed alone in index order (identical scores); interleaving four
 * independent sums lets the processor overlap them instead of waiting on one chain of additions.
 */
class RowScorer {
  private readonly pending = new Int32Array(4);
  private count = 0;

  constructor(
    private readonly matrix: Float32Array,
    private readonly query: Float32Array,
    private readonly dimensions: number,
    private readonly top: TopK,
  ) {}

  add(slot: number): void {
    this.pending[this.count++] = slot;
    if (this.count === 4) this.flushFour();
  }

  finish(): Hit[] {
    for (let index = 0; index < this.count; index++) {
      const slot = this.pending[index]!;
      this.top.offer(slot, dotProduct(this.matrix, slot * this.dimensions, this.query, this.dimensions));
    }
    this.count = 0;
    return this.top.sorted();
  }

  private flushFour(): void {
    const { matrix, query, dimensions, pending } = this;
    const first = pending[0]! * dimensions;
    const second = pending[1]! * dimensions;
    const third = pending[2]! * dimensions;
    const fourth = pending[3]! * dimensions;
    let dotFirst = 0;
    let dotSecond = 0;
    let dotThird = 0;
    let dotFourth = 0;
    for (let index = 0; index < dimensions; index++) {
      const value = query[index]!;
      dotFirst += matrix[first + index]! * value;
      dotSecond += matrix[second + index]! * value;
      dotThird += matrix[third + index]! * value;
      dotFourth += matrix[fourth + index]! * value;
    }
    this.top.offer(pending[0]!, dotFirst);
    this.top.offer(pending[1]!, dotSecond);
    this.top.offer(pending[2]!, dotThird);
    this.top.offer(pending[3]!, dotFourth);
    this.count = 0;
  }
}

/** Below this many dense vectors the search is exact; above it, inverted-file approximate. */
export const APPROXIMATE_DENSE_FROM = 4096;

/** Writes must pause this long before a clustering pass starts (a bulk ingest comes in batches). */
const CLUSTERING_QUIET_MS = 200;

/** Multiply-adds per clustering slice: a few milliseconds, the longest a query may wait behind it. */
const CLUSTERING_SLICE_WORK = 4_000_000;

/** Rows passing the filter, as a byte per slot (for cluster members) and as a list (for exact scans). */
interface FilterMask {
  readonly mask: Uint8Array;
  readonly passing: Int32Array;
}

interface DenseClusters {
  readonly centroids: Float32Array;
  readonly members: readonly (readonly number[])[];
}

/**
 * The clusters whose centroids score highest against `vector`. By default a tenth of them (at
 * least eight), which keeps recall of the dense top 40 high while scoring a tenth of the vectors.
 */
function nearestClusters(
  clusters: Pick<DenseClusters, 'centroids'>,
  vector: Float32Array,
  dimensions: number,
  probes = defaultProbes(clusters.centroids.length / dimensions),
): number[] {
  const count = clusters.centroids.length / dimensions;
  const scorer = new RowScorer(clusters.centroids, vector, dimensions, new TopK(probes));
  for (let cluster = 0; cluster < count; cluster++) scorer.add(cluster);
  return scorer.finish().map((hit) => hit.slot);
}

/** Clusters probed without a filter: a quarter of them, at least eight (dense recall@10 ≥ 0.95 on the benchmark). */
function defaultProbes(clusterCount: number): number {
  return Math.max(8, Math.ceil(clusterCount / 4));
}

interface Hit {
  readonly slot: number;
  readonly score: number;
}

/** Keeps the best `limit` hits; ties keep the lower slot (insertion order), like a stable sort. */
class TopK {
  private readonly hits: Hit[] = [];
  constructor(private readonly limit: number) {}

  offer(slot: number, score: number): void {
    const hits = this.hits;
    if (hits.length >= this.limit && score <= hits[hits.length - 1]!.score) return;
    let position = hits.length;
    while (position > 0 && hits[position - 1]!.score < score) position--;
    hits.splice(position, 0, { slot, score });
    if (hits.length > this.limit) hits.pop();
  }

  sorted(): Hit[] {
    return this.hits;
  }
}
