import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../store/database.js';
import { openPostgresBackend, type PostgresBackend } from '../store/postgres/postgres-backend.js';
import {
  createScratchDatabase,
  postgresUnavailableReason,
  type ScratchDatabase,
} from '../testing/postgres-test-database.js';
import type { HandoffDecision } from '../turn/types.js';
import { admitHandoff } from './handoff-limit.js';

const unavailable = await postgresUnavailableReason();
const LIMIT = { count: 3, windowSeconds: 600 };
const DECISION: HandoffDecision = {
  reason: 'explicit_request',
  priority: 'normal',
  explanation: 'asked for a person',
};

describe.skipIf(unavailable)(
  `handoff limit across hosts on PostgreSQL${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let scratch: ScratchDatabase;
    // Two instances, each with its own pool, as on two hosts.
    let hosts: PostgresBackend[];
    beforeAll(async () => {
      scratch = await createScratchDatabase();
      hosts = [];
      for (let host = 0; host < 2; host += 1) {
        hosts.push(await openPostgresBackend({ url: scratch.url, maxConnections: 6 }));
      }
    });
    afterAll(async () => {
      await Promise.all((hosts ?? []).map((host) => host.close()));
      await scratch?.drop();
    });

    it('when many turns of one customer decide on a handoff at once on two hosts then no more than the limit open', async () => {
      const customer = 'c_racer';
      const principal = { subject: customer, roles: ['customer' as const], stepUp: false };
      const turns = 10;
      const conversations = await Promise.all(
        Array.from({ length: turns }, (_, turn) => hosts[turn % 2]!.conversations.create(customer)),
      );

      const admissions = await Promise.all(
        conversations.map((conversation, turn) => {
          const host = hosts[turn % 2]!;
          return host.atomically(async () => {
            const admission = await admitHandoff(
              { handoffQueue: host.handoffs, now: () => new Date(), handoffLimit: LIMIT },
              { principal, conversation },
              DECISION,
            );
            // A real turn writes its answer and status between the decision and the handoff row;
            // this pause stands for those writes and keeps every turn's transaction open as long.
            await sleep(30);
            if (admission.kind === 'open') {
              await host.handoffs.open({
                conversationId: conversation.id,
                customerId: customer,
                reason: DECISION.reason,
                priority: DECISION.priority,
                explanation: DECISION.explanation,
                summary: 'wants a person',
                intent: null,
                emotions: [],
              });
            }
            return admission.kind;
          });
        }),
      );

      const since = new Date(Date.now() - LIMIT.windowSeconds * 1000);
      expect(await hosts[0]!.handoffs.countOpenedSince(customer, since)).toBe(LIMIT.count);
      expect(admissions.filter((kind) => kind === 'open')).toHaveLength(LIMIT.count);
      expect(admissions.filter((kind) => kind === 'rate_limited')).toHaveLength(turns - LIMIT.count);
    });

    it('when another customer is admitted meanwhile then it does not wait for the first customer', async () => {
      const held = hosts[0]!.atomically(async () => {
        await hosts[0]!.handoffs.lockCustomerAdmissions('c_slow');
        await sleep(1500);
      });
      await sleep(100);
      const started = performance.now();
      await hosts[1]!.atomically(() => hosts[1]!.handoffs.lockCustomerAdmissions('c_quick'));
      expect(performance.now() - started).toBeLessThan(1000);
      await held;
    });

    it('when the window is counted then an index on (customer_id, created_at) serves it', async () => {
      const indexes = await hosts[0]!.database.query<{ indexname: string }>(
        "SELECT indexname FROM pg_indexes WHERE tablename = 'handoffs' AND indexdef LIKE '%(customer_id, created_at)'",
      );
      expect(indexes.map((row) => row.indexname)).toEqual(['handoffs_by_customer']);
    });
  },
);

describe('handoff limit on SQLite', () => {
  it('when the window is counted then an index on (customer_id, created_at) serves it', () => {
    const database = openDatabase(':memory:');
    const plan = database
      .prepare(
        "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM handoffs WHERE customer_id = 'c' AND created_at >= '2026'",
      )
      .all() as Array<{ detail: string }>;
    expect(plan.map((step) => step.detail).join(' ')).toContain('handoffs_by_customer');
    database.close();
  });
});
