import { describe, expect, it } from 'vitest';
import { APPROXIMATE_DENSE_FROM, EmbeddedVectorIndex } from './embedded-vector-index.js';
import { hashChunkFields, type KnowledgeChunk } from './knowledge-chunk.js';
import type { IndexedChunk } from './vector-index.js';

const DIMENSIONS = 32;

/** Deterministic pseudo-random numbers, so the test is the same on every run. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
}

function normalized(values: number[]): Float32Array {
  const norm = Math.hypot(...values) || 1;
  return Float32Array.from(values, (value) => value / norm);
}

function item(slot: number, dense: Float32Array, product = 'accounts'): IndexedChunk {
  const fields = {
    chunkId: `doc-${slot}#0`,
    documentId: `doc-${slot}`,
    title: 'Policy',
    version: '1.0',
    section: 'Section',
    text: `passage ${slot}`,
    product,
    jurisdiction: 'UK',
    audience: 'retail' as const,
    status: 'approved' as const,
    effectiveFrom: '2025-01-01',
    effectiveUntil: null,
    tags: [],
  } satisfies Omit<KnowledgeChunk, 'contentHash'>;
  return {
    chunk: { ...fields, contentHash: hashChunkFields(fields) },
    sparse: { indices: [], values: [] },
    dense,
    fingerprint: 'test',
  };
}

describe('embedded index dense search on a large index', () => {
  it('when the index is large then approximate search still finds nearly all of the exact top 20', async () => {
    const next = random(7);
    // Vectors around 60 topics, like passages around policy topics.
    const topics = Array.from({ length: 60 }, () => Array.from({ length: DIMENSIONS }, next));
    const vectors = Array.from({ length: APPROXIMATE_DENSE_FROM + 1000 }, (_, slot) =>
      normalized(topics[slot % topics.length]!.map((value) => value + next() * 0.6)),
    );
    const index = await EmbeddedVectorIndex.open();
    await index.upsert(vectors.map((vector, slot) => item(slot, vector)));
    await index.clustersReady();
    expect(index.clustered).toBe(true);
    let overlap = 0;
    const queries = 20;
    for (let query = 0; query < queries; query++) {
      const vector = normalized(topics[(query * 7) % topics.length]!.map((value) => value + next() * 0.6));
      const exact = vectors
        .map((candidate, slot) => ({
          slot,
          score: candidate.reduce((sum, value, index) => sum + value * vector[index]!, 0),
        }))
        .sort((left, right) => right.score - left.score)
        .slice(0, 20)
        .map((hit) => `doc-${hit.slot}#0`);
      const hits = await index.query({ dense: vector, filter: { day: '2026-06-01' }, limit: 20 });
      const found = new Set(hits.map((hit) => hit.chunk.chunkId));
      overlap += exact.filter((chunkId) => found.has(chunkId)).length / exact.length;
    }
    expect(overlap / queries).toBeGreaterThan(0.9);
  });
});

/** Vectors around 60 topics (like passages around policy topics); every tenth is a `cards` chunk. */
function topicalItems(count: number, seed: number) {
  const next = random(seed);
  const topics = Array.from({ length: 60 }, () => Array.from({ length: DIMENSIONS }, next));
  const near = (topic: number) =>
    normalized(topics[topic % topics.length]!.map((value) => value + next() * 0.6));
  const vectors = Array.from({ length: count }, (_, slot) => near(slot));
  const items = vectors.map((vector, slot) => item(slot, vector, slot % 10 === 3 ? 'cards' : 'accounts'));
  return { vectors, items, near };
}

function exactTop(
  vectors: readonly Float32Array[],
  query: Float32Array,
  limit: number,
  keep: (slot: number) => boolean,
) {
  return vectors
    .map((candidate, slot) => ({
      slot,
      score: candidate.reduce((sum, value, index) => sum + value * query[index]!, 0),
    }))
    .filter((hit) => keep(hit.slot))
    .sort((left, right) => right.score - left.score)
    .slice(0, limit)
    .map((hit) => `doc-${hit.slot}#0`);
}

describe('embedded index dense recall under filters', () => {
  it.each([
    ['a tenth of the chunks pass (one product)', ['cards'], (slot: number) => slot % 10 === 3],
    ['nine tenths pass (all other products)', ['accounts'], (slot: number) => slot % 10 !== 3],
  ])('when %s then dense recall@10 stays at or above 0.95', async (_, products, passes) => {
    const { vectors, items, near } = topicalItems(APPROXIMATE_DENSE_FROM * 2, 5);
    const index = await EmbeddedVectorIndex.open();
    await index.upsert(items);
    await index.clustersReady();
    let recall = 0;
    const queries = 30;
    for (let query = 0; query < queries; query++) {
      const vector = near(query * 7);
      const expected = exactTop(vectors, vector, 10, passes);
      const hits = await index.query({ dense: vector, filter: { day: '2026-06-01', products }, limit: 10 });
      const found = new Set(hits.map((hit) => hit.chunk.chunkId));
      recall += expected.filter((chunkId) => found.has(chunkId)).length / expected.length;
    }
    expect(recall / queries).toBeGreaterThanOrEqual(0.95);
  });
});

describe('embedded index clustering off the query path', () => {
  it('when a large index changes then queries answer exactly at once and never run the clustering pass', async () => {
    const { vectors, items, near } = topicalItems(APPROXIMATE_DENSE_FROM + 500, 9);
    const index = await EmbeddedVectorIndex.open();
    await index.upsert(items);
    const vector = near(3);
    const hits = await index.query({ dense: vector, filter: { day: '2026-06-01' }, limit: 20 });
    expect(hits.map((hit) => hit.chunk.chunkId)).toEqual(exactTop(vectors, vector, 20, () => true));
    expect(index.clustered).toBe(false);
  });

  it('when clusters are built then the event loop keeps turning between slices, and a change drops them', async () => {
    const { items } = topicalItems(APPROXIMATE_DENSE_FROM + 500, 13);
    const index = await EmbeddedVectorIndex.open();
    await index.upsert(items);
    let turns = 0;
    const ticker = setInterval(() => {
      turns += 1;
    }, 0);
    await index.clustersReady();
    clearInterval(ticker);
    expect(index.clustered).toBe(true);
    expect(turns).toBeGreaterThan(3);
    await index.delete(['doc-0#0']);
    expect(index.clustered).toBe(false);
  });
});

describe('embedded index dense scores', () => {
  it('when rows are scored in groups of four then every score is the plain in-order dot product', async () => {
    const next = random(11);
    // 4k + 3 rows, some left out by the filter, so both grouped and leftover rows are scored.
    const vectors = Array.from({ length: 4 * 25 + 3 }, () =>
      normalized(Array.from({ length: DIMENSIONS + 3 }, next)),
    );
    const index = await EmbeddedVectorIndex.open();
    await index.upsert(
      vectors.map((vector, slot) => {
        const indexed = item(slot, vector);
        return slot % 9 === 4
          ? { ...indexed, chunk: { ...indexed.chunk, status: 'retired' as const } }
          : indexed;
      }),
    );
    const query = normalized(Array.from({ length: DIMENSIONS + 3 }, next));
    const hits = await index.query({ dense: query, filter: { day: '2026-06-01' }, limit: 200 });
    expect(hits).toHaveLength(vectors.length - Math.ceil((vectors.length - 4) / 9));
    for (const hit of hits) {
      const slot = Number(hit.chunk.documentId.slice('doc-'.length));
      let expected = 0;
      for (let index = 0; index < query.length; index++) expected += vectors[slot]![index]! * query[index]!;
      expect(hit.score).toBe(expected);
    }
  });
});
