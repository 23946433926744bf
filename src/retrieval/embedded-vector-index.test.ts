import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedVectorIndex } from './embedded-vector-index.js';
import { hashChunkFields } from './knowledge-chunk.js';
import { describeVectorIndexContract } from './vector-index.contract.js';

describeVectorIndexContract('EmbeddedVectorIndex (memory)', () => EmbeddedVectorIndex.open());

const directories: string[] = [];
afterAll(async () => {
  await Promise.all(directories.map((directory) => rm(directory, { recursive: true, force: true })));
});

describe('EmbeddedVectorIndex persistence', () => {
  it('when flushed then a reopened index has the same chunks, vectors and search results', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'teller-index-'));
    directories.push(dataDir);
    const index = await EmbeddedVectorIndex.open({ dataDir });
    const fields = {
      chunkId: 'doc#s-1',
      documentId: 'doc',
      title: 'T',
      version: '1.0',
      section: 'S',
      text: 'overdraft interest',
      product: 'overdrafts',
      jurisdiction: 'UK',
      audience: 'retail' as const,
      status: 'approved' as const,
      effectiveFrom: '2025-01-01',
      effectiveUntil: null,
      tags: [],
    };
    const chunk = { ...fields, contentHash: hashChunkFields(fields) };
    await index.upsert([
      {
        chunk,
        sparse: { indices: [7, 9], values: [1, 0.5] },
        dense: Float32Array.from([0.6, 0.8]),
        fingerprint: 'f',
      },
    ]);
    await index.flush();
    const reopened = await EmbeddedVectorIndex.open({ dataDir });
    expect(await reopened.listIndexed()).toEqual(await index.listIndexed());
    const query = {
      dense: Float32Array.from([0.6, 0.8]),
      sparse: { indices: [9], values: [1] },
      filter: { day: '2026-01-01' },
      limit: 3,
    };
    expect(await reopened.query(query)).toEqual(await index.query(query));
  });
});
