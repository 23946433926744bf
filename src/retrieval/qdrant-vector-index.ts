import { createHash } from 'node:crypto';
import { QdrantClient } from '@qdrant/js-client-rest';
import type { KnowledgeChunk } from './knowledge-chunk.js';
import {
  type ChunkFilter,
  dayNumber,
  type IndexedChunk,
  type IndexedState,
  type IndexQuery,
  type ScoredChunk,
  type VectorIndex,
} from './vector-index.js';

export interface QdrantVectorIndexOptions {
  readonly url: string;
  readonly apiKey?: string;
  readonly collection: string;
  /** Dense vector size; omit for a sparse-only collection. */
  readonly dimensions?: number;
  /** RRF constant; 2 is Qdrant's default and sends the plain `fusion: 'rrf'` query. */
  readonly rrfK?: number;
  /** Weights of the sparse and dense prefetches (weighted RRF); equal when absent. */
  readonly rrfWeights?: readonly [number, number];
  /** Injected client, for sharing one across the app. */
  readonly client?: QdrantClient;
}

const DENSE = 'dense';
const SPARSE = 'sparse';

/** Payload fields with an index: every field a filter or the ingest diff looks at. */
const PAYLOAD_INDEXES = [
  ['document_id', 'keyword'],
  ['product', 'keyword'],
  ['jurisdiction', 'keyword'],
  ['audience', 'keyword'],
  ['status', 'keyword'],
  ['effective_from_day', 'integer'],
  ['effective_until_day', 'integer'],
] as const;

interface ChunkPayload {
  chunk_id: string;
  document_id: string;
  title: string;
  version: string;
  section: string;
  text: string;
  product: string;
  jurisdiction: string;
  audience: KnowledgeChunk['audience'];
  status: KnowledgeChunk['status'];
  effective_from: string;
  effective_until: string | null;
  effective_from_day: number;
  effective_until_day: number;
  tags: string[];
  content_hash: string;
  fingerprint: string;
}

/**
 * The Qdrant implementation: one collection with a named `dense` vector (cosine) and a named
 * `sparse` vector with `modifier: idf`, so BM25 IDF is computed by Qdrant over the collection.
 * Hybrid search is one Query API call: a sparse and a dense `prefetch`, fused with RRF, both
 * under the same payload filter. The collection and its payload indexes are created on first use.
 */
export class QdrantVectorIndex implements VectorIndex {
  private readonly client: QdrantClient;
  private readonly collection: string;
  private readonly dimensions: number | undefined;
  private readonly rrfK: number;
  private readonly rrfWeights: readonly [number, number] | undefined;
  private ready: Promise<void> | undefined;
  /** Turned off (once) when the server rejects `rrf: { k, weights }`. */
  private parameterisedFusion = true;

  constructor({
    url,
    apiKey,
    collection,
    dimensions,
    rrfK = 2,
    rrfWeights,
    client,
  }: QdrantVectorIndexOptions) {
    this.rrfWeights = rrfWeights;
    this.client = client ?? new QdrantClient({ url, apiKey, checkCompatibility: false });
    this.collection = collection;
    this.dimensions = dimensions;
    this.rrfK = rrfK;
  }

