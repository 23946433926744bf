/**
 * The Qdrant adapter against a fault-injecting stand-in that checks every request (and its own
 * responses) against Qdrant's published API description, v1.18.0, in strict mode.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadQdrantApiDescription, QDRANT_API_DESCRIPTION_PATH } from '../testing/qdrant-openapi.js';
import { QdrantStandIn } from '../testing/qdrant-stand-in.js';
import { analyzeTerms } from './analyzer.js';
import { HashingEmbedder } from './embedder.js';
import { hashChunkFields, type KnowledgeChunk } from './knowledge-chunk.js';
import { QdrantVectorIndex, type QdrantVectorIndexOptions } from './qdrant-vector-index.js';
import { Bm25SparseEncoder } from './sparse-encoder.js';
import type { IndexedChunk, IndexQuery } from './vector-index.js';

const api = loadQdrantApiDescription();
const DIMENSIONS = 16;
const encoder = new Bm25SparseEncoder();
const embedder = new HashingEmbedder({ dimensions: DIMENSIONS });
const FIELD_INDEXES = [
  'document_id',
  'product',
  'jurisdiction',
  'audience',
  'status',
  'effective_from_day',
  'effective_until_day',
];

async function indexed(
  chunkId: string,
  text: string,
  overrides: Partial<KnowledgeChunk> = {},
): Promise<IndexedChunk> {
  const fields = {
    chunkId,
    documentId: chunkId.split('#')[0]!,
    title: 'Policy',
    version: '1.0',
    section: 'Section',
    text,
    product: 'cards',
    jurisdiction: 'UK',
    audience: 'retail' as const,
    status: 'approved' as const,
    effectiveFrom: '2025-01-01',
    effectiveUntil: null,
    tags: [],
    ...overrides,
  };
  return {
    chunk: { ...fields, contentHash: hashChunkFields(fields) },
    sparse: encoder.encodeDocument(analyzeTerms(text)),
    dense: await embedder.embedQuery(text),
    fingerprint: 'faults',
  };
}

async function hybridQuery(text: string, filter: Partial<IndexQuery['filter']> = {}): Promise<IndexQuery> {
  return {
    sparse: encoder.encodeQuery(new Map(analyzeTerms(text).map((term) => [term, 1]))),
    dense: await embedder.embedQuery(text),
    filter: { day: '2026-06-01', ...filter },
    limit: 5,
  };
}

const VALID_CONFIG = {
  vectors: { dense: { size: DIMENSIONS, distance: 'Cosine' } },
  sparse_vectors: { sparse: { modifier: 'idf' } },
};

describe.skipIf(!api)(`QdrantVectorIndex against the published API (${QDRANT_API_DESCRIPTION_PATH})`, () => {
  let standIn: QdrantStandIn;
  let counter = 0;
  let collection: string;

  beforeAll(async () => {
    standIn = await QdrantStandIn.start(api!);
  });
  afterAll(async () => {
    await standIn.close();
  });
  beforeEach(() => {
    counter += 1;
    collection = `teller-faults-${counter}`;
    standIn.reset();
  });
  afterEach(() => {
    // Whatever a test provokes, the adapter speaks the published API and the stand-in answers in it.
    expect(standIn.invalidRequests()).toEqual([]);
    expect(standIn.responseProblems).toEqual([]);
  });

  const open = (options: Partial<QdrantVectorIndexOptions> = {}) =>
    new QdrantVectorIndex({
      url: standIn.url,
      collection,
      dimensions: DIMENSIONS,
      retry: { attempts: 3, baseDelayMs: 1 },
      ...options,
    });

  it('when the adapter creates, writes, lists, queries and deletes then every request is valid in strict mode', async () => {
    const index = open({ rrfK: 60, rrfWeights: [1, 0.5] });
    await index.upsert([
      await indexed('fees#a-1', 'Card replacement fee'),
      await indexed('fees#a-2', 'Overdraft'),
    ]);
    expect((await index.listIndexed()).map((state) => state.chunkId).sort()).toEqual([
      'fees#a-1',
      'fees#a-2',
    ]);
    const hits = await index.query(
      await hybridQuery('card fee', { products: ['cards'], jurisdiction: 'UK' }),
    );
    expect(hits.length).toBe(2);
    await index.query({ ...(await hybridQuery('card fee')), dense: undefined });
    await index.delete(['fees#a-1']);
    expect((await index.listIndexed()).map((state) => state.chunkId)).toEqual(['fees#a-2']);
    expect(new Set(standIn.requests.map((request) => request.operationId))).toEqual(
      new Set([
        'collection_exists',
        'create_collection',
        'get_collection',
        'create_field_index',
        'upsert_points',
        'scroll_points',
        'query_points',
        'delete_points',
      ]),
    );
  });

  it('when the index is sparse-only then its collection and queries are valid too', async () => {
    const index = open({ dimensions: undefined });
    await index.upsert([await indexed('fees#a-1', 'Card replacement fee')]);
    const hits = await index.query(await hybridQuery('card fee'));
    expect(hits.map((hit) => hit.chunk.chunkId)).toEqual(['fees#a-1']);
    expect((standIn.requestsTo('query_points')[0]!.body as { using?: string }).using).toBe('sparse');
  });

  it('when the validator meets an unknown field then it flags it (strict mode is on)', () => {
    const { problems } = api!.checkRequest({
      method: 'POST',
      path: '/collections/x/points/query',
      query: {},
      body: { query: { fusion: 'rrf' }, limit: 3, with_payloads: true },
    });
    expect(problems.join('\n')).toContain('with_payloads');
  });

  it('when the asked jurisdiction is ALL or the audience is all then no match.any repeats a value', async () => {
    const index = open();
    await index.upsert([await indexed('fees#a-1', 'Card fee', { jurisdiction: 'ALL', audience: 'all' })]);
    const hits = await index.query(
      await hybridQuery('card fee', {
        jurisdiction: 'ALL',
        audience: 'retail',
        products: ['cards', 'cards'],
      }),
    );
    expect(hits.map((hit) => hit.chunk.chunkId)).toEqual(['fees#a-1']);
    const [request] = standIn.requestsTo('query_points');
    const conditions = (request!.body as { filter: { must: Array<{ match?: { any?: string[] } }> } }).filter
      .must;
    const anyLists = conditions.flatMap((condition) => (condition.match?.any ? [condition.match.any] : []));
    expect(anyLists.length).toBe(3);
    for (const values of anyLists) expect(new Set(values).size).toBe(values.length);
  });

  describe('fusion parameters', () => {
    const sentWeights = () =>
      standIn
        .requestsTo('query_points')
        .map((request) => 'rrf' in ((request.body as { query: object }).query ?? {}));

    it('when a hybrid search gets a 400 unrelated to fusion then it fails and the next search keeps the weights', async () => {
      const index = open({ rrfK: 60, rrfWeights: [1, 0.5] });
      await index.ensureCollection();
      standIn.inject({
        operationId: 'query_points',
        status: 400,
        errorText: 'Wrong input: Vector dimension error',
      });
      await expect(index.query(await hybridQuery('card fee'))).rejects.toMatchObject({ status: 400 });
      await index.query(await hybridQuery('card fee'));
      expect(sentWeights()).toEqual([true, true]);
    });

    it('when the server rejects the RRF parameters then that search retries with plain RRF, and weights come back later', async () => {
      const index = open({ rrfK: 60, rrfWeights: [1, 0.5], plainFusionMs: 50 });
      await index.upsert([await indexed('fees#a-1', 'Card fee')]);
      standIn.inject({
        operationId: 'query_points',
        status: 400,
        errorText:
          'Format error in JSON body: data did not match any variant of untagged enum QueryInterface',
      });
      expect((await index.query(await hybridQuery('card fee'))).length).toBe(1);
      await index.query(await hybridQuery('card fee'));
      await new Promise((resolve) => setTimeout(resolve, 60));
      await index.query(await hybridQuery('card fee'));
      expect(sentWeights()).toEqual([true, false, false, true]);
    });
  });

  it('when the collection is deleted behind the adapter then the next calls recreate it instead of 404ing', async () => {
    const index = open();
    await index.upsert([await indexed('fees#a-1', 'Card fee')]);
    standIn.collections.delete(collection);
    await index.upsert([await indexed('fees#a-2', 'Overdraft fee')]);
    expect((await index.listIndexed()).map((state) => state.chunkId)).toEqual(['fees#a-2']);
    expect([...standIn.collections.get(collection)!.payloadSchema.keys()].sort()).toEqual(
      [...FIELD_INDEXES].sort(),
    );
    standIn.collections.delete(collection);
    expect(await index.query(await hybridQuery('card fee'))).toEqual([]);
  });

  it('when creating payload indexes fails part-way then the next call completes the missing ones', async () => {
    const index = open();
    // Two indexes are created, then the third fails on every attempt.
    standIn.inject({ operationId: 'create_field_index', status: 500, times: 3, after: 2 });
    await expect(index.ensureCollection()).rejects.toMatchObject({ status: 500 });
    expect(standIn.collections.get(collection)!.payloadSchema.size).toBe(2);
    await index.ensureCollection();
    expect([...standIn.collections.get(collection)!.payloadSchema.keys()].sort()).toEqual(
      [...FIELD_INDEXES].sort(),
    );
  });

  it.each([
    [
      'a wrong dense size',
      { ...VALID_CONFIG, vectors: { dense: { size: 32, distance: 'Cosine' } } },
      /dense size 32/,
    ],
    [
      'an unnamed dense vector',
      { ...VALID_CONFIG, vectors: { size: DIMENSIONS, distance: 'Cosine' } },
      /dense size none/,
    ],
    [
      'a wrong distance',
      { ...VALID_CONFIG, vectors: { dense: { size: DIMENSIONS, distance: 'Dot' } } },
      /distance Dot/,
    ],
    [
      'a sparse vector without idf',
      { ...VALID_CONFIG, sparse_vectors: { sparse: {} } },
      /without the idf modifier/,
    ],
    ['no sparse vector', { vectors: VALID_CONFIG.vectors }, /no sparse vector/],
  ])(
    'when an existing collection has %s then it is refused with a clear error',
    async (_, config, message) => {
      standIn.seedCollection(collection, config, FIELD_INDEXES);
      await expect(open().ensureCollection()).rejects.toThrow(message);
      expect(standIn.requestsTo('upsert_points')).toEqual([]);
    },
  );

  it('when an existing collection fits then it is accepted and only its missing indexes are created', async () => {
    standIn.seedCollection(collection, VALID_CONFIG, ['document_id', 'product']);
    await open().ensureCollection();
    expect(standIn.requestsTo('create_field_index').length).toBe(FIELD_INDEXES.length - 2);
  });

  describe('timeouts and retries', () => {
    it('when the server answers 503 twice then an idempotent call succeeds on the third attempt', async () => {
      const index = open();
      await index.upsert([await indexed('fees#a-1', 'Card fee')]);
      standIn.inject({ operationId: 'scroll_points', status: 503, times: 2 });
      expect((await index.listIndexed()).length).toBe(1);
      expect(standIn.requestsTo('scroll_points').length).toBe(3);
    });

    it('when the server keeps failing then the call gives up after the bounded attempts', async () => {
      const index = open();
      await index.ensureCollection();
      standIn.inject({ operationId: 'query_points', status: 502, times: 10 });
      await expect(index.query(await hybridQuery('card fee'))).rejects.toMatchObject({ status: 502 });
      expect(standIn.requestsTo('query_points').length).toBe(3);
    });

    it('when the server hangs then the client times out and retries instead of waiting minutes', async () => {
      const index = open({ timeoutMs: 100 });
      await index.upsert([await indexed('fees#a-1', 'Card fee')]);
      standIn.inject({ operationId: 'query_points', delayMs: 1_000 });
      const started = Date.now();
      expect((await index.query(await hybridQuery('card fee'))).length).toBe(1);
      expect(Date.now() - started).toBeLessThan(900);
      expect(standIn.requestsTo('query_points').length).toBe(2);
    });

    it('when a 4xx other than 404 comes back then it is not retried', async () => {
      const index = open();
      await index.ensureCollection();
      standIn.inject({ operationId: 'scroll_points', status: 422, errorText: 'Validation error' });
      await expect(index.listIndexed()).rejects.toMatchObject({ status: 422 });
      expect(standIn.requestsTo('scroll_points').length).toBe(1);
    });
  });

  it('when one document is re-listed for a re-publish then only its points are scrolled, by a document_id filter', async () => {
    const index = open();
    await index.upsert([
      await indexed('fees#a-1', 'Card fee'),
      await indexed('overdraft#a-1', 'Overdraft'),
      await indexed('overdraft#a-2', 'Overdraft limit'),
    ]);
    standIn.requests.length = 0;
    const states = await index.listIndexed({ documentIds: ['overdraft'] });
    expect(states.map((state) => state.chunkId).sort()).toEqual(['overdraft#a-1', 'overdraft#a-2']);
    const [scroll] = standIn.requestsTo('scroll_points');
    expect((scroll!.body as { filter?: unknown }).filter).toEqual({
      must: [{ key: 'document_id', match: { any: ['overdraft'] } }],
    });
  });
});

describe.runIf(!api)('QdrantVectorIndex against the published API', () => {
  it.skip(`needs the API description at ${QDRANT_API_DESCRIPTION_PATH} (or QDRANT_OPENAPI_PATH); skipped without it`, () => {});
});
