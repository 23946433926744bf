import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmbeddedVectorIndex } from '../retrieval/embedded-vector-index.js';
import { HashingEmbedder } from '../retrieval/embedder.js';
import { pointId, QdrantVectorIndex } from '../retrieval/qdrant-vector-index.js';
import { Bm25SparseEncoder } from '../retrieval/sparse-encoder.js';
import { loadQdrantApiDescription } from '../testing/qdrant-openapi.js';
import { QdrantStandIn } from '../testing/qdrant-stand-in.js';
import { ingestKnowledge, reindexDocument } from './ingest.js';
import { createKnowledgeService } from './knowledge-service.js';
import { KnowledgeValidationError } from './parse-document.js';

const fixtures = join(import.meta.dirname, 'fixtures');
let workDir: string;
let knowledgeDir: string;

beforeEach(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'teller-ingest-'));
  knowledgeDir = join(workDir, 'documents');
  await cp(fixtures, knowledgeDir, { recursive: true });
});
afterEach(async () => {
  await rm(workDir, { recursive: true, force: true });
});

async function writer(dataDir = join(workDir, 'data')) {
  return {
    index: await EmbeddedVectorIndex.open({ dataDir }),
    sparseEncoder: new Bm25SparseEncoder(),
    embedder: new HashingEmbedder(),
  };
}

