import { describe, expect, it } from 'vitest';
import { analyze } from './analyzer.js';
import { EmbeddedVectorIndex } from './embedded-vector-index.js';
import { hashChunkFields, type KnowledgeChunk } from './knowledge-chunk.js';
import type { WordVectorSource } from './query-expansion.js';
import { indexTextOf, Retriever } from './retriever.js';
import { Bm25SparseEncoder } from './sparse-encoder.js';
import type { IndexQuery, ScoredChunk, VectorIndex } from './vector-index.js';
import { Vocabulary } from './vocabulary.js';

function chunk(documentId: string, text: string, overrides: Partial<KnowledgeChunk> = {}): KnowledgeChunk {
  const fields = {
    chunkId: `${documentId}#s-1`,
    documentId,
    title: documentId,
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

const chunks = [
  chunk('overdrafts', 'An arranged overdraft lets you borrow up to an agreed limit. Interest is 39.9% EAR.'),
  chunk('abroad', 'Using your card abroad costs a 2.75% foreign transaction fee.'),
  chunk('lost-card', 'Freeze a lost card in the app and order a replacement.'),
];
const encoder = new Bm25SparseEncoder();
const vocabulary = Vocabulary.fromTokenLists(chunks.map((value) => analyze(indexTextOf(value))));
const day = '2026-01-01';

async function buildIndex(): Promise<EmbeddedVectorIndex> {
  const index = await EmbeddedVectorIndex.open();
  await index.upsert(
    chunks.map((value) => ({
      chunk: value,
      sparse: encoder.encodeDocument(analyze(indexTextOf(value)).map((token) => token.term)),
      fingerprint: 'f',
    })),
  );
  return index;
}

/** A tiny word-vector table: "overseas" is close to "abroad"; "tight" is a frequent real word. */
const wordVectors: WordVectorSource = {
  vectorOf: (word) =>
    ({
      overseas: Float32Array.from([1, 0]),
      abroad: Float32Array.from([0.9, Math.sqrt(1 - 0.81)]),
      card: Float32Array.from([0, 1]),
    })[word],
  rankOf: (word) => ({ tight: 3000, overseas: 5000, abroad: 4000, card: 900 })[word],
};

describe('Retriever', () => {
  it('when the query is on topic then the passage comes back with high confidence', async () => {
    const retriever = new Retriever({ index: await buildIndex(), sparseEncoder: encoder, vocabulary });
    const result = await retriever.retrieve('What interest do I pay on an arranged overdraft?', {
      filter: { day },
    });
    expect(result.passages[0]).toMatchObject({
      documentId: 'overdrafts',
      chunkId: 'overdrafts#s-1',
      version: '1.0',
    });
    expect(result.confidence.lowConfidence).toBe(false);
    expect(result.confidence.score).toBeGreaterThan(0.5);
  });

  it('when the query is out of scope then confidence is low (so the pipeline can hand off)', async () => {
    const retriever = new Retriever({ index: await buildIndex(), sparseEncoder: encoder, vocabulary });
    const result = await retriever.retrieve('What is the capital of Australia?', { filter: { day } });
    expect(result.confidence.lowConfidence).toBe(true);
    expect(result.confidence.unknownWords).toEqual(['capital', 'australia']);
  });

  it('when a word is misspelled then it is corrected against the vocabulary', async () => {
    const retriever = new Retriever({ index: await buildIndex(), sparseEncoder: encoder, vocabulary });
    const result = await retriever.retrieve('overdarft intrest', { filter: { day } });
    expect(result.confidence.corrections).toEqual(['overdarft→overdraft', 'intrest→interest']);
    expect(result.passages[0]?.documentId).toBe('overdrafts');
  });

  it('when generation reads a question then words are corrected and weighed as retrieval does', async () => {
    const retriever = new Retriever({
      index: await buildIndex(),
      sparseEncoder: encoder,
      vocabulary,
      wordVectors,
    });
    expect(retriever.correctWord('overdarft')).toBe('overdraft');
    // A frequent real word the corpus lacks is another word, not a typo.
    expect(retriever.correctWord('tight')).toBe('tight');
    expect(retriever.termRarity('bitcoin')).toBeUndefined();
    // "card" is in two of the three chunks, "overdraft" in one: the rarer term weighs more.
    expect(retriever.termRarity('overdraft')).toBeGreaterThan(retriever.termRarity('card') ?? Infinity);
  });

  it('when a real word is close to a corpus word then word vectors stop the false correction', async () => {
    const withVectors = new Retriever({
      index: await buildIndex(),
      sparseEncoder: encoder,
      vocabulary,
      wordVectors,
    });
    expect(
      (await withVectors.retrieve('money is tight', { filter: { day } })).confidence.corrections,
    ).toEqual([]);
  });

  it('when a query word has a close corpus word then the sparse query is expanded with it', async () => {
    const plain = new Retriever({ index: await buildIndex(), sparseEncoder: encoder, vocabulary });
    const expanded = new Retriever({
      index: await buildIndex(),
      sparseEncoder: encoder,
      vocabulary,
      wordVectors,
    });
    expect(await plain.search('overseas', { filter: { day } })).toEqual([]);
    expect((await expanded.search('overseas', { filter: { day } }))[0]?.documentId).toBe('abroad');
  });

  it('when the index leaks retired, draft or future chunks then the retriever still drops them', async () => {
    const leaked = [
      chunk('retired', 'overdraft', { status: 'retired' }),
      chunk('draft', 'overdraft', { status: 'draft' }),
      chunk('future', 'overdraft', { effectiveFrom: '2027-01-01' }),
      chunk('other-country', 'overdraft', { jurisdiction: 'US' }),
      chunks[0]!,
    ];
    const leakyIndex: VectorIndex = {
      upsert: async () => {},
      delete: async () => {},
      deleteDocuments: async () => {},
      listIndexed: async () => [],
      flush: async () => {},
      query: async (_query: IndexQuery): Promise<ScoredChunk[]> =>
        leaked.map((value, position) => ({ chunk: value, score: 1 - position / 10 })),
    };
    const retriever = new Retriever({ index: leakyIndex, sparseEncoder: encoder, vocabulary });
    const passages = await retriever.search('overdraft', { filter: { day, jurisdiction: 'UK' } });
    expect(passages.map((passage) => passage.documentId)).toEqual(['overdrafts']);
  });
});
