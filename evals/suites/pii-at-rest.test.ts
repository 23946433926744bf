/**
 * No raw PII at rest: messages of the variant corpus go through the real service (routes, auth,
 * pipeline, handoff with a webhook) on a temporary data directory, then every place a value
 * could land is searched for it: every file under DATA_DIR (the SQLite database with its WAL,
 * the vault key, the index), the captured log lines, the agents' view of each handoff (summary and
 * transcript) and the webhook payloads. Nothing may be found.
 *
 * A hit counts only where the value stands as its own token (no letter, digit or base64/hex
 * character touching it on either side): sealed vault entries, hashes and ids are long runs of
 * such characters and would otherwise hold short digit strings by chance. Files unchanged since
 * before the first turn (the cached word vectors, the index) are skipped, as nothing from a turn
 * can be in them; values a changed file already held before any turn (seeded demo data) cannot be
 * told apart and are left out, and the test checks that nearly all values remain.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Teller } from '../../src/composition/build-teller.js';
import { DEVELOPMENT_JWT_SECRET } from '../../src/config/config.js';
import { createJsonLogger } from '../../src/observability/logger.js';
import { signDevelopmentToken } from '../../src/server/auth/token-verifier.js';
import { createTempTellerHome, TEST_NOW, type TempTellerHome } from '../../src/testing/temp-teller.js';
import { loadPiiVariants, type PiiVariant } from '../privacy/pii-variants.js';

/** Characters that, next to a hit, show it is part of a longer token (base64, hex, ids, decimals). */
const TOKEN_CHARACTER = /[A-Za-z0-9+/=_.-]/;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether `value` stands alone somewhere in `lower` (already lower-cased), ignoring case. */
function standsIn(lower: string, value: string): boolean {
  const pattern = new RegExp(escapeRegex(value.toLowerCase()), 'g');
  for (let match = pattern.exec(lower); match !== null; match = pattern.exec(lower)) {
    const before = lower[match.index - 1] ?? ' ';
    const after = lower[match.index + match[0].length] ?? ' ';
    if (!TOKEN_CHARACTER.test(before) && !TOKEN_CHARACTER.test(after)) return true;
  }
  return false;
}

interface FileSnapshot {
  readonly path: string;
  readonly hash: string;
  /** The bytes as latin1 text (one character per byte), lower-cased. */
  readonly text: string;
}

/** Every file under a directory, with its content hash and lower-cased latin1 text. */
function readTree(directory: string): FileSnapshot[] {
  const files: FileSnapshot[] = [];
  for (const name of readdirSync(directory)) {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) files.push(...readTree(path));
    else {
      const bytes = readFileSync(path);
      files.push({
        path,
        hash: createHash('sha256').update(bytes).digest('hex'),
        text: bytes.toString('latin1').toLowerCase(),
      });
    }
  }
  return files;
}

/**
 * Files written or changed since `baseline`: only these can hold anything from the turns (the
 * cached word vectors, hundreds of megabytes, are written at start-up and never again).
 */
function changedSince(baseline: readonly FileSnapshot[], files: readonly FileSnapshot[]): FileSnapshot[] {
  const before = new Map(baseline.map((file) => [file.path, file.hash]));
  return files.filter((file) => before.get(file.path) !== file.hash);
}

/** A fast subset: every message with several values, and every fourth of the rest. */
function fastSubset(variants: readonly PiiVariant[]): PiiVariant[] {
  return variants.filter((variant, index) => variant.values.length > 1 || index % 4 === 0);
}