  /** Creates the collection and payload indexes when missing; safe to call any number of times. */
  ensureCollection(): Promise<void> {
    this.ready ??= this.createIfMissing().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  async upsert(items: readonly IndexedChunk[]): Promise<void> {
    if (items.length === 0) return;
    await this.ensureCollection();
    await this.client.upsert(this.collection, {
      wait: true,
      points: items.map((item) => ({
        id: pointId(item.chunk.chunkId),
        vector: {
          [SPARSE]: { indices: [...item.sparse.indices], values: [...item.sparse.values] },
          ...(item.dense && this.dimensions ? { [DENSE]: Array.from(item.dense) } : {}),
        },
        payload: toPayload(item) as unknown as Record<string, unknown>,
      })),
    });
  }

  async delete(chunkIds: readonly string[]): Promise<void> {
    if (chunkIds.length === 0) return;
    await this.ensureCollection();
    await this.client.delete(this.collection, { wait: true, points: chunkIds.map(pointId) });
  }

  async listIndexed(): Promise<IndexedState[]> {
    await this.ensureCollection();
    const states: IndexedState[] = [];
    let offset: string | number | undefined | null;
    do {
      const page = await this.client.scroll(this.collection, {
        limit: 256,
        offset: offset ?? undefined,
        with_payload: ['chunk_id', 'document_id', 'content_hash', 'fingerprint'],
        with_vector: false,
      });
      for (const point of page.points) {
        const payload = point.payload as Partial<ChunkPayload> | null | undefined;
        if (!payload?.chunk_id) continue;
        states.push({
          chunkId: payload.chunk_id,
          documentId: payload.document_id ?? '',
          contentHash: payload.content_hash ?? '',
          fingerprint: payload.fingerprint ?? '',
        });
      }
      offset = page.next_page_offset as string | number | null | undefined;
    } while (offset !== null && offset !== undefined);
    return states;
  }

  async query({ sparse, dense, filter, limit, prefetchLimit }: IndexQuery): Promise<ScoredChunk[]> {
    await this.ensureCollection();
    const qdrantFilter = toQdrantFilter(filter);
    const candidates = Math.max(prefetchLimit ?? limit, limit);
    const sparseQuery = sparse ? { indices: [...sparse.indices], values: [...sparse.values] } : undefined;
    const denseQuery = dense && this.dimensions ? Array.from(dense) : undefined;
    let response: Awaited<ReturnType<QdrantClient['query']>>;
    if (sparseQuery && denseQuery) {
      const hybrid = (fusion: ReturnType<QdrantVectorIndex['fusionQuery']>) =>
        this.client.query(this.collection, {
          prefetch: [
            { query: sparseQuery, using: SPARSE, limit: candidates, filter: qdrantFilter },
            { query: denseQuery, using: DENSE, limit: candidates, filter: qdrantFilter },
          ],
          query: fusion,
          filter: qdrantFilter,
          limit,
          with_payload: true,
        });
      try {
        response = await hybrid(this.fusionQuery());
      } catch (error) {
        // Servers that predate parameterised RRF reject `rrf: { k, weights }`; plain RRF still works.
        if (!this.parameterisedFusion || !isBadRequest(error)) throw error;
        this.parameterisedFusion = false;
        response = await hybrid(this.fusionQuery());
      }
    } else if (sparseQuery || denseQuery) {
      response = await this.client.query(this.collection, {
        query: (sparseQuery ?? denseQuery)!,
        using: sparseQuery ? SPARSE : DENSE,
        filter: qdrantFilter,
        limit,
        with_payload: true,
      });
    } else {
      return [];
    }
    return response.points.map((point) => ({
      chunk: fromPayload(point.payload as unknown as ChunkPayload),
      score: point.score,
    }));
  }

  async flush(): Promise<void> {}

  /** Plain `fusion: 'rrf'` for the defaults (any Qdrant ≥ 1.10); parameterised RRF otherwise. */
  private fusionQuery() {
    const weighted = this.rrfWeights && (this.rrfWeights[0] !== 1 || this.rrfWeights[1] !== 1);
    if (!this.parameterisedFusion || (this.rrfK === 2 && !weighted)) return { fusion: 'rrf' as const };
    return { rrf: { k: this.rrfK, ...(weighted ? { weights: [...this.rrfWeights!] } : {}) } };
  }

  private async createIfMissing(): Promise<void> {
    const { exists } = await this.client.collectionExists(this.collection);
    if (exists) {
      await this.checkDimensions();
      return;
    }
    try {
      await this.client.createCollection(this.collection, {
        vectors: this.dimensions ? { [DENSE]: { size: this.dimensions, distance: 'Cosine' } } : {},
        sparse_vectors: { [SPARSE]: { modifier: 'idf' } },
      });
    } catch (error) {
      // Another process may have created it between the check and the create.
      if (!(await this.client.collectionExists(this.collection)).exists) throw error;
    }
    for (const [field, schema] of PAYLOAD_INDEXES) {
      await this.client.createPayloadIndex(this.collection, {
        field_name: field,
        field_schema: schema,
        wait: true,
      });
    }
  }

  private async checkDimensions(): Promise<void> {
    const info = await this.client.getCollection(this.collection);
    const vectors = info.config.params.vectors as Record<string, { size?: number }> | undefined;
    const size = vectors?.[DENSE]?.size;
    if (this.dimensions && size !== this.dimensions) {
      throw new Error(
        `Qdrant collection "${this.collection}" has dense size ${size ?? 'none'} but the embedder produces ${this.dimensions}. Use another QDRANT_COLLECTION or delete the collection, then ingest again.`,
      );
    }
  }
}

function isBadRequest(error: unknown): boolean {
  const status = (error as { status?: number } | null)?.status;
  return status === 400 || status === 422;
}

/** Deterministic UUID (version 5 layout over sha256) from a chunk id: same chunk, same point. */
export function pointId(chunkId: string): string {
  const bytes = createHash('sha256').update(`teller-chunk:${chunkId}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The same semantics as `matchesFilter`, as a Qdrant payload filter. */
export function toQdrantFilter(filter: ChunkFilter) {
  const day = dayNumber(filter.day);
  const must: Array<Record<string, unknown>> = [
    { key: 'status', match: { value: 'approved' } },
    { key: 'effective_from_day', range: { lte: day } },
    { key: 'effective_until_day', range: { gte: day } },
  ];
  if (filter.products && filter.products.length > 0)
    must.push({ key: 'product', match: { any: [...filter.products] } });
  if (filter.jurisdiction) must.push({ key: 'jurisdiction', match: { any: [filter.jurisdiction, 'ALL'] } });
  if (filter.audience) must.push({ key: 'audience', match: { any: [filter.audience, 'all'] } });
  return { must };
}

function toPayload({ chunk, fingerprint }: IndexedChunk): ChunkPayload {
  return {
    chunk_id: chunk.chunkId,
    document_id: chunk.documentId,
    title: chunk.title,
    version: chunk.version,
    section: chunk.section,
    text: chunk.text,
    product: chunk.product,
    jurisdiction: chunk.jurisdiction,
    audience: chunk.audience,
    status: chunk.status,
    effective_from: chunk.effectiveFrom,
    effective_until: chunk.effectiveUntil,
    effective_from_day: dayNumber(chunk.effectiveFrom),
    effective_until_day: dayNumber(chunk.effectiveUntil),
    tags: [...chunk.tags],
    content_hash: chunk.contentHash,
    fingerprint,
  };
}

function fromPayload(payload: ChunkPayload): KnowledgeChunk {
  return {
    chunkId: payload.chunk_id,
    documentId: payload.document_id,
    title: payload.title,
    version: payload.version,
    section: payload.section,
    text: payload.text,
    product: payload.product,
    jurisdiction: payload.jurisdiction,
    audience: payload.audience,
    status: payload.status,
    effectiveFrom: payload.effective_from,
    effectiveUntil: payload.effective_until,
    tags: payload.tags,
    contentHash: payload.content_hash,
  };
}
