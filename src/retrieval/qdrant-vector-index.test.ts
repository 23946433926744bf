import { randomUUID } from 'node:crypto';
import { QdrantClient } from '@qdrant/js-client-rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadQdrantApiDescription } from '../testing/qdrant-openapi.js';
import { QdrantValidatingProxy } from '../testing/qdrant-validating-proxy.js';
import { pointId, QdrantVectorIndex } from './qdrant-vector-index.js';
import { CONTRACT_DIMENSIONS, describeVectorIndexContract } from './vector-index.contract.js';

// Runs against a live Qdrant only when one is given:
//   docker compose up -d qdrant && QDRANT_URL=http://localhost:6333 npx vitest run src/retrieval
// With the published API description present, the requests go through a proxy that checks each one.
const qdrantUrl = process.env.QDRANT_URL;
const api = qdrantUrl ? loadQdrantApiDescription() : undefined;
const collections: string[] = [];
let proxy: QdrantValidatingProxy | undefined;

beforeAll(async () => {
  if (qdrantUrl && api) proxy = await QdrantValidatingProxy.start(api, qdrantUrl);
});

describeVectorIndexContract(
  'QdrantVectorIndex',
  async () => {
    const collection = `teller-contract-${randomUUID()}`;
    collections.push(collection);
    const index = new QdrantVectorIndex({
      url: proxy?.url ?? qdrantUrl!,
      collection,
      dimensions: CONTRACT_DIMENSIONS,
    });
    await index.ensureCollection();
    await index.ensureCollection(); // idempotent
    return index;
  },
  { skip: !qdrantUrl },
);

afterAll(async () => {
  if (!qdrantUrl) return;
  const invalid = proxy?.invalidRequests() ?? [];
  await proxy?.close();
  // Every request the live suite sent must be valid against the published description.
  expect(invalid).toEqual([]);
  const client = new QdrantClient({ url: qdrantUrl, checkCompatibility: false });
  await Promise.all(collections.map((collection) => client.deleteCollection(collection)));
});

describe('pointId', () => {
  it('when given the same chunk id then it returns the same UUID, and different ids differ', () => {
    expect(pointId('fees#a-1')).toBe(pointId('fees#a-1'));
    expect(pointId('fees#a-1')).not.toBe(pointId('fees#a-2'));
    expect(pointId('fees#a-1')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
