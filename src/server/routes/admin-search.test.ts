import { afterEach, describe, expect, it } from 'vitest';
import { HashingEmbedder } from '../../retrieval/embedder.js';
import { createComplianceHarness } from '../../testing/compliance-harness.js';

type Harness = Awaited<ReturnType<typeof createComplianceHarness>>;

describe('compliance search route', () => {
  let harness: Harness | undefined;
  afterEach(() => harness?.cleanup());

  it('when a question is searched then passages come back with scores and confidence, narrowed by topic', async () => {
    harness = await createComplianceHarness();
    const token = await harness.tokenFor('alice');
    const all = await harness.call('POST', '/v1/admin/search', token, {
      query: 'overdraft interest rate EAR',
      limit: 2,
    });
    expect(all.status).toBe(200);
    expect(all.body.hits.length).toBeGreaterThan(0);
    expect(all.body.hits.length).toBeLessThanOrEqual(2);
    expect(all.body.hits[0]).toMatchObject({
      documentId: 'overdraft-basics',
      score: expect.any(Number),
      why: expect.any(Object),
    });
    // Sparse-only index: the BM25 rank explains the order; there is no dense list or fusion.
    expect(all.body.hits.map((hit: { why: { sparseRank: number } }) => hit.why.sparseRank)).toEqual(
      all.body.hits.map((_: unknown, position: number) => position + 1),
    );
    expect(all.body.hits[0].why).toMatchObject({ denseRank: null, fusedScore: null });
    expect(all.body.confidence).toMatchObject({
      score: expect.any(Number),
      lowConfidence: expect.any(Boolean),
    });

    const typo = await harness.call('POST', '/v1/admin/search', token, { query: 'overdarft interest' });
    expect(typo.body.hits[0].why.notes).toEqual(
      expect.arrayContaining([expect.stringMatching(/^typo corrected: overdarft/)]),
    );

    const cardsOnly = await harness.call('POST', '/v1/admin/search', token, {
      query: 'overdraft interest rate EAR',
      topic: 'cards',
    });
    expect(cardsOnly.body.hits.every((hit: { documentId: string }) => hit.documentId === 'card-lost')).toBe(
      true,
    );
  });

  it('when retrieval is hybrid then each hit says its sparse and dense ranks and the fused score', async () => {
    harness = await createComplianceHarness({ embedder: new HashingEmbedder() });
    const token = await harness.tokenFor('alice');
    const result = await harness.call('POST', '/v1/admin/search', token, { query: 'lost card replacement' });
    const [top] = result.body.hits;
    expect(top.why.fusedScore).toBe(top.score);
    expect(top.why.sparseRank).toEqual(expect.any(Number));
    expect(top.why.denseRank).toEqual(expect.any(Number));
    // The explanation adds up: RRF with k = 2 over 0-based positions gives 1 / (rank + 1) per list.
    for (const hit of result.body.hits) {
      const part = (rank: number | null) => (rank === null ? 0 : 1 / (rank + 1));
      expect(hit.why.fusedScore).toBeCloseTo(part(hit.why.sparseRank) + part(hit.why.denseRank), 10);
    }
  });

  it('when the body is out of bounds then it is refused', async () => {
    harness = await createComplianceHarness();
    const token = await harness.tokenFor('alice');
    for (const body of [
      { query: '' },
      { query: 'x', limit: 500 },
      { query: 'x', topic: 'crypto' },
      { query: 'x', extra: 1 },
      { query: 'x'.repeat(501) },
    ]) {
      expect(
        (await harness.call('POST', '/v1/admin/search', token, body)).status,
        JSON.stringify(body).slice(0, 40),
      ).toBe(400);
    }
  });

  it('when no search function is configured then the route answers 503', async () => {
    harness = await createComplianceHarness({ withSearch: false });
    const response = await harness.call('POST', '/v1/admin/search', await harness.tokenFor('alice'), {
      query: 'card',
    });
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('unavailable');
  });

  it('when the OpenAPI document is read then every compliance route is described', async () => {
    harness = await createComplianceHarness();
    const document = (await (await harness.app.request('/openapi.json')).json()) as {
      paths: Record<string, object>;
    };
    for (const kind of ['documents', 'policies']) {
      for (const suffix of [
        '',
        '/{id}',
        '/{id}/draft',
        '/{id}/approve',
        '/{id}/publish',
        '/{id}/retire',
        '/{id}/history',
        '/{id}/diff',
      ]) {
        expect(document.paths, `${kind}${suffix}`).toHaveProperty([`/v1/admin/${kind}${suffix}`]);
      }
    }
    expect(document.paths).toHaveProperty(['/v1/admin/validate']);
    expect(document.paths).toHaveProperty(['/v1/admin/search']);
  });
});
