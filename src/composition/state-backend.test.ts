import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresComplianceStore } from '../compliance/postgres-compliance-store.js';
import { loadConfig } from '../config/config.js';
import { openDatabase } from '../store/database.js';
import { connectPostgres, type PostgresDatabase } from '../store/postgres/connection.js';
import {
  createScratchDatabase,
  postgresUnavailableReason,
  type ScratchDatabase,
} from '../testing/postgres-test-database.js';
import { RecordingLogger } from '../testing/recording-logger.js';
import { openState, type WiredState } from './state-backend.js';

const unavailable = await postgresUnavailableReason();
const AUDIT_KEY = 'ab'.repeat(32);

describe.skipIf(unavailable)(
  `state with DATABASE_URL${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let scratch: ScratchDatabase;
    let root: string;
    // Two instances with their own data directories, as on two hosts, and a direct look at the database.
    let instances: WiredState[];
    let direct: PostgresDatabase;
    beforeAll(async () => {
      scratch = await createScratchDatabase();
      root = mkdtempSync(join(tmpdir(), 'teller-state-'));
      instances = [];
      for (const host of ['a', 'b']) {
        const config = loadConfig({
          DATA_DIR: join(root, host),
          DATABASE_URL: scratch.url,
          LOG_LEVEL: 'silent',
        });
        const database = openDatabase(config.paths.databasePath);
        instances.push(
          await openState(config, database, () => new Date(), new RecordingLogger(), {
            auditHeadKey: AUDIT_KEY,
          }),
        );
      }
      direct = connectPostgres({ url: scratch.url, maxConnections: 1 });
    });
    afterAll(async () => {
      await direct?.close();
      await Promise.all((instances ?? []).map((instance) => instance.close()));
      await scratch?.drop();
      rmSync(root, { recursive: true, force: true });
    });

    const count = async (table: string) =>
      Number((await direct.query<{ rows: string }>(`SELECT COUNT(*) AS rows FROM ${table}`))[0]!.rows);

    it('when turns, handoffs and audit records are written through one instance then they are rows in PostgreSQL the other reads', async () => {
      const [a, b] = instances;
      expect(a!.stores.kind).toBe('postgres');
      const conversation = await a!.stores.conversations.create('c_123');
      await a!.stores.conversations.appendMessage(conversation.id, 'customer', 'hello');
      await a!.stores.handoffs.open({
        conversationId: conversation.id,
        customerId: 'c_123',
        reason: 'explicit_request',
        priority: 'normal',
        explanation: 'asked for a person',
        summary: 'wants a person',
        intent: null,
        emotions: [],
      });
      await a!.stores.audit.record({ actor: 'c_123', action: 'turn.completed', subject: conversation.id });
      expect(await b!.stores.conversations.messages(conversation.id)).toHaveLength(1);
      expect(await b!.stores.handoffs.activeForConversation(conversation.id)).toBeDefined();
      expect(await count('messages')).toBe(1);
      // The head is signed with the shared AUDIT_KEY, so either instance's records verify.
      expect((await direct.query<{ sequence: string }>('SELECT sequence FROM audit_head'))[0]?.sequence).toBe(
        '1',
      );
    });

    it('when a compliance draft is saved through one instance then it is in PostgreSQL and the other instance continues it', async () => {
      const [a, b] = instances;
      expect(a!.complianceStore).toBeInstanceOf(PostgresComplianceStore);
      await a!.complianceStore.writeDraft({
        kind: 'document',
        id: 'fees',
        content: 'first',
        contentHash: 'h1',
        baseContentHash: null,
        editor: 'alice',
        at: '2026-11-25T10:00:00.000Z',
      });
      expect(await count('compliance_drafts')).toBe(1);
      expect((await b!.complianceStore.draft('document', 'fees'))?.revision).toBe(1);
    });

    it('when published knowledge changes through one instance then the other hears of it', async () => {
      const [a, b] = instances;
      const before = b!.generations!.read('knowledge');
      a!.generations!.bump('knowledge');
      for (let attempt = 0; attempt < 50 && b!.generations!.read('knowledge') === before; attempt += 1) {
        await sleep(100);
      }
      expect(b!.generations!.read('knowledge')).toBe(before + 1);
    });

    it('when pending actions, leases and rate limits are used then they are shared rows too', async () => {
      const [a, b] = instances;
      expect(await a!.stores.leases.tryAcquire('conv_shared', 'host-a', Date.now() + 10_000)).toBe(true);
      expect(await b!.stores.leases.tryAcquire('conv_shared', 'host-b', Date.now() + 10_000)).toBe(false);
      const bucket = { capacity: 1, refillPerMillisecond: 1 / 60_000 };
      expect((await a!.stores.rateLimits('api').take('c_123', bucket, Date.now())).allowed).toBe(true);
      expect((await b!.stores.rateLimits('api').take('c_123', bucket, Date.now())).allowed).toBe(false);
      expect(await count('rate_limit_buckets')).toBe(1);
    });
  },
);
