import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createComplianceHarness } from '../../testing/compliance-harness.js';

type Harness = Awaited<ReturnType<typeof createComplianceHarness>>;

/** The card-lost fixture as a draft: workflow header fields reset, one sentence changed. */
function cardLostDraft(replacement = 'within two working days', extra = ''): string {
  return `---
id: card-lost
title: Lost or Stolen Cards
product: cards
jurisdiction: ALL
audience: all
version: "2.1"
status: draft
effective_from: "2024-06-01"
owner: cards-policy
tags: [cards, lost, stolen, freeze]
---
# Lost or Stolen Cards

## Report it straight away
Freeze the card in the app, then report it lost or stolen. We cancel the card and send a replacement ${replacement}.

## Payments you did not make
Tell us about any payment you do not recognise. We refund unauthorised payments by the end of the next business day.
${extra}`;
}

const base = '/v1/admin/documents';

describe('compliance document routes', () => {
  let harness: Harness;
  let alice: string;
  let bob: string;
  let carol: string;

  beforeEach(async () => {
    harness = await createComplianceHarness();
    [alice, bob, carol] = await Promise.all([
      harness.tokenFor('alice'),
      harness.tokenFor('bob'),
      harness.tokenFor('carol'),
    ]);
  });
  afterEach(() => harness.cleanup());

  const saveDraft = (token: string, markdown: string, expectedRevision: number, id = 'card-lost') =>
    harness.call('PUT', `${base}/${id}/draft`, token, { markdown, expectedRevision });

  it('when a draft is edited, approved by another officer and published then the file, index and next retrieval change', async () => {
    const before = await harness.call('POST', '/v1/admin/search', alice, {
      query: 'how long does a replacement card take',
    });
    expect(before.body.hits[0].text).toContain('five working days');

    const list = await harness.call('GET', base, alice);
    expect(list.status).toBe(200);
    expect(list.body.items.find((item: { id: string }) => item.id === 'card-lost')).toMatchObject({
      title: 'Lost or Stolen Cards',
      product: 'cards',
      status: 'approved',
      version: '2.1',
      effectiveFrom: '2024-06-01',
      hasDraft: false,
      draftStatus: null,
    });

    const saved = await saveDraft(alice, cardLostDraft(), 0);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      revision: 1,
      status: 'pending_approval',
      author: 'alice',
      editors: ['alice'],
    });

    const read = await harness.call('GET', `${base}/card-lost`, bob);
    expect(read.body.published).toMatchObject({ version: '2.1', status: 'approved' });
    expect(read.body.published.frontMatter.approved_by).toBe('compliance-board');
    expect(read.body.published.body).toContain('five working days');
    expect(read.body.draft.text).toContain('two working days');

    const diff = await harness.call('GET', `${base}/card-lost/diff`, bob);
    expect(diff.body.diff).toContain(
      '-Freeze the card in the app, then report it lost or stolen. We cancel the card and send a replacement within five working days.',
    );
    expect(diff.body.diff).toContain(
      '+Freeze the card in the app, then report it lost or stolen. We cancel the card and send a replacement within two working days.',
    );
    expect(diff.body.diff).toContain('-status: approved');

    const approved = await harness.call('POST', `${base}/card-lost/approve`, bob, { expectedRevision: 1 });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', approvedBy: 'bob' });

    const published = await harness.call('POST', `${base}/card-lost/publish`, carol);
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({
      id: 'card-lost',
      fileName: 'card-lost.md',
      version: '2.2',
      status: 'approved',
      applied: true,
    });

    const file = readFileSync(join(harness.documentsDir, 'card-lost.md'), 'utf8');
    expect(file).toContain('version: "2.2"');
    expect(file).toContain('status: approved');
    expect(file).toContain('approved_by: bob');
    expect(file).toContain('tags: [cards, lost, stolen, freeze]');
    expect(file).toContain('two working days');
    expect(published.body.contentHash).toBe(createHash('sha256').update(file).digest('hex'));
    expect(harness.indexer.calls).toEqual([join(harness.documentsDir, 'card-lost.md')]);

    const after = await harness.call('POST', '/v1/admin/search', alice, {
      query: 'how long does a replacement card take',
    });
    expect(after.body.hits[0]).toMatchObject({ documentId: 'card-lost', version: '2.2' });
    expect(after.body.hits[0].text).toContain('two working days');
    expect(after.body.hits.some((hit: { text: string }) => hit.text.includes('five working days'))).toBe(
      false,
    );

    const history = await harness.call('GET', `${base}/card-lost/history`, alice);
    expect(history.body.versions).toEqual([
      expect.objectContaining({
        action: 'published',
        version: '2.2',
        draftedBy: 'alice',
        approvedBy: 'bob',
        actor: 'carol',
        contentHash: published.body.contentHash,
      }),
    ]);
    expect(history.body.audit.map((entry: { action: string }) => entry.action)).toEqual([
      'document.draft_saved',
      'document.approved',
      'document.published',
    ]);
    const publishedEntry = history.body.audit[2];
    expect(publishedEntry).toMatchObject({
      actor: 'carol',
      details: { version: '2.2', previousVersion: '2.1' },
    });
    expect(publishedEntry.details.contentHash).toBe(published.body.contentHash);
    // Audit details never carry document bodies.
    expect(JSON.stringify(history.body.audit)).not.toContain('working days');
    expect(harness.audit.verifyChain()).toBeUndefined();

    const afterList = await harness.call('GET', base, alice);
    expect(afterList.body.items.find((item: { id: string }) => item.id === 'card-lost')).toMatchObject({
      version: '2.2',
      hasDraft: false,
    });
  });

  it('when the author approves their own draft, in any letter case, then it is refused and audited', async () => {
    await saveDraft(alice, cardLostDraft(), 0);
    const attempt = await harness.call('POST', `${base}/card-lost/approve`, alice, { expectedRevision: 1 });
    expect(attempt.status).toBe(409);
    expect(attempt.body.error.code).toBe('conflict');
    expect(attempt.body.error.message).toMatch(/four-eyes/);
    // Other spellings of the same staff id (case, spaces, a trailing dot) cannot even be
    // presented: the token verifier accepts staff subjects in one canonical form only.
    for (const subject of ['ALICE', 'Alice', ' alice ', 'alice.', 'alice_']) {
      const token = await harness.tokenFor(subject);
      const refusedAtLogin = await harness.call('POST', `${base}/card-lost/approve`, token, {
        expectedRevision: 1,
      });
      expect(refusedAtLogin.status, subject).toBe(401);
    }
    const refused = harness.audit.list({ actionPrefix: 'document.approval_refused' });
    expect(refused).toHaveLength(1);
    expect((await harness.call('GET', `${base}/card-lost`, alice)).body.draft.status).toBe(
      'pending_approval',
    );
  });

  it('when a second officer edits the draft then neither editor may approve it, but a third may', async () => {
    await saveDraft(alice, cardLostDraft(), 0);
    const edited = await saveDraft(bob, cardLostDraft('within three working days'), 1);
    expect(edited.body).toMatchObject({ revision: 2, author: 'alice', editors: ['alice', 'bob'] });
    const reviewed = { expectedRevision: 2 };
    expect((await harness.call('POST', `${base}/card-lost/approve`, bob, reviewed)).status).toBe(409);
    expect((await harness.call('POST', `${base}/card-lost/approve`, alice, reviewed)).status).toBe(409);
    expect((await harness.call('POST', `${base}/card-lost/approve`, carol, reviewed)).status).toBe(200);
  });

  it('when the approver reviewed an older revision then the approval is refused', async () => {
    await saveDraft(alice, cardLostDraft(), 0);
    await saveDraft(alice, cardLostDraft('within one working day'), 1);
    const stale = await harness.call('POST', `${base}/card-lost/approve`, bob, { expectedRevision: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toMatch(/revision 2/);
  });

  it('when the approval names no revision then it is refused: an approval covers exactly what was reviewed', async () => {
    await saveDraft(alice, cardLostDraft(), 0);
    const unnamed = await harness.call('POST', `${base}/card-lost/approve`, bob);
    expect(unnamed.status).toBe(400);
    const empty = await harness.call('POST', `${base}/card-lost/approve`, bob, {});
    expect(empty.status).toBe(400);
    expect((await harness.call('GET', `${base}/card-lost`, alice)).body.draft.status).toBe(
      'pending_approval',
    );
  });

  it('when the author saves after the approval then publishing refuses the approval of the older revision', async () => {
    await saveDraft(alice, cardLostDraft(), 0);
    const approved = await harness.call('POST', `${base}/card-lost/approve`, bob, { expectedRevision: 1 });
    expect(approved.body).toMatchObject({ status: 'approved', approvedRevision: 1 });
    await saveDraft(alice, cardLostDraft('within nine working days'), 1);
    const published = await harness.call('POST', `${base}/card-lost/publish`, bob);
    expect(published.status).toBe(409);
    expect(readFileSync(join(harness.documentsDir, 'card-lost.md'), 'utf8')).not.toContain(
      'nine working days',
    );
    // Even if the approval columns were left behind on the row, the revision they cover is checked.
    harness.database
      .prepare(
        "UPDATE compliance_drafts SET approved_by = 'bob', approved_revision = 1 WHERE artifact_id = 'card-lost'",
      )
      .run();
    const forced = await harness.call('POST', `${base}/card-lost/publish`, bob);
    expect(forced.status).toBe(409);
    expect(forced.body.error.message).toMatch(/approval covers revision 1.*revision 2/);
    expect(readFileSync(join(harness.documentsDir, 'card-lost.md'), 'utf8')).not.toContain(
      'nine working days',
    );
  });

  it('when there is no approved draft then publishing is refused with 409 and nothing is written', async () => {
    const original = readFileSync(join(harness.documentsDir, 'card-lost.md'), 'utf8');
    expect((await harness.call('POST', `${base}/card-lost/publish`, bob)).status).toBe(409);
    await saveDraft(alice, cardLostDraft(), 0);
    const unapproved = await harness.call('POST', `${base}/card-lost/publish`, bob);
    expect(unapproved.status).toBe(409);
    expect(unapproved.body.error.message).toMatch(/not approved/);

    // An edit after approval resets the approval.
    await harness.call('POST', `${base}/card-lost/approve`, bob, { expectedRevision: 1 });
    const reedited = await saveDraft(alice, cardLostDraft('within four working days'), 1);
    expect(reedited.body).toMatchObject({ status: 'pending_approval', approvedBy: null });
    expect(harness.audit.list({ actionPrefix: 'document.draft_saved' })[0]?.details).toMatchObject({
      approvalReset: true,
    });
    expect((await harness.call('POST', `${base}/card-lost/publish`, alice)).status).toBe(409);

    expect(readFileSync(join(harness.documentsDir, 'card-lost.md'), 'utf8')).toBe(original);
    expect(harness.indexer.calls).toEqual([]);
  });

  it('when the front matter is invalid then the draft is refused with each problem and its line', async () => {
    const invalid = cardLostDraft()
      .replace('version: "2.1"', 'version: two')
      .replace('product: cards\n', 'product: crypto\n');
    const response = await saveDraft(alice, invalid, 0);
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'bad_request', requestId: expect.any(String) });
    expect(response.body.error.details).toEqual(
      expect.arrayContaining([
        { line: 4, message: expect.stringMatching(/^product:/) },
        { line: 7, message: expect.stringMatching(/^version: version must look like 1.0/) },
      ]),
    );
    expect((await harness.call('GET', `${base}/card-lost`, alice)).body.draft).toBeNull();
  });

  it('when a draft claims approval, has another id or lacks sections then the workflow rules point at the lines', async () => {
    const claimsApproval = cardLostDraft()
      .replace('status: draft', 'status: approved')
      .replace('owner: cards-policy', 'owner: cards-policy\napproved_by: alice');
    const claimed = await saveDraft(alice, claimsApproval, 0);
    expect(claimed.status).toBe(400);
    expect(claimed.body.error.details).toEqual([
      { line: 8, message: expect.stringMatching(/^status: a draft must say/) },
      { line: 11, message: expect.stringMatching(/^approved_by: leave it out/) },
    ]);

    const otherId = await saveDraft(alice, cardLostDraft().replace('id: card-lost', 'id: card-found'), 0);
    expect(otherId.body.error.details).toEqual([
      { line: 2, message: expect.stringMatching(/^id: must be "card-lost"/) },
    ]);

    const noSections = cardLostDraft().split('## Report')[0] ?? '';
    const flat = await saveDraft(alice, noSections, 0);
    expect(flat.body.error.details).toEqual([{ line: 13, message: expect.stringMatching(/## Section/) }]);

    const emptySection = `${cardLostDraft()}\n## Empty heading\n\n`;
    const empty = await saveDraft(alice, emptySection, 0);
    expect(empty.body.error.details).toEqual([{ line: 21, message: 'section "Empty heading" has no text' }]);
  });

  it('when a console validates live then it gets ok or line-numbered errors without saving', async () => {
    const good = await harness.call('POST', '/v1/admin/validate', alice, {
      kind: 'document',
      markdown: cardLostDraft(),
      id: 'card-lost',
    });
    expect(good.body).toEqual({ ok: true, errors: [] });
    const bad = await harness.call('POST', '/v1/admin/validate', alice, {
      kind: 'document',
      markdown: cardLostDraft().replace('effective_from: "2024-06-01"', 'effective_from: 1 June 2024'),
    });
    expect(bad.body).toEqual({
      ok: false,
      errors: [{ line: 9, message: expect.stringMatching(/^effective_from/) }],
    });
    const unclosed = await harness.call('POST', '/v1/admin/validate', alice, {
      kind: 'document',
      markdown: '---\nid: x\n',
    });
    expect(unclosed.body.errors[0]).toMatchObject({ line: 1, message: expect.stringMatching(/not closed/) });
    const wrongShape = await harness.call('POST', '/v1/admin/validate', alice, {
      kind: 'document',
      yaml: 'id: x',
    });
    expect(wrongShape.status).toBe(400);
    expect(harness.audit.list()).toHaveLength(0);
  });

  it('when a customer or an agent calls the admin API then it is forbidden; without a token it is unauthorized', async () => {
    const customer = await harness.tokenFor('cust-1', ['customer']);
    const agent = await harness.tokenFor('agent-1', ['agent']);
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', base],
      ['GET', `${base}/card-lost`],
      ['PUT', `${base}/card-lost/draft`, { markdown: cardLostDraft(), expectedRevision: 0 }],
      ['POST', `${base}/card-lost/approve`],
      ['POST', `${base}/card-lost/publish`],
      ['POST', `${base}/card-lost/retire`, { reason: 'no longer offered' }],
      ['POST', '/v1/admin/search', { query: 'card' }],
      ['POST', '/v1/admin/validate', { kind: 'document', markdown: 'x' }],
      ['GET', '/v1/admin/policies'],
    ];
    for (const [method, path, body] of attempts) {
      for (const token of [customer, agent]) {
        const response = await harness.call(method, path, token, body);
        expect(response.status, `${method} ${path}`).toBe(403);
        expect(response.body.error.code).toBe('forbidden');
      }
      const anonymous = await harness.app.request(path, { method });
      expect(anonymous.status).toBe(401);
    }
    expect((await harness.call('GET', `${base}/card-lost`, alice)).body.draft).toBeNull();
    expect(harness.audit.list()).toHaveLength(0);
  });

  it('when an id tries to leave the knowledge folder then it is refused before any file access', async () => {
    const attacks = [
      '..%2F..%2Fetc%2Fpasswd',
      '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '..%252F..%252Fetc%252Fpasswd',
      '%2Fetc%2Fpasswd',
      '..',
      'card-lost.md',
      'card-lost%00',
      'Card-Lost',
      '..%5C..%5Cwindows',
      'a'.repeat(101),
    ];
    for (const id of attacks) {
      for (const path of [`${base}/${id}`, `${base}/${id}/history`, `${base}/${id}/diff`]) {
        const response = await harness.call('GET', path, alice);
        expect([400, 404], path).toContain(response.status);
        expect(response.body.error).toBeDefined();
      }
      const write = await saveDraft(alice, cardLostDraft(), 0, id);
      expect([400, 404], id).toContain(write.status);
      expect(
        (await harness.call('POST', `${base}/${id}/retire`, alice, { reason: 'attack' })).status,
      ).not.toBe(200);
    }
    // Un-encoded dots are resolved by URL parsing and never reach the routes.
    const raw = await harness.app.request('http://localhost/v1/admin/documents/../../etc/passwd', {
      headers: { authorization: `Bearer ${alice}` },
    });
    expect(raw.status).toBe(404);
    expect(existsSync(join(harness.documentsDir, '..', '..', 'etc'))).toBe(false);
    expect(harness.audit.list()).toHaveLength(0);
  });

  it('when two officers save the same revision at once then one wins and the other gets 409, audited', async () => {
    await saveDraft(alice, cardLostDraft(), 0);
    const [first, second] = await Promise.all([
      saveDraft(bob, cardLostDraft('within six working days'), 1),
      saveDraft(carol, cardLostDraft('within seven working days'), 1),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const loser = first.status === 409 ? first : second;
    expect(loser.body.error.message).toMatch(/revision 2, not 1/);
    const draft = (await harness.call('GET', `${base}/card-lost`, alice)).body.draft;
    expect(draft.revision).toBe(2);
    const rejected = harness.audit.list({ actionPrefix: 'document.draft_rejected' });
    expect(rejected).toHaveLength(1);
    expect(rejected[0]?.details).toMatchObject({
      reason: 'stale_revision',
      expectedRevision: 1,
      currentRevision: 2,
    });
    // A new draft must start from revision 0, so two "first" drafts cannot both land.
    const fresh = await saveDraft(alice, cardLostDraft(), 0);
    expect(fresh.status).toBe(409);
  });

  it('when two publishes race then the document is published once', async () => {
    await saveDraft(alice, cardLostDraft(), 0);
    await harness.call('POST', `${base}/card-lost/approve`, bob, { expectedRevision: 1 });
    const results = await Promise.all([
      harness.call('POST', `${base}/card-lost/publish`, carol),
      harness.call('POST', `${base}/card-lost/publish`, bob),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual([200, 409]);
    expect(readFileSync(join(harness.documentsDir, 'card-lost.md'), 'utf8')).toContain('version: "2.2"');
    expect(harness.audit.list({ actionPrefix: 'document.published' })).toHaveLength(1);
  });

  it('when the published file changes in git under a draft then approving and publishing are refused', async () => {
    await saveDraft(alice, cardLostDraft(), 0);
    const path = join(harness.documentsDir, 'card-lost.md');
    writeFileSync(path, readFileSync(path, 'utf8').replace('five working days', 'three working days'));
    const read = await harness.call('GET', `${base}/card-lost`, bob);
    expect(read.body.draft.stale).toBe(true);
    const approve = await harness.call('POST', `${base}/card-lost/approve`, bob, { expectedRevision: 1 });
    expect(approve.status).toBe(409);
    expect(approve.body.error.message).toMatch(/changed after this draft was saved/);
    // Saving again against the new file clears the conflict.
    await saveDraft(alice, cardLostDraft(), 1);
    expect(
      (await harness.call('POST', `${base}/card-lost/approve`, bob, { expectedRevision: 2 })).status,
    ).toBe(200);
    expect((await harness.call('POST', `${base}/card-lost/publish`, bob)).status).toBe(200);
  });

  it('when a new document is drafted then it is listed as a draft and published at its own version', async () => {
    const markdown = cardLostDraft()
      .replace('id: card-lost', 'id: card-travel')
      .replace('title: Lost or Stolen Cards', 'title: Using Your Card Abroad')
      .replace('version: "2.1"', 'version: "1.0"');
    expect((await saveDraft(alice, markdown, 0, 'card-travel')).status).toBe(200);
    const listed = (await harness.call('GET', base, bob)).body.items.find(
      (item: { id: string }) => item.id === 'card-travel',
    );
    expect(listed).toMatchObject({
      status: null,
      version: null,
      hasDraft: true,
      draftStatus: 'pending_approval',
      title: 'Using Your Card Abroad',
    });
    const diff = await harness.call('GET', `${base}/card-travel/diff`, bob);
    expect(diff.body.fromHash).toBeNull();
    expect(diff.body.diff).toContain('+id: card-travel');
    await harness.call('POST', `${base}/card-travel/approve`, bob, { expectedRevision: 1 });
    const published = await harness.call('POST', `${base}/card-travel/publish`, bob);
    expect(published.body).toMatchObject({ version: '1.0', fileName: 'card-travel.md' });
    expect(existsSync(join(harness.documentsDir, 'card-travel.md'))).toBe(true);
  });

  it('when one officer asks to retire a document then nothing changes until another approves and it is applied', async () => {
    const original = readFileSync(join(harness.documentsDir, 'card-lost.md'), 'utf8');
    const requested = await harness.call('POST', `${base}/card-lost/retire`, alice, {
      reason: 'replaced by the card hub page',
    });
    expect(requested.status).toBe(202);
    expect(requested.body).toMatchObject({ change: 'retire', status: 'pending_approval', revision: 1 });
    // The requester can neither approve nor apply it alone.
    expect((await harness.call('POST', `${base}/card-lost/publish`, alice)).status).toBe(409);
    const selfApproval = await harness.call('POST', `${base}/card-lost/approve`, alice, {
      expectedRevision: 1,
    });
    expect(selfApproval.status).toBe(409);
    expect(selfApproval.body.error.message).toMatch(/four-eyes/);
    expect(readFileSync(join(harness.documentsDir, 'card-lost.md'), 'utf8')).toBe(original);
    const search = await harness.call('POST', '/v1/admin/search', alice, {
      query: 'lost stolen card replacement',
    });
    expect(search.body.hits.some((hit: { documentId: string }) => hit.documentId === 'card-lost')).toBe(true);
    // A second request, or a new draft, cannot ride on the pending retirement.
    expect((await harness.call('POST', `${base}/card-lost/retire`, bob, { reason: 'again' })).status).toBe(
      409,
    );
    expect((await saveDraft(bob, cardLostDraft(), 1)).status).toBe(409);
    expect(harness.audit.list({ actionPrefix: 'document.retirement_requested' })[0]).toMatchObject({
      actor: 'alice',
      details: { reason: 'replaced by the card hub page' },
    });
  });

  it('when a document is retired then it says so on disk, leaves retrieval and cannot be retired twice', async () => {
    const requested = await harness.call('POST', `${base}/card-lost/retire`, alice, {
      reason: 'replaced by the card hub page',
    });
    expect(requested.status).toBe(202);
    expect(
      (await harness.call('POST', `${base}/card-lost/approve`, bob, { expectedRevision: 1 })).status,
    ).toBe(200);
    const retired = await harness.call('POST', `${base}/card-lost/publish`, bob);
    expect(retired.status).toBe(200);
    expect(retired.body).toMatchObject({ status: 'retired', version: '2.1', applied: true });
    const file = readFileSync(join(harness.documentsDir, 'card-lost.md'), 'utf8');
    expect(file).toContain('status: retired');
    expect(file).toContain('effective_until: "2026-11-25"');
    expect(file).toContain('approved_by: compliance-board');
    const search = await harness.call('POST', '/v1/admin/search', alice, {
      query: 'lost stolen card replacement',
    });
    expect(search.body.hits.some((hit: { documentId: string }) => hit.documentId === 'card-lost')).toBe(
      false,
    );
    expect((await harness.call('POST', `${base}/card-lost/retire`, alice, { reason: 'again' })).status).toBe(
      409,
    );
    expect((await harness.call('POST', `${base}/no-such-doc/retire`, alice, { reason: 'gone' })).status).toBe(
      404,
    );
    expect((await harness.call('POST', `${base}/card-lost/retire`, alice, {})).status).toBe(400);
    const history = await harness.call('GET', `${base}/card-lost/history`, alice);
    expect(history.body.versions).toEqual([
      expect.objectContaining({
        action: 'retired',
        reason: 'replaced by the card hub page',
        actor: 'bob',
        draftedBy: 'alice',
        approvedBy: 'bob',
      }),
    ]);
  });

  it('when a draft is discarded then it is gone and the discard is audited', async () => {
    await saveDraft(alice, cardLostDraft(), 0);
    const response = await harness.app.request(`${base}/card-lost/draft`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${bob}` },
    });
    expect(response.status).toBe(204);
    expect((await harness.call('GET', `${base}/card-lost`, alice)).body.draft).toBeNull();
    expect(harness.audit.list({ actionPrefix: 'document.draft_discarded' })[0]).toMatchObject({
      actor: 'bob',
    });
    expect((await harness.call('GET', `${base}/card-lost/diff`, alice)).status).toBe(404);
  });

  it('when bodies carry unknown fields or wrong types then they are refused', async () => {
    expect(
      (await harness.call('PUT', `${base}/card-lost/draft`, alice, { markdown: cardLostDraft() })).status,
    ).toBe(400);
    expect(
      (
        await harness.call('PUT', `${base}/card-lost/draft`, alice, {
          markdown: cardLostDraft(),
          expectedRevision: 0,
          author: 'bob',
        })
      ).status,
    ).toBe(400);
    expect(
      (await harness.call('POST', `${base}/card-lost/approve`, bob, { approvedBy: 'someone' })).status,
    ).toBe(400);
    expect((await harness.call('PUT', `${base}/card-lost/draft`, alice, '{not json')).status).toBe(400);
  });
});
