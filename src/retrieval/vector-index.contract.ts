/**
 * One behavioural contract for every `VectorIndex`: run by `embedded-vector-index.test.ts` and
 * `qdrant-vector-index.test.ts`, so both backends are held to the same filter semantics,
 * idempotency and fusion ordering.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { analyzeTerms } from './analyzer.js';
import { HashingEmbedder } from './embedder.js';
import { reciprocalRankFusion } from './fusion.js';
import { hashChunkFields, type KnowledgeChunk } from './knowledge-chunk.js';
import { indexTextOf } from './retriever.js';
import { Bm25SparseEncoder } from './sparse-encoder.js';
import type { ChunkFilter, IndexedChunk, VectorIndex } from './vector-index.js';

const encoder = new Bm25SparseEncoder();
const embedder = new HashingEmbedder({ dimensions: 64 });
const DAY = '2026-06-01';

/** Dimensions of the dense vectors the contract writes (a Qdrant collection must be created with it). */
export const CONTRACT_DIMENSIONS = embedder.dimensions;

function chunk(chunkId: string, text: string, overrides: Partial<KnowledgeChunk> = {}): KnowledgeChunk {
  const fields = {
    chunkId,
    documentId: chunkId.split('#')[0]!,
    title: 'Policy',
    version: '1.0',
    section: 'Section',
    text,
    product: 'accounts',
    jurisdiction: 'UK',
    audience: 'retail' as const,
    status: 'approved' as const,
    effectiveFrom: '2025-01-01',
    effectiveUntil: null,
    tags: [],
    ...overrides,
  };
  return { ...fields, contentHash: hashChunkFields(fields) };
}

async function indexed(value: KnowledgeChunk, fingerprint = 'contract'): Promise<IndexedChunk> {
  const text = indexTextOf(value);
  return {
    chunk: value,
    sparse: encoder.encodeDocument(analyzeTerms(text)),
    dense: await embedder.embedQuery(text),
    fingerprint,
  };
}

async function sparseIds(
  index: VectorIndex,
  query: string,
  filter: Partial<ChunkFilter> = {},
): Promise<string[]> {
  const sparse = encoder.encodeQuery(new Map(analyzeTerms(query).map((term) => [term, 1])));
  const hits = await index.query({ sparse, filter: { day: DAY, ...filter }, limit: 10 });
  return hits.map((hit) => hit.chunk.chunkId);
}

