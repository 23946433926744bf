import { describe, expect, it } from 'vitest';
import { sqliteBackend } from '../../store/sqlite-backend.js';
import type { TurnAnalytics } from '../../store/turn-analytics.js';
import { createTestApp, jsonRequest } from '../../testing/test-app.js';
import { SettableClock, seedTurnTraffic } from '../../testing/turn-traffic-seeder.js';

const START = new Date('2026-11-18T00:00:00.000Z');

async function seededApp() {
  const harness = createTestApp();
  const clock = new SettableClock(START);
  const seeded = await seedTurnTraffic(sqliteBackend(harness.database, clock.now), clock, {
    start: START,
    days: 7,
    conversationsPerDay: 8,
  });
  return { ...harness, seeded };
}

describe('GET /v1/admin/analytics', () => {
  it('when an analyst asks for a week then the figures are those of the seeded traffic, and the read is audited', async () => {
    const { app, tokenFor, seeded, audit } = await seededApp();
    const token = await tokenFor('analyst_1', ['analyst']);
    const response = await app.request(
      '/v1/admin/analytics?from=2026-11-18&to=2026-11-24&bucket=day',
      jsonRequest('GET', token),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as TurnAnalytics;
    expect(body).toMatchObject({ from: '2026-11-18', to: '2026-11-24', bucket: 'day' });
    expect(body.buckets).toHaveLength(7);
    expect(body.totals.turns).toBe(seeded.turns);
    expect(body.totals.contained).toBe(seeded.contained);
    expect(body.totals.kinds).toEqual(seeded.kinds);
    expect(JSON.stringify(body)).not.toContain('seeded question');
    expect(audit.list({ actionPrefix: 'analytics.' })[0]).toMatchObject({
      actor: 'analyst_1',
      details: { from: '2026-11-18', to: '2026-11-24', bucket: 'day' },
    });
  });

  it('when the last day is asked then it is included (the window ends after it)', async () => {
    const { app, tokenFor, seeded } = await seededApp();
    const token = await tokenFor('compliance_1', ['compliance']);
    const response = await app.request(
      '/v1/admin/analytics?from=2026-11-24&to=2026-11-24',
      jsonRequest('GET', token),
    );
    const body = (await response.json()) as TurnAnalytics;
    expect(body.buckets.map((bucket) => bucket.start)).toEqual(['2026-11-24']);
    expect(body.totals.turns).toBe(seeded.perDay['2026-11-24']?.turns);
  });

  it('when customers or agents ask then it is 403; analysts still cannot reach compliance endpoints', async () => {
    const { app, tokenFor } = await seededApp();
    const path = '/v1/admin/analytics?from=2026-11-18&to=2026-11-24';
    expect((await app.request(path, jsonRequest('GET', await tokenFor('c_123')))).status).toBe(403);
    expect((await app.request(path, jsonRequest('GET', await tokenFor('agent_1', ['agent'])))).status).toBe(
      403,
    );
    const analyst = await tokenFor('analyst_1', ['analyst']);
    expect((await app.request('/v1/admin/documents', jsonRequest('GET', analyst))).status).toBe(403);
  });

  it('when the window is backwards, too long or not a day then it is 400', async () => {
    const { app, tokenFor } = await seededApp();
    const token = await tokenFor('analyst_1', ['analyst']);
    for (const query of [
      'from=2026-11-24&to=2026-11-18',
      'from=2024-01-01&to=2026-11-18',
      'from=2026-02-30&to=2026-03-02',
      'from=2026-11-18',
      'from=2026-11-18&to=2026-11-24&bucket=month',
    ]) {
      const response = await app.request(`/v1/admin/analytics?${query}`, jsonRequest('GET', token));
      expect(response.status, query).toBe(400);
    }
  });

  it('when the OpenAPI description is read then analytics and feedback are documented', async () => {
    const { app } = createTestApp();
    const document = (await (await app.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(document.paths['/v1/admin/analytics'] ?? {})).toEqual(['get']);
    expect(Object.keys(document.paths['/v1/conversations/{id}/turns/{turnId}/feedback'] ?? {})).toEqual([
      'post',
    ]);
  });
});
