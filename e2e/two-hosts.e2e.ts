import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_JWT_SECRET } from '../src/config/config.js';
import { signDevelopmentToken } from '../src/server/auth/token-verifier.js';
import {
  createScratchDatabase,
  postgresUnavailableReason,
  type ScratchDatabase,
} from '../src/testing/postgres-test-database.js';
import { createTempTellerHome, type TempTellerHome } from '../src/testing/temp-teller.js';
import { startInstance, type TellerInstance } from './support/teller-instance.js';

/**
 * Two Teller instances as on two hosts: separate processes and data directories, one PostgreSQL
 * (DATABASE_URL). The knowledge folder is shared, as a deployment mounts one published-knowledge
 * volume; state and change notifications go through PostgreSQL only.
 */
const unavailable = await postgresUnavailableReason();
const RATE_LIMIT = 12;

let home: TempTellerHome;
let scratch: ScratchDatabase;
let first: TellerInstance;
let second: TellerInstance;

const customer = (subject: string) => signDevelopmentToken(DEVELOPMENT_JWT_SECRET, { subject });
const staff = (subject: string, role: 'agent' | 'compliance') =>
  signDevelopmentToken(DEVELOPMENT_JWT_SECRET, { subject, roles: [role] });

describe.skipIf(unavailable)(
  `two instances sharing PostgreSQL${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    beforeAll(async () => {
      home = createTempTellerHome('teller-two-hosts-');
      scratch = await createScratchDatabase();
      const shared = {
        DATABASE_URL: scratch.url,
        // Every instance sharing the database signs the audit head with one key; another key stops a host at start.
        AUDIT_KEY: randomBytes(32).toString('hex'),
        // And the redaction vault, now shared in PostgreSQL, with one VAULT_KEY.
        VAULT_KEY: randomBytes(32).toString('hex'),
        KNOWLEDGE_DIR: home.knowledgeDir,
        RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
      };
      // One after the other: the first applies the migrations, the second finds them applied.
      first = await startInstance('first', { ...shared, DATA_DIR: join(home.directory, 'host-a') });
      second = await startInstance('second', { ...shared, DATA_DIR: join(home.directory, 'host-b') });
    }, 180_000);

    afterAll(async () => {
      await Promise.all([first?.stop(), second?.stop()]);
      await scratch?.drop();
      home?.remove();
    });

    it('carries one conversation on across both instances', async () => {
      const token = await customer('c_123');
      const created = await first.send('POST', '/v1/conversations', token, {});
      expect(created.status).toBe(201);
      const id = created.json.id as string;
      const questions = [
        'What is the fee for an international wire transfer?',
        'How long does a CHAPS payment take to arrive?',
      ];
      const one = await first.send('POST', `/v1/conversations/${id}/messages`, token, { text: questions[0] });
      expect(one.status, JSON.stringify(one.json)).toBe(200);
      const two = await second.send('POST', `/v1/conversations/${id}/messages`, token, {
        text: questions[1],
      });
      expect(two.status, JSON.stringify(two.json)).toBe(200);
      const transcript = await second.send('GET', `/v1/conversations/${id}`, token);
      const messages = transcript.json.messages as Array<{ author: string }>;
      expect(messages.map((message) => message.author)).toEqual([
        'customer',
        'assistant',
        'customer',
        'assistant',
      ]);
      expect((await first.send('GET', `/v1/conversations/${id}`, await customer('c_456'))).status).toBe(404);
    });

    it('reveals on one instance the placeholders made on the other', async () => {
      const token = await customer('c_123');
      const id = (await first.send('POST', '/v1/conversations', token, {})).json.id as string;
      const onFirst = 'My email address is jane.doe@example.com';
      const onSecond = 'And my other one is j.doe@example.org, and jane.doe@example.com again';
      expect(
        (await first.send('POST', `/v1/conversations/${id}/messages`, token, { text: onFirst })).status,
      ).toBe(200);
      expect(
        (await second.send('POST', `/v1/conversations/${id}/messages`, token, { text: onSecond })).status,
      ).toBe(200);
      // Stored redacted: one token per value across both hosts (a vault per host would have
      // numbered the second host's first new address <EMAIL_ADDRESS_1> as well).
      const agent = await staff('agent_vault', 'agent');
      const transcriptFor = async (instance: TellerInstance) =>
        (
          (await instance.send('GET', `/v1/conversations/${id}`, token)).json.messages as Array<{
            author: string;
            text: string;
          }>
        )
          .filter((message) => message.author === 'customer')
          .map((message) => message.text);
      // Shown to their owner restored, by either host, whichever host minted the token.
      expect(await transcriptFor(first)).toEqual([onFirst, onSecond]);
      expect(await transcriptFor(second)).toEqual([onFirst, onSecond]);
      const handoff = await second.send('POST', `/v1/conversations/${id}/messages`, token, {
        text: 'I want to speak to a human agent',
      });
      const handoffId = (handoff.json.handoff as { handoffId: string }).handoffId;
      const redacted = (
        (await first.send('GET', `/v1/agent/handoffs/${handoffId}`, agent)).json.transcript as Array<{
          author: string;
          text: string;
        }>
      )
        .filter((message) => message.author === 'customer')
        .map((message) => message.text);
      expect(redacted.slice(0, 2)).toEqual([
        'My email address is <EMAIL_ADDRESS_1>',
        'And my other one is <EMAIL_ADDRESS_2>, and <EMAIL_ADDRESS_1> again',
      ]);
    });

    it('puts a handoff raised on one instance in the queue every agent sees', async () => {
      const token = await customer('c_handoff');
      const created = await first.send('POST', '/v1/conversations', token, {});
      const id = created.json.id as string;
      const turn = await first.send('POST', `/v1/conversations/${id}/messages`, token, {
        text: 'I want to speak to a human agent',
      });
      expect(turn.status).toBe(200);
      const handoffId = (turn.json.handoff as { handoffId: string }).handoffId;
      const agent = await staff('agent_1', 'agent');
      const queue = await second.send('GET', '/v1/agent/handoffs?status=open', agent);
      expect((queue.json.handoffs as Array<{ id: string }>).map((handoff) => handoff.id)).toContain(
        handoffId,
      );
      // Claimed on the second, it is no longer open on the first.
      expect((await second.send('POST', `/v1/agent/handoffs/${handoffId}/claim`, agent)).status).toBe(200);
      expect(
        (await first.send('POST', `/v1/agent/handoffs/${handoffId}/claim`, await staff('agent_2', 'agent')))
          .status,
      ).toBe(409);
    });

    it('spends one rate-limit budget per customer across both instances', async () => {
      const token = await customer('c_spender');
      // All at once, half on each: with a budget per instance every one of them would pass.
      const replies = await Promise.all(
        Array.from({ length: 2 * RATE_LIMIT }, (_, index) =>
          (index % 2 ? second : first).send('GET', '/v1/conversations/conv_missing', token),
        ),
      );
      const passed = replies.filter((reply) => reply.status !== 429).length;
      // The burst, plus at most one token refilled while the requests were in flight.
      expect(passed).toBeGreaterThanOrEqual(RATE_LIMIT);
      expect(passed).toBeLessThanOrEqual(RATE_LIMIT + 1);
    });

    it('answers from a document published through one instance on the other within a second', async () => {
      const author = await staff('officer_author', 'compliance');
      const reviewer = await staff('officer_reviewer', 'compliance');
      const id = 'fees-international-payments';
      const current = await first.send('GET', `/v1/admin/documents/${id}`, author);
      expect(current.status).toBe(200);
      const text = (current.json.published as { text: string }).text
        .replace(/^version: .*$/m, 'version: "3.1"')
        .replaceAll('£15', '£17')
        .replace(/^status: .*$/m, 'status: draft')
        .replace(/^approved_by: .*\n/m, '');
      const draft = await first.send('PUT', `/v1/admin/documents/${id}/draft`, author, {
        markdown: text,
        expectedRevision: 0,
      });
      expect(draft.status, JSON.stringify(draft.json)).toBe(200);
      const approved = await first.send('POST', `/v1/admin/documents/${id}/approve`, reviewer, {
        expectedRevision: draft.json.revision,
      });
      expect(approved.status, JSON.stringify(approved.json)).toBe(200);
      const published = await first.send('POST', `/v1/admin/documents/${id}/publish`, reviewer);
      expect(published.status, JSON.stringify(published.json)).toBe(200);
      const publishedAt = Date.now();

      const token = await customer('c_reader');
      let answer = '';
      while (Date.now() - publishedAt < 1000 && !answer.includes('£17')) {
        const created = await second.send('POST', '/v1/conversations', token, {});
        const turn = await second.send('POST', `/v1/conversations/${created.json.id}/messages`, token, {
          text: 'What is the fee for an international wire transfer?',
        });
        answer = String(turn.json.text);
      }
      expect(answer).toContain('£17');
      expect(answer).not.toContain('£15');
    });

    it('loses no acknowledged turn when an instance is killed mid-load', async () => {
      const conversations = await Promise.all(
        Array.from({ length: 6 }, async (_, index) => {
          const token = await customer(`c_load_${index}`);
          const created = await first.send('POST', '/v1/conversations', token, {});
          return { token, id: created.json.id as string };
        }),
      );
      const acknowledged: Array<{ conversationId: string; messageId: string }> = [];
      let stop = false;
      const load = conversations.map(async ({ token, id }, index) => {
        for (let turn = 0; turn < 6 && !stop; turn += 1) {
          const target = (index + turn) % 2 ? second : first;
          try {
            const reply = await target.send('POST', `/v1/conversations/${id}/messages`, token, {
              text: 'How long does a CHAPS payment take to arrive?',
            });
            if (reply.status === 200)
              acknowledged.push({ conversationId: id, messageId: String(reply.json.messageId) });
          } catch {
            // The killed instance drops its connections: those turns were never acknowledged.
          }
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 700));
      second.process.kill('SIGKILL');
      await Promise.all(load);
      stop = true;
      expect(acknowledged.length).toBeGreaterThan(0);
      for (const { token, id } of conversations) {
        const transcript = await first.send('GET', `/v1/conversations/${id}`, token);
        expect(transcript.status).toBe(200);
        const stored = new Set(
          (transcript.json.messages as Array<{ id: string }>).map((message) => message.id),
        );
        for (const turn of acknowledged.filter((entry) => entry.conversationId === id))
          expect(stored.has(turn.messageId), `acknowledged ${turn.messageId} is stored`).toBe(true);
      }
      // The survivor still serves.
      expect((await first.send('GET', '/readyz')).status).toBe(200);
    });
  },
);