export function describeVectorIndexContract(
  name: string,
  createIndex: () => Promise<VectorIndex>,
  options: { skip?: boolean } = {},
): void {
  describe.skipIf(options.skip ?? false)(`VectorIndex contract: ${name}`, () => {
    let index: VectorIndex;
    beforeEach(async () => {
      index = await createIndex();
    });

    it('when the same chunk is upserted twice then it is stored once with its hash and fingerprint', async () => {
      const first = chunk('doc-a#s-1', 'Overdraft interest is charged daily.');
      await index.upsert([await indexed(first)]);
      await index.upsert([await indexed(first, 'contract-2')]);
      const states = await index.listIndexed();
      expect(states).toEqual([
        {
          chunkId: 'doc-a#s-1',
          documentId: 'doc-a',
          contentHash: first.contentHash,
          fingerprint: 'contract-2',
        },
      ]);
    });

    it('when a chunk is replaced then search sees only the new text; when deleted it is gone', async () => {
      await index.upsert([await indexed(chunk('doc-a#s-1', 'Overdraft interest is charged daily.'))]);
      await index.upsert([await indexed(chunk('doc-a#s-1', 'Cheque deposits clear in two days.'))]);
      expect(await sparseIds(index, 'overdraft interest')).toEqual([]);
      expect(await sparseIds(index, 'cheque deposits')).toEqual(['doc-a#s-1']);
      await index.delete(['doc-a#s-1', 'never-stored#x-1']);
      expect(await index.listIndexed()).toEqual([]);
      expect(await sparseIds(index, 'cheque deposits')).toEqual([]);
    });

    it('when a document is deleted by its id except some chunks then only its other chunks go', async () => {
      await index.upsert(
        await Promise.all([
          indexed(chunk('doc-a#s-1', 'Overdraft interest is charged daily.')),
          indexed(chunk('doc-a#s-2', 'Overdraft limits are reviewed yearly.')),
          indexed(chunk('doc-b#s-1', 'Cheque deposits clear in two days.')),
        ]),
      );
      await index.deleteDocuments(['doc-a'], { keep: ['doc-a#s-2', 'doc-b#s-1'] });
      expect((await index.listIndexed()).map((state) => state.chunkId).sort()).toEqual([
        'doc-a#s-2',
        'doc-b#s-1',
      ]);
      await index.deleteDocuments(['doc-a']);
      expect((await index.listIndexed()).map((state) => state.chunkId)).toEqual(['doc-b#s-1']);
      await index.deleteDocuments(['doc-b']);
      expect(await index.listIndexed()).toEqual([]);
    });

    it('when chunks are retired, drafts, not yet effective or expired then they are never returned', async () => {
      const text = 'Replacement card delivery takes five working days.';
      await index.upsert(
        await Promise.all([
          indexed(chunk('live#s-1', text)),
          indexed(chunk('retired#s-1', text, { status: 'retired' })),
          indexed(chunk('draft#s-1', text, { status: 'draft' })),
          indexed(chunk('future#s-1', text, { effectiveFrom: '2026-06-02' })),
          indexed(chunk('expired#s-1', text, { effectiveUntil: '2026-05-31' })),
          indexed(chunk('last-day#s-1', text, { effectiveUntil: DAY })),
        ]),
      );
      const dense = await embedder.embedQuery(text);
      const sparse = encoder.encodeQuery(new Map(analyzeTerms(text).map((term) => [term, 1])));
      for (const query of [{ sparse }, { dense }, { sparse, dense }]) {
        const hits = await index.query({ ...query, filter: { day: DAY }, limit: 10 });
        expect(hits.map((hit) => hit.chunk.chunkId).sort()).toEqual(['last-day#s-1', 'live#s-1']);
      }
      expect((await sparseIds(index, text, { day: '2026-06-02' })).sort()).toEqual([
        'future#s-1',
        'live#s-1',
      ]);
    });

    it('when filtering by product, jurisdiction and audience then ALL and all match any request', async () => {
      const text = 'Contactless payment limit is one hundred pounds.';
      await index.upsert(
        await Promise.all([
          indexed(chunk('uk-retail#s-1', text, { product: 'cards' })),
          indexed(chunk('all-all#s-1', text, { product: 'cards', jurisdiction: 'ALL', audience: 'all' })),
          indexed(chunk('eu-retail#s-1', text, { product: 'cards', jurisdiction: 'EU' })),
          indexed(chunk('uk-business#s-1', text, { product: 'cards', audience: 'business' })),
          indexed(chunk('uk-payments#s-1', text, { product: 'payments' })),
        ]),
      );
      const sorted = async (filter: Partial<ChunkFilter>) => (await sparseIds(index, text, filter)).sort();
      expect(await sorted({ products: ['cards'], jurisdiction: 'UK', audience: 'retail' })).toEqual([
        'all-all#s-1',
        'uk-retail#s-1',
      ]);
      expect(await sorted({ jurisdiction: 'EU' })).toEqual(['all-all#s-1', 'eu-retail#s-1']);
      expect(await sorted({ audience: 'business' })).toEqual(['all-all#s-1', 'uk-business#s-1']);
      expect(
        await sorted({ products: ['payments', 'cards'], jurisdiction: 'UK', audience: 'business' }),
      ).toEqual(['all-all#s-1', 'uk-business#s-1']);
      expect(await sorted({ products: [] })).toHaveLength(5);
    });

    it('when a query has a rare and a common term then the chunk with the rare term ranks first (IDF)', async () => {
      await index.upsert(
        await Promise.all([
          indexed(chunk('common-1#s-1', 'account account statement')),
          indexed(chunk('common-2#s-1', 'account balance')),
          indexed(chunk('common-3#s-1', 'account closure')),
          indexed(chunk('rare#s-1', 'chargeback request')),
        ]),
      );
      expect((await sparseIds(index, 'account chargeback'))[0]).toBe('rare#s-1');
    });

    it('when both vectors are given then results follow RRF over the sparse and dense rankings', async () => {
      const texts = [
        'Standing orders pay a fixed amount on a schedule.',
        'Direct debits let a company collect varying amounts.',
        'Standing order changes need one working day.',
        'Faster payments arrive within two hours.',
        'Schedule a payment for a future date in the app.',
      ];
      await index.upsert(
        await Promise.all(texts.map((text, position) => indexed(chunk(`doc-${position}#s-1`, text)))),
      );
      const query = 'standing order schedule';
      const sparse = encoder.encodeQuery(new Map(analyzeTerms(query).map((term) => [term, 1])));
      const dense = await embedder.embedQuery('fixed amount payment on a date');
      const filter = { day: DAY };
      const sparseHits = await index.query({ sparse, filter, limit: 5 });
      const denseHits = await index.query({ dense, filter, limit: 5 });
      const fused = await index.query({ sparse, dense, filter, limit: 5, prefetchLimit: 5 });
      const expected = reciprocalRankFusion(
        [sparseHits.map((hit) => hit.chunk.chunkId), denseHits.map((hit) => hit.chunk.chunkId)],
        (id) => id,
      );
      expect(fused.map((hit) => hit.score)).toEqual(expected.map((entry) => expect.closeTo(entry.score, 5)));
      // Ties may be broken differently by the backend; the set at each score must match.
      const byScore = (entries: Array<{ id: string; score: number }>) =>
        entries.map((entry) => `${entry.score.toFixed(5)}:${entry.id}`).sort();
      expect(byScore(fused.map((hit) => ({ id: hit.chunk.chunkId, score: hit.score })))).toEqual(
        byScore(expected.map((entry) => ({ id: entry.item, score: entry.score }))),
      );
      expect(fused[0]?.chunk.chunkId).toBe(expected[0]?.item);
    });
  });
}
