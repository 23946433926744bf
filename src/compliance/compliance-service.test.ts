import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../store/database.js';
import { FailingKnowledgeIndexer } from '../testing/compliance-doubles.js';
import { createComplianceHarness } from '../testing/compliance-harness.js';
import { SqliteComplianceStore } from './compliance-store.js';
import { documentFormat } from './document-format.js';
import { migrateCompliance } from './migrate-compliance.js';
import { policyFormat } from './policy-format.js';

type Harness = Awaited<ReturnType<typeof createComplianceHarness>>;

/** Requests a retirement as `alice`, has `bob` approve it and applies it. */
async function retireApproved(harness: Harness, kind: 'document' | 'policy', id: string, reason: string) {
  const requested = await harness.compliance.requestRetirement(kind, id, reason, { actor: 'alice' });
  await harness.compliance.approve(kind, id, { actor: 'bob' }, requested.revision, {
    acknowledgeGuardrailsOff: true,
  });
  return harness.compliance.publish(kind, id, { actor: 'bob' });
}

describe('ComplianceService', () => {
  let harness: Harness | undefined;
  afterEach(() => harness?.cleanup());

  it('when re-indexing fails after a retirement then the file change stands, is reported as not applied and is audited', async () => {
    harness = await createComplianceHarness({ indexer: new FailingKnowledgeIndexer() });
    const result = await retireApproved(harness, 'document', 'overdraft-basics', 'withdrawn product');
    expect(result).toMatchObject({ status: 'retired', applied: false });
    expect(readFileSync(join(harness.documentsDir, 'overdraft-basics.md'), 'utf8')).toContain(
      'status: retired',
    );
    expect(harness.audit.list({ actionPrefix: 'document.apply_failed' })[0]?.details).toMatchObject({
      message: 'index unavailable',
    });
  });

  it('when a not-yet-effective document is retired then it ends on the day it would have started', async () => {
    harness = await createComplianceHarness({ today: '2024-01-15' });
    await retireApproved(harness, 'document', 'card-lost', 'never launched');
    const file = readFileSync(join(harness.documentsDir, 'card-lost.md'), 'utf8');
    expect(file).toContain('effective_until: "2024-06-01"');
    expect(documentFormat.validate(file, { mode: 'published' }).ok).toBe(true);
  });

  it('when a published file in the folder is broken then it is listed as invalid and cannot be retired', async () => {
    harness = await createComplianceHarness();
    writeFileSync(join(harness.documentsDir, 'card-lost.md'), '---\nid: card-lost\n---\n# Broken\n');
    const listed = (await harness.compliance.list('document')).find((item) => item.id === 'card-lost');
    expect(listed).toMatchObject({ valid: false, status: null, title: 'card-lost' });
    const read = await harness.compliance.get('document', 'card-lost');
    expect(read.published?.errors.length).toBeGreaterThan(0);
    await expect(
      harness.compliance.requestRetirement('document', 'card-lost', 'broken', { actor: 'alice' }),
    ).rejects.toThrow(/invalid; fix it in git/);
  });
});

describe('migrateCompliance and the store', () => {
  it('when run twice then the tables exist once and the history refuses updates and deletes', async () => {
    const database = openDatabase(':memory:');
    migrateCompliance(database);
    migrateCompliance(database);
    const store = new SqliteComplianceStore(database);
    await store.appendVersion({
      kind: 'document',
      id: 'card-lost',
      action: 'published',
      version: '2.2',
      contentHash: 'a'.repeat(64),
      previousContentHash: null,
      draftedBy: 'alice',
      draftedAt: null,
      approvedBy: 'bob',
      approvedAt: null,
      actor: 'bob',
      at: '2026-11-25T10:00:00.000Z',
      reason: null,
    });
    expect(() => database.prepare("UPDATE compliance_versions SET approved_by = 'mallory'").run()).toThrow(
      /append-only/,
    );
    expect(() => database.prepare('DELETE FROM compliance_versions').run()).toThrow(/append-only/);
    expect(await store.versions('document', 'card-lost')).toHaveLength(1);
    database.close();
  });
});

describe('stamping published fields', () => {
  it('when a document is stamped then only the workflow fields change', () => {
    const text = readFileSync(
      join(import.meta.dirname, 'fixtures/documents/overdraft-basics.md'),
      'utf8',
    ).replace('approved_by: compliance-board\n', '');
    const stamped = documentFormat.stamp(text, { status: 'approved', version: '1.1', approvedBy: 'bob' });
    const [header, body] = [stamped.split('\n').slice(0, 13), stamped.split('\n').slice(13)];
    // The header gains approved_by at its end; every other line is kept in place.
    expect(body).toEqual(text.split('\n').slice(12));
    expect(header.filter((line) => !text.includes(line))).toEqual(['version: "1.1"', 'approved_by: bob']);
    expect(documentFormat.validate(stamped, { mode: 'published', expectedId: 'overdraft-basics' }).ok).toBe(
      true,
    );
  });

  it('when a policy is stamped then its rules are kept byte for byte', () => {
    const text = readFileSync(join(import.meta.dirname, 'fixtures/policies/output-rules.yaml'), 'utf8');
    const stamped = policyFormat.stamp(text, {
      status: 'retired',
      version: '1.2',
      effectiveUntil: '2026-12-01',
    });
    const rules = text.slice(text.indexOf('\nbanned_phrases:'));
    expect(stamped.endsWith(rules)).toBe(true);
    expect(stamped).toContain('effective_until: "2026-12-01"');
    expect(stamped.startsWith('# Phrases an answer must never contain.\n')).toBe(true);
  });
});
