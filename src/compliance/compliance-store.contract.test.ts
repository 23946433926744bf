import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../store/database.js';
import { connectPostgres } from '../store/postgres/connection.js';
import { migratePostgres } from '../store/postgres/migrate.js';
import { createScratchDatabase, postgresUnavailableReason } from '../testing/postgres-test-database.js';
import { type ComplianceStore, type DraftInput, SqliteComplianceStore } from './compliance-store.js';
import { migrateCompliance } from './migrate-compliance.js';
import { PostgresComplianceStore } from './postgres-compliance-store.js';

/** Two handles on one compliance store, as two processes or hosts would hold, and the cleanup. */
interface OpenedStores {
  readonly first: ComplianceStore;
  readonly second: ComplianceStore;
  /** Tries to rewrite history behind the store's back; resolves to the database's answer. */
  readonly rewriteHistory: () => Promise<unknown>;
  close(): Promise<void>;
}

const postgresReason = await postgresUnavailableReason();
const backends: ReadonlyArray<{ name: string; skipReason?: string; open(): Promise<OpenedStores> }> = [
  {
    name: 'sqlite',
    async open() {
      const database = openDatabase(':memory:');
      migrateCompliance(database);
      const store = new SqliteComplianceStore(database);
      return {
        first: store,
        second: store,
        rewriteHistory: async () =>
          database.prepare("UPDATE compliance_versions SET actor = 'mallory'").run(),
        close: async () => void database.close(),
      };
    },
  },
  {
    name: 'postgres',
    ...(postgresReason && { skipReason: postgresReason }),
    async open() {
      const scratch = await createScratchDatabase();
      const hosts = [0, 1].map(() => connectPostgres({ url: scratch.url, maxConnections: 4 }));
      await migratePostgres(hosts[0]!);
      return {
        first: new PostgresComplianceStore(hosts[0]!),
        second: new PostgresComplianceStore(hosts[1]!),
        rewriteHistory: () => hosts[0]!.execute("UPDATE compliance_versions SET actor = 'mallory'"),
        async close() {
          await Promise.all(hosts.map((host) => host.close()));
          await scratch.drop();
        },
      };
    },
  },
];

const draftOf = (id: string, editor: string, content: string): DraftInput => ({
  kind: 'document',
  id,
  content,
  contentHash: `hash-of-${content}`,
  baseContentHash: null,
  editor,
  at: '2026-11-25T10:00:00.000Z',
});

for (const backend of backends) {
  describe.skipIf(backend.skipReason)(
    `${backend.name} compliance store${backend.skipReason ? ` (skipped: ${backend.skipReason})` : ''}`,
    () => {
      let stores: OpenedStores;
      beforeAll(async () => {
        stores = await backend.open();
      });
      afterAll(async () => stores?.close());

      it('when a draft is saved again by another editor then the revision grows, editors are kept once and approval resets', async () => {
        const { first, second } = stores;
        const created = await first.writeDraft(draftOf('fees', 'alice', 'one'));
        expect(created).toMatchObject({
          revision: 1,
          author: 'alice',
          editors: ['alice'],
          change: 'publish',
        });
        await first.markApproved('document', 'fees', 'carol', '2026-11-25T11:00:00.000Z', 1);
        // Saved through the other handle: on PostgreSQL another host sees and continues the same draft.
        const edited = await second.writeDraft(draftOf('fees', 'bob', 'two'));
        expect(edited).toMatchObject({
          revision: 2,
          editors: ['alice', 'bob'],
          approvedBy: null,
          content: 'two',
        });
        const again = await first.writeDraft(draftOf('fees', 'Alice', 'three'));
        expect(again.editors).toEqual(['alice', 'bob']);
      });

      it('when an approval names a revision the draft has moved past then nothing is approved', async () => {
        const { first } = stores;
        await first.writeDraft(draftOf('limits', 'alice', 'one'));
        await first.writeDraft(draftOf('limits', 'alice', 'two'));
        expect(
          await first.markApproved('document', 'limits', 'bob', '2026-11-25T11:00:00.000Z', 1),
        ).toMatchObject({
          approvedBy: null,
        });
        expect(
          await first.markApproved('document', 'limits', 'bob', '2026-11-25T11:00:00.000Z', 2),
        ).toMatchObject({
          approvedBy: 'bob',
          approvedRevision: 2,
        });
      });

      it('when a retirement is requested then the draft says so and why, and drafts list in id order', async () => {
        const { first } = stores;
        await first.writeDraft({
          ...draftOf('zeta', 'alice', 'text'),
          change: 'retire',
          reason: 'withdrawn',
        });
        await first.writeDraft(draftOf('Alpha', 'alice', 'text'));
        expect(await first.draft('document', 'zeta')).toMatchObject({
          change: 'retire',
          reason: 'withdrawn',
        });
        const ids = (await first.drafts('document')).map((draft) => draft.id);
        expect(ids).toEqual([...ids].sort((left, right) => (left < right ? -1 : left > right ? 1 : 0)));
        expect(await first.drafts('policy')).toEqual([]);
      });

      it('when versions are appended then they come back oldest first, and history cannot be rewritten', async () => {
        const { first, second, rewriteHistory } = stores;
        const entry = {
          kind: 'policy' as const,
          id: 'output-rules',
          version: '1.0',
          contentHash: 'a'.repeat(64),
          previousContentHash: null,
          draftedBy: 'alice',
          draftedAt: null,
          approvedBy: 'bob',
          approvedAt: null,
          actor: 'bob',
          at: '2026-11-25T10:00:00.000Z',
          reason: null,
        };
        const published = await first.appendVersion({ ...entry, action: 'published' });
        const retired = await second.appendVersion({ ...entry, action: 'retired', reason: 'replaced' });
        expect(retired.sequence).toBeGreaterThan(published.sequence);
        const versions = await first.versions('policy', 'output-rules');
        expect(versions.map((version) => [version.action, version.reason])).toEqual([
          ['published', null],
          ['retired', 'replaced'],
        ]);
        expect(typeof versions[0]!.sequence).toBe('number');
        await expect(rewriteHistory()).rejects.toThrow(/append-only/);
      });

      it('when work in a transaction fails then none of its writes remain', async () => {
        const { first } = stores;
        await expect(
          first.transaction(async () => {
            await first.writeDraft(draftOf('rolled-back', 'alice', 'text'));
            throw new Error('fails after the write');
          }),
        ).rejects.toThrow('fails after the write');
        expect(await first.draft('document', 'rolled-back')).toBeUndefined();
      });

      it('when two saves read the same revision at once then they run one after the other, so the second sees the first', async () => {
        const { first, second } = stores;
        await first.writeDraft(draftOf('race', 'alice', 'one'));
        // Each save checks the revision it started from, as ComplianceService.saveDraft does.
        const save = (store: ComplianceStore, editor: string) =>
          store.transaction(async () => {
            const current = await store.draft('document', 'race');
            await new Promise((resolve) => setTimeout(resolve, 50));
            if (current?.revision !== 1) return 'conflict';
            await store.writeDraft(draftOf('race', editor, `by ${editor}`));
            return 'saved';
          });
        const outcomes = await Promise.all([save(first, 'bob'), save(second, 'carol')]);
        expect(outcomes.sort()).toEqual(['conflict', 'saved']);
        expect((await first.draft('document', 'race'))?.revision).toBe(2);
      });
    },
  );
}
