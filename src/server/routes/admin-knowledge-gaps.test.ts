import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTeller, type Teller } from '../../composition/build-teller.js';
import { DEVELOPMENT_JWT_SECRET } from '../../config/config.js';
import { createTempTellerHome, TEST_NOW } from '../../testing/temp-teller.js';
import { jsonRequest } from '../../testing/test-app.js';
import type { Role } from '../../turn/types.js';
import { signDevelopmentToken } from '../auth/token-verifier.js';

/**
 * The knowledge-gap loop end to end through the API of Teller as `npm start` builds it: customers
 * ask about something no document covers (safe deposit boxes) and, unsure twice, Teller hands them
 * off for low confidence; the questions show up as one gap; an officer drafts a document from it,
 * writes the answer, a second officer approves it, it is published, and a recheck answers the same
 * questions with a citation of the new document.
 */
const ASKED: ReadonlyArray<{ customer: string; questions: readonly string[] }> = [
  {
    customer: 'c_123',
    questions: ['Do you rent safe deposit boxes?', 'do you rent out safe deposit boxes at branches'],
  },
  { customer: 'c_789', questions: ['how much is a safe deposit box', 'safe deposit box rental price'] },
  {
    customer: 'c_999',
    questions: ['Do you rent safe deposit boxes?', 'do you rent out safe deposit boxes at branches'],
  },
];

describe('knowledge gaps: from unanswered questions to a published answer', () => {
  let teller: Teller;
  const home = createTempTellerHome('teller-gaps-');
  const token = (subject: string, roles: Role[] = ['customer']) =>
    signDevelopmentToken(DEVELOPMENT_JWT_SECRET, { subject, roles });

  beforeAll(async () => {
    teller = await buildTeller(home.config, { now: TEST_NOW });
  }, 120_000);
  afterAll(async () => {
    await teller?.close();
    home.remove();
  });

  it('when customers ask what no document answers then a gap appears, and after a drafted answer is approved and published the same questions are answered with citations', async () => {
    for (const { customer, questions } of ASKED) {
      const bearer = await token(customer);
      const { id } = (await (
        await teller.app.request('/v1/conversations', jsonRequest('POST', bearer))
      ).json()) as {
        id: string;
      };
      for (const text of questions) {
        const answer = await teller.app.request(
          `/v1/conversations/${id}/messages`,
          jsonRequest('POST', bearer, { text }),
        );
        expect(answer.status).toBe(200);
      }
    }
    const officerA = await token('officer_a', ['compliance']);
    const officerB = await token('officer_b', ['compliance']);

    const listed = await teller.app.request('/v1/admin/knowledge-gaps', jsonRequest('GET', officerA));
    expect(listed.status).toBe(200);
    const { gaps } = (await listed.json()) as {
      gaps: Array<{ id: string; label: string; customers: number; count: number; examples: string[] }>;
    };
    const gap = gaps.find((candidate) => candidate.label.includes('deposit'));
    expect(gap, JSON.stringify(gaps)).toBeDefined();
    expect(gap!.customers).toBe(3);
    expect(gap!.examples.length).toBeGreaterThan(0);
    expect(gap!.examples.every((example) => /safe deposit/i.test(example))).toBe(true);

    const before = (await (
      await teller.app.request(`/v1/admin/knowledge-gaps/${gap!.id}/recheck`, jsonRequest('POST', officerA))
    ).json()) as { questions: number; answered: number; citations: Array<{ citation: string }> };
    expect(before.questions).toBeGreaterThan(0);

    const drafted = await teller.app.request(
      `/v1/admin/knowledge-gaps/${gap!.id}/draft`,
      jsonRequest('POST', officerA),
    );
    expect(drafted.status).toBe(201);
    const { documentId, markdown } = (await drafted.json()) as { documentId: string; markdown: string };
    expect(markdown).toContain('status: draft');
    expect(markdown).toMatch(/safe deposit/i);

    // The officer writes the answer in place of the prefilled questions, then a second one approves.
    const answered = markdown
      .replace(
        'Write the approved answer here.',
        [
          'We do not rent safe deposit boxes in any branch, and we have no plans to offer them.',
          'To keep valuables safe, ask your home insurer about cover for items kept at home, or use a specialist storage company.',
        ].join(' '),
      )
      .replace(/## Questions customers asked[\s\S]*$/, '');
    const saved = await teller.app.request(
      `/v1/admin/documents/${documentId}/draft`,
      jsonRequest('PUT', officerA, { markdown: answered, expectedRevision: 1 }),
    );
    expect(saved.status, await saved.clone().text()).toBe(200);
    const ownApproval = await teller.app.request(
      `/v1/admin/documents/${documentId}/approve`,
      jsonRequest('POST', officerA, { expectedRevision: 2 }),
    );
    // The four-eyes rule of documents: whoever wrote the draft cannot approve it.
    expect(ownApproval.status).toBe(409);
    expect(await ownApproval.text()).toContain('four-eyes');
    const approved = await teller.app.request(
      `/v1/admin/documents/${documentId}/approve`,
      jsonRequest('POST', officerB, { expectedRevision: 2 }),
    );
    expect(approved.status, await approved.clone().text()).toBe(200);
    const published = await teller.app.request(
      `/v1/admin/documents/${documentId}/publish`,
      jsonRequest('POST', officerB),
    );
    expect(published.status, await published.clone().text()).toBe(200);

    const after = (await (
      await teller.app.request(`/v1/admin/knowledge-gaps/${gap!.id}/recheck`, jsonRequest('POST', officerA))
    ).json()) as {
      questions: number;
      answered: number;
      citations: Array<{ citation: string; answers: number }>;
      results: Array<{ question: string; answered: boolean; citations: string[] }>;
    };
    expect(after.questions).toBe(before.questions);
    expect(after.answered).toBe(after.questions);
    expect(after.citations[0]?.citation).toMatch(new RegExp(`^${documentId}@`));
    expect(
      after.results.every((result) => result.citations.some((citation) => citation.startsWith(documentId))),
    ).toBe(true);
    // Nothing the recheck did was written as a turn.
    const turns = teller.database.prepare('SELECT COUNT(*) AS count FROM turn_records').get() as {
      count: number;
    };
    expect(turns.count).toBe(ASKED.flatMap((asked) => asked.questions).length);
  }, 120_000);

  it('when an analyst asks then the gap list is readable but drafting and rechecking stay with compliance', async () => {
    const analyst = await token('analyst_1', ['analyst']);
    const listed = await teller.app.request('/v1/admin/knowledge-gaps', jsonRequest('GET', analyst));
    expect(listed.status).toBe(200);
    const { gaps } = (await listed.json()) as { gaps: Array<{ id: string; label: string }> };
    const gap = gaps.find((candidate) => candidate.label.includes('deposit'));
    expect(gap, JSON.stringify(gaps)).toBeDefined();
    for (const action of ['draft', 'recheck']) {
      const response = await teller.app.request(
        `/v1/admin/knowledge-gaps/${gap!.id}/${action}`,
        jsonRequest('POST', analyst),
      );
      expect(response.status, action).toBe(403);
    }
    const agent = await token('agent_1', ['agent']);
    expect((await teller.app.request('/v1/admin/knowledge-gaps', jsonRequest('GET', agent))).status).toBe(
      403,
    );
    expect((await teller.app.request('/v1/admin/documents', jsonRequest('GET', analyst))).status).toBe(403);
  });
});
