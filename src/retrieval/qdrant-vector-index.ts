import { createHash } from 'node:crypto';
import { QdrantClient } from '@qdrant/js-client-rest';
import type { KnowledgeChunk } from './knowledge-chunk.js';
import {
  type ChunkFilter,
  dayNumber,
  type IndexedChunk,
  type IndexedScope,
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
  /** Per-request client timeout; the client's own default is 300 s, far past any turn's budget. */
  readonly timeoutMs?: number;
  /** Bounded retries with exponential back-off on 5xx, timeouts and refused connections. */
  readonly retry?: Partial<RetryPolicy>;
  /** How long plain RRF is used after a server rejected parameterised RRF, before trying it again. */
  readonly plainFusionMs?: number;
}

/** Attempts (first try included) and the first back-off delay, doubled on each retry. */
export interface RetryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 100 };

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
  private readonly retry: RetryPolicy;
  private readonly plainFusionMs: number;
  private ready: Promise<void> | undefined;
  /** Until this time (ms), plain RRF is sent: the server rejected `rrf: { k, weights }`. */
  private plainFusionUntil = 0;

  constructor({
    url,
    apiKey,
    collection,
    dimensions,
    rrfK = 2,
    rrfWeights,
    client,
    timeoutMs = 10_000,
    retry,
    plainFusionMs = 10 * 60_000,
  }: QdrantVectorIndexOptions) {
    this.rrfWeights = rrfWeights;
    this.client = client ?? new QdrantClient({ url, apiKey, timeout: timeoutMs, checkCompatibility: false });
    this.retry = { ...DEFAULT_RETRY, ...retry };
    this.plainFusionMs = plainFusionMs;
    this.collection = collection;
    this.dimensions = dimensions;
    this.rrfK = rrfK;
  }

  /**
   * Creates the collection and any missing payload index, and refuses a collection whose vectors
   * do not fit; safe to call any number of times. A failure (or a later 404) forgets the result,
   * so the next call checks again instead of trusting a stale "ready".
   */
  ensureCollection(): Promise<void> {
    this.ready ??= this.prepareCollection().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  async upsert(items: readonly IndexedChunk[]): Promise<void> {
    if (items.length === 0) return;
    const points = items.map((item) => ({
      id: pointId(item.chunk.chunkId),
      vector: {
        [SPARSE]: { indices: [...item.sparse.indices], values: [...item.sparse.values] },
        ...(item.dense && this.dimensions ? { [DENSE]: Array.from(item.dense) } : {}),
      },
      payload: toPayload(item) as unknown as Record<string, unknown>,
    }));
    // Idempotent: points carry deterministic ids, so a retried upsert writes the same state.
    await this.onCollection(() => this.client.upsert(this.collection, { wait: true, points }));
  }

  async delete(chunkIds: readonly string[]): Promise<void> {
    if (chunkIds.length === 0) return;
    const points = chunkIds.map(pointId);
    await this.onCollection(() => this.client.delete(this.collection, { wait: true, points }));
  }

  async deleteDocuments(
    documentIds: readonly string[],
    { keep = [] }: { readonly keep?: readonly string[] } = {},
  ): Promise<void> {
    if (documentIds.length === 0) return;
    const filter = {
      must: [{ key: 'document_id', match: { any: unique(documentIds) } }],
      ...(keep.length > 0 && { must_not: [{ has_id: unique(keep).map(pointId) }] }),
    };
    await this.onCollection(() => this.client.delete(this.collection, { wait: true, filter }));
  }

  /** With `documentIds`, scrolls only those documents' points (a payload-indexed filter). */
  async listIndexed(scope?: IndexedScope): Promise<IndexedState[]> {
    const filter =
      scope && scope.documentIds.length > 0
        ? { must: [{ key: 'document_id', match: { any: unique(scope.documentIds) } }] }
        : undefined;
    const states: IndexedState[] = [];
    let offset: string | number | undefined | null;
    do {
      const page = await this.onCollection(() =>
        this.client.scroll(this.collection, {
          limit: 256,
          ...(offset === undefined || offset === null ? {} : { offset }),
          ...(filter ? { filter } : {}),
          with_payload: ['chunk_id', 'document_id', 'content_hash', 'fingerprint'],
          with_vector: false,
        }),
      );
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
    const qdrantFilter = toQdrantFilter(filter);
    const candidates = Math.max(prefetchLimit ?? limit, limit);
    const sparseQuery = sparse ? { indices: [...sparse.indices], values: [...sparse.values] } : undefined;
    const denseQuery = dense && this.dimensions ? Array.from(dense) : undefined;
    let response: Awaited<ReturnType<QdrantClient['query']>>;
    if (sparseQuery && denseQuery) {
      const hybrid = (fusion: ReturnType<QdrantVectorIndex['fusionQuery']>) =>
        this.onCollection(() =>
          this.client.query(this.collection, {
            prefetch: [
              { query: sparseQuery, using: SPARSE, limit: candidates, filter: qdrantFilter },
              { query: denseQuery, using: DENSE, limit: candidates, filter: qdrantFilter },
            ],
            query: fusion,
            filter: qdrantFilter,
            limit,
            with_payload: true,
          }),
        );
      const fusion = this.fusionQuery();
      try {
        response = await hybrid(fusion);
      } catch (error) {
        // Only a server that rejects the RRF parameters themselves gets plain RRF, and only for a
        // while: any other 400/422 is this request's fault and must not change later requests.
        if (!('rrf' in fusion) || !rejectsFusionParameters(error)) throw error;
        this.plainFusionUntil = Date.now() + this.plainFusionMs;
        response = await hybrid(this.fusionQuery());
      }
    } else if (sparseQuery || denseQuery) {
      response = await this.onCollection(() =>
        this.client.query(this.collection, {
          query: (sparseQuery ?? denseQuery)!,
          using: sparseQuery ? SPARSE : DENSE,
          filter: qdrantFilter,
          limit,
          with_payload: true,
        }),
      );
    } else {
      return [];
    }
    return response.points.map((point) => ({
      chunk: fromPayload(point.payload as unknown as ChunkPayload),
      score: point.score,
    }));
  }

  async flush(): Promise<void> {}

  /**
   * Plain `fusion: 'rrf'` for the defaults (any Qdrant >= 1.10); parameterised RRF otherwise.
   * Qdrant 1.16 accepts `rrf: { k }` but silently ignores `weights` (added in 1.17): with weights
   * configured, run Qdrant >= 1.17 (docker-compose pins 1.18).
   */
  private fusionQuery() {
    const weighted = this.rrfWeights && (this.rrfWeights[0] !== 1 || this.rrfWeights[1] !== 1);
    const plain = Date.now() < this.plainFusionUntil;
    if (plain || (this.rrfK === 2 && !weighted)) return { fusion: 'rrf' as const };
    return { rrf: { k: this.rrfK, ...(weighted ? { weights: [...this.rrfWeights!] } : {}) } };
  }

  /**
   * Runs an idempotent call on the collection: ready first, bounded retries on transient faults,
   * and on a 404 (the collection was deleted underneath) the collection is checked or recreated
   * once and the call repeated.
   */
  private async onCollection<T>(call: () => Promise<T>): Promise<T> {
    await this.ensureCollection();
    try {
      return await this.withRetry(call);
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
      this.ready = undefined;
      await this.ensureCollection();
      return this.withRetry(call);
    }
  }

  private async withRetry<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await call();
      } catch (error) {
        if (attempt >= this.retry.attempts || !isTransient(error)) throw error;
        const delay = this.retry.baseDelayMs * 2 ** (attempt - 1);
        await new Promise((resolve) => setTimeout(resolve, delay * (0.5 + Math.random() / 2)));
      }
    }
  }

  private async prepareCollection(): Promise<void> {
    const { exists } = await this.withRetry(() => this.client.collectionExists(this.collection));
    if (!exists) {
      try {
        await this.client.createCollection(this.collection, {
          vectors: this.dimensions ? { [DENSE]: { size: this.dimensions, distance: 'Cosine' } } : {},
          sparse_vectors: { [SPARSE]: { modifier: 'idf' } },
        });
      } catch (error) {
        // Another process may have created it between the check and the create.
        const created = await this.withRetry(() => this.client.collectionExists(this.collection));
        if (!created.exists) throw error;
      }
    }
    const info = await this.withRetry(() => this.client.getCollection(this.collection));
    this.checkVectors(info.config.params);
    // Indexes are compared with what the server has, so a run cut short completes on the next one.
    const present = new Set(Object.keys(info.payload_schema ?? {}));
    for (const [field, schema] of PAYLOAD_INDEXES) {
      if (present.has(field)) continue;
      await this.withRetry(() =>
        this.client.createPayloadIndex(this.collection, {
          field_name: field,
          field_schema: schema,
          wait: true,
        }),
      );
    }
  }

  /** Refuses a collection that would silently rank wrongly: dense size or distance, or BM25 without IDF. */
  private checkVectors(params: { vectors?: unknown; sparse_vectors?: unknown }): void {
    const problems: string[] = [];
    const vectors = (params.vectors ?? {}) as Record<
      string,
      { size?: number; distance?: string } | undefined
    >;
    const dense = vectors[DENSE];
    if (this.dimensions && dense?.size !== this.dimensions) {
      problems.push(`dense size ${dense?.size ?? 'none'} but the embedder produces ${this.dimensions}`);
    }
    if (this.dimensions && dense && dense.distance !== 'Cosine') {
      problems.push(`dense distance ${dense.distance ?? 'none'} instead of Cosine`);
    }
    const sparse = (params.sparse_vectors as Record<string, { modifier?: string | null }> | undefined)?.[
      SPARSE
    ];
    if (sparse?.modifier !== 'idf') {
      problems.push(
        sparse ? `sparse vector "${SPARSE}" without the idf modifier` : `no sparse vector "${SPARSE}"`,
      );
    }
    if (problems.length > 0) {
      throw new Error(
        `Qdrant collection "${this.collection}" does not fit: ${problems.join('; ')}. Use another QDRANT_COLLECTION or delete the collection, then ingest again.`,
      );
    }
  }
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** 5xx, 429, a client timeout or a refused/reset connection: worth another try. */
function isTransient(error: unknown): boolean {
  const status = statusOf(error);
  if (status !== undefined) return status >= 500 || status === 429;
  const name = (error as { name?: string; constructor?: { name?: string } } | null)?.constructor?.name;
  if (name === 'QdrantClientTimeoutError' || name === 'QdrantClientResourceExhaustedError') return true;
  return error instanceof TypeError; // fetch's "fetch failed" on a refused or reset connection
}

/** A 400/422 whose message is about the RRF parameters (an older server's query parser). */
function rejectsFusionParameters(error: unknown): boolean {
  const status = statusOf(error);
  if (status !== 400 && status !== 422) return false;
  const data = (error as { data?: { status?: { error?: unknown } } }).data;
  const text = `${String(data?.status?.error ?? '')} ${(error as Error).message ?? ''}`;
  return /\brrf\b|weights|unknown variant|did not match any variant/i.test(text);
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
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
  // Values in a `match.any` are kept unique: `ALL` (or `all`) as the asked value would repeat it.
  if (filter.products && filter.products.length > 0)
    must.push({ key: 'product', match: { any: unique(filter.products) } });
  if (filter.jurisdiction)
    must.push({ key: 'jurisdiction', match: { any: unique([filter.jurisdiction, 'ALL']) } });
  if (filter.audience) must.push({ key: 'audience', match: { any: unique([filter.audience, 'all']) } });
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