describe('raw PII at rest after real turns', () => {
  let home: TempTellerHome;
  let teller: Teller;
  let webhook: Server;
  const webhookBodies: string[] = [];
  const logLines: string[] = [];

  beforeAll(async () => {
    webhook = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        webhookBodies.push(body);
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((done) => webhook.listen(0, '127.0.0.1', done));
    const { port } = webhook.address() as AddressInfo;
    home = createTempTellerHome('teller-pii-at-rest-', {
      RATE_LIMIT_PER_MINUTE: '1000000',
      HANDOFF_WEBHOOK_URL: `http://127.0.0.1:${port}/handoffs`,
      HANDOFF_WEBHOOK_SECRET: 'webhook-secret-for-the-at-rest-test-0123456789',
    });
    const { buildTeller } = await import('../../src/composition/build-teller.js');
    teller = await buildTeller(home.config, {
      now: TEST_NOW,
      logger: createJsonLogger('debug', (line) => logLines.push(line)),
    });
  }, 120_000);

  afterAll(async () => {
    await new Promise((done) => webhook?.close(done));
    home?.remove();
  });

  it('when corpus messages and handoffs have gone through the service then no raw value is anywhere at rest', async () => {
    const baseline = readTree(home.dataDir);
    const subset = fastSubset(loadPiiVariants());
    const values = subset.flatMap((variant) => variant.values.map((entry) => entry.value));

    const customers = ['c_123', 'c_456', 'c_789', 'c_999'];
    const request = async (token: string, method: string, path: string, body?: unknown) => {
      const response = await teller.app.request(path, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      expect(response.status, `${method} ${path}`).toBeLessThan(300);
      return response.json() as Promise<Record<string, unknown>>;
    };
    // Five corpus messages per conversation, then a request for a person, so each conversation's
    // handoff summary and transcript (and the webhook) see its values.
    for (let first = 0, index = 0; first < subset.length; first += 5, index++) {
      const customer = customers[index % customers.length]!;
      const token = await signDevelopmentToken(DEVELOPMENT_JWT_SECRET, {
        subject: customer,
        roles: ['customer'],
      });
      const conversation = await request(token, 'POST', '/v1/conversations');
      for (const variant of subset.slice(first, first + 5)) {
        await request(token, 'POST', `/v1/conversations/${conversation.id}/messages`, { text: variant.text });
      }
      await request(token, 'POST', `/v1/conversations/${conversation.id}/messages`, {
        text: 'I want to speak to a human please',
      });
    }

    const agent = await signDevelopmentToken(DEVELOPMENT_JWT_SECRET, {
      subject: 'agent_1',
      roles: ['agent'],
    });
    const queue = await request(agent, 'GET', '/v1/agent/handoffs');
    const handoffs = (queue.handoffs ?? queue.items ?? []) as Array<{ id: string }>;
    expect(handoffs.length).toBeGreaterThan(0);
    const handoffViews: string[] = [];
    for (const handoff of handoffs) {
      handoffViews.push(JSON.stringify(await request(agent, 'GET', `/v1/agent/handoffs/${handoff.id}`)));
    }
    // Deliveries are asynchronous: wait until each handoff has reached the webhook.
    for (let attempt = 0; attempt < 100 && webhookBodies.length < handoffs.length; attempt++) {
      await new Promise((done) => setTimeout(done, 20));
    }
    expect(webhookBodies.length).toBeGreaterThanOrEqual(handoffs.length);

    const whileOpen = changedSince(baseline, readTree(home.dataDir));
    await teller.close();
    const afterClose = changedSince(baseline, readTree(home.dataDir));
    expect(whileOpen.some((file) => file.path.endsWith('teller.db') || file.path.endsWith('-wal'))).toBe(
      true,
    );
    // A value the changed files already held before any turn (seeded demo data) cannot be told apart.
    const before = baseline
      .filter((file) => [...whileOpen, ...afterClose].some((changed) => changed.path === file.path))
      .map((file) => file.text)
      .join('\n');
    const testable = values.filter((value) => !standsIn(before, value));
    expect(testable.length).toBeGreaterThan(values.length * 0.9);
    const places = [
      ...whileOpen.map((file) => ({ place: `${file.path} (open)`, text: file.text })),
      ...afterClose.map((file) => ({ place: `${file.path} (closed)`, text: file.text })),
      { place: 'logs', text: logLines.join('\n').toLowerCase() },
      { place: 'handoff views', text: handoffViews.join('\n').toLowerCase() },
      { place: 'webhook payloads', text: webhookBodies.join('\n').toLowerCase() },
    ];
    expect(logLines.length).toBeGreaterThan(0);
    const found = testable.flatMap((value) =>
      places.filter((place) => standsIn(place.text, value)).map((place) => `${value} in ${place.place}`),
    );
    expect(found).toEqual([]);
  }, 120_000);
});