describe('ingestKnowledge', () => {
  it('when run twice then the second run changes nothing, even from a reopened snapshot', async () => {
    const first = await ingestKnowledge({ knowledgeDir, ...(await writer()) });
    // Approved documents only: overdraft-basics (2 sections), card-lost, savings-future.
    expect(first.summary).toMatchObject({
      documents: 5,
      indexedDocuments: 3,
      chunks: 4,
      added: 4,
      unchanged: 0,
      deleted: 0,
    });
    const second = await ingestKnowledge({ knowledgeDir, ...(await writer()) });
    expect(second.summary).toMatchObject({ added: 0, updated: 0, unchanged: 4, deleted: 0 });
  });

  it('when a document is edited, retired or removed then only its chunks are updated or deleted', async () => {
    await ingestKnowledge({ knowledgeDir, ...(await writer()) });
    const overdraftPath = join(knowledgeDir, 'overdraft-basics.md');
    await writeFile(overdraftPath, (await readFile(overdraftPath, 'utf8')).replace('39.9%', '35.9%'));
    const cardPath = join(knowledgeDir, 'card-lost.md');
    await writeFile(
      cardPath,
      (await readFile(cardPath, 'utf8')).replace('status: approved', 'status: retired'),
    );
    await rm(join(knowledgeDir, 'savings-future.md'));
    const index = await writer();
    const { summary } = await ingestKnowledge({ knowledgeDir, ...index });
    expect(summary).toMatchObject({ added: 0, updated: 1, unchanged: 1, deleted: 2 });
    expect((await index.index.listIndexed()).map((state) => state.documentId)).toEqual([
      'overdraft-basics',
      'overdraft-basics',
    ]);
  });

  it('when the embedder changes then every chunk is re-embedded', async () => {
    await ingestKnowledge({ knowledgeDir, ...(await writer()) });
    const changed = { ...(await writer()), embedder: new HashingEmbedder({ dimensions: 64 }) };
    // Same id and size: nothing to do. A different model id means different vectors.
    expect((await ingestKnowledge({ knowledgeDir, ...changed })).summary.updated).toBe(0);
    const other = {
      ...(await writer(join(workDir, 'other'))),
      sparseEncoder: new Bm25SparseEncoder({ k1: 1.5 }),
    };
    await ingestKnowledge({ knowledgeDir, ...other });
    const again = await ingestKnowledge({ knowledgeDir, ...other, sparseEncoder: new Bm25SparseEncoder() });
    expect(again.summary).toMatchObject({ updated: 4, unchanged: 0 });
  });

  it('when any document is invalid then it throws with file and line and leaves the index untouched', async () => {
    const target = await writer();
    await ingestKnowledge({ knowledgeDir, ...target });
    const before = await target.index.listIndexed();
    const cardPath = join(knowledgeDir, 'card-lost.md');
    await writeFile(
      cardPath,
      (await readFile(cardPath, 'utf8')).replace('audience: all', 'audience: everyone'),
    );
    await writeFile(
      join(knowledgeDir, 'copy.md'),
      await readFile(join(knowledgeDir, 'fees-2023.md'), 'utf8'),
    );
    const error = await ingestKnowledge({ knowledgeDir, ...target, displayRoot: workDir }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(KnowledgeValidationError);
    expect((error as KnowledgeValidationError).issues).toEqual([
      { path: join('documents', 'card-lost.md'), line: 6, message: expect.stringMatching(/^audience:/) },
      {
        path: join('documents', 'fees-2023.md'),
        line: 2,
        message: expect.stringMatching(/already used by documents\/copy.md/),
      },
    ]);
    expect(await target.index.listIndexed()).toEqual(before);
  });
});

describe('reindexDocument', () => {
  it('when one document is retired then only its chunks are deleted and others stay', async () => {
    const target = await writer();
    await ingestKnowledge({ knowledgeDir, ...target });
    const cardPath = join(knowledgeDir, 'card-lost.md');
    await writeFile(
      cardPath,
      (await readFile(cardPath, 'utf8')).replace('status: approved', 'status: retired'),
    );
    const { summary } = await reindexDocument(cardPath, target);
    expect(summary).toMatchObject({ chunks: 0, deleted: 1, added: 0 });
    expect((await target.index.listIndexed()).some((state) => state.documentId === 'card-lost')).toBe(false);
    expect((await target.index.listIndexed()).length).toBe(3);
  });
});

const qdrantApi = loadQdrantApiDescription();

describe.skipIf(!qdrantApi)('reindexDocument on Qdrant (the published API, strict)', () => {
  it('when a re-published document lost a section then its stale point goes by one document_id filter, nothing else listed or touched', async () => {
    const standIn = await QdrantStandIn.start(qdrantApi!);
    try {
      const target = {
        index: new QdrantVectorIndex({ url: standIn.url, collection: 'teller-republish', dimensions: 64 }),
        sparseEncoder: new Bm25SparseEncoder(),
        embedder: new HashingEmbedder(),
      };
      await ingestKnowledge({ knowledgeDir, ...target });
      const overdraftPath = join(knowledgeDir, 'overdraft-basics.md');
      const text = await readFile(overdraftPath, 'utf8');
      await writeFile(overdraftPath, text.slice(0, text.indexOf('## Unarranged borrowing')));
      standIn.requests.length = 0;

      const { summary } = await reindexDocument(overdraftPath, target);

      expect(summary).toMatchObject({ chunks: 1, unchanged: 1, deleted: 1 });
      const deletes = standIn.requestsTo('delete_points');
      expect(deletes).toHaveLength(1);
      const kept = (await target.index.listIndexed({ documentIds: ['overdraft-basics'] })).map(
        (state) => state.chunkId,
      );
      expect(deletes[0]!.body).toEqual({
        filter: {
          must: [{ key: 'document_id', match: { any: ['overdraft-basics'] } }],
          must_not: [{ has_id: kept.map(pointId) }],
        },
      });
      // Only the re-published document was ever listed: every scroll carried its filter.
      for (const scroll of standIn.requestsTo('scroll_points')) {
        expect((scroll.body as { filter?: unknown }).filter).toBeDefined();
      }
      expect(kept).toHaveLength(1);
      expect((await target.index.listIndexed()).length).toBe(3);
      expect(standIn.invalidRequests()).toEqual([]);
      expect(standIn.responseProblems).toEqual([]);
    } finally {
      await standIn.close();
    }
  });
});

describe('createKnowledgeService', () => {
  it('when built from a directory then the retriever answers from approved, in-force documents only', async () => {
    const service = await createKnowledgeService({ knowledgeDir, dataDir: join(workDir, 'data') });
    const day = '2026-06-01';
    const overdraft = await service.retriever.retrieve('overdarft interest rate', { filter: { day } });
    expect(overdraft.passages[0]?.documentId).toBe('overdraft-basics');
    expect(overdraft.confidence.corrections).toEqual(['overdarft→overdraft']);
    // The retired 2023 fees and the draft business overdraft match "overdraft fee" but are never returned.
    const fees = await service.retriever.search('daily overdraft fee business rate', {
      limit: 10,
      filter: { day },
    });
    expect(fees.map((passage) => passage.documentId)).not.toContain('fees-2023');
    expect(fees.map((passage) => passage.documentId)).not.toContain('business-draft');
    // Not yet in force in 2026, in force in 2030.
    expect(
      (await service.retriever.search('savings bonus rate', { filter: { day } })).map((p) => p.documentId),
    ).not.toContain('savings-future');
    expect(
      (await service.retriever.search('savings bonus rate', { filter: { day: '2030-02-01' } }))[0]
        ?.documentId,
    ).toBe('savings-future');
  });
});
