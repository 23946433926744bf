import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../store/database.js';
import { SqliteConversationLeases } from '../store/turn-runner-leases.js';
import { EchoGeneration } from '../testing/fake-stages.js';
import { useTemporaryDirectories } from '../testing/temporary-directories.js';
import { fakeTurnDependencies } from '../testing/test-app.js';
import type { Draft, GenerationInput } from '../turn/stages.js';
import { ConversationBusyError, createTurnRunner } from './turn-runner.js';

const temporaryDirectory = useTemporaryDirectories('teller-turns-');
const databases: SqliteDatabase[] = [];
afterEach(() => {
  for (const database of databases.splice(0)) database.close();
});

interface Span {
  readonly worker: string;
  readonly conversationId: string;
  readonly start: number;
  end: number;
}

/** A generator that takes a while and records when each turn was inside it. */
class SlowRecordingGeneration extends EchoGeneration {
  constructor(
    private readonly worker: string,
    private readonly spans: Span[],
    private readonly delayMs: number,
  ) {
    super();
  }
  override async generate(input: GenerationInput): Promise<Draft> {
    const span: Span = {
      worker: this.worker,
      conversationId: input.conversationId,
      start: performance.now(),
      end: 0,
    };
    this.spans.push(span);
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    span.end = performance.now();
    return super.generate(input);
  }
}

/** One "worker": its own connection to the shared file, its own runner, the shared lease table. */
function worker(
  path: string,
  name: string,
  spans: Span[],
  options: { leaseMs?: number; waitMs?: number } = {},
) {
  const database = openDatabase(path);
  databases.push(database);
  const dependencies = fakeTurnDependencies(database, {
    generation: new SlowRecordingGeneration(name, spans, 15),
    now: () => new Date(),
  });
  const conversations = dependencies.conversations;
  const runner = createTurnRunner(dependencies, {
    leases: new SqliteConversationLeases(database),
    ...options,
  });
  return { database, conversations, runner };
}

function databaseFile(): string {
  return join(temporaryDirectory(), 'teller.db');
}

const principal = { subject: 'c_1', roles: ['customer'] } as never;

function overlaps(spans: readonly Span[]): number {
  let count = 0;
  for (const [index, first] of spans.entries())
    for (const second of spans.slice(index + 1))
      if (first.start < second.end && second.start < first.end) count += 1;
  return count;
}

describe('turn runner across processes', () => {
  it('when two workers get turns of one conversation at once then the turns never overlap and all are stored', async () => {
    const path = databaseFile();
    const spans: Span[] = [];
    const first = worker(path, 'first', spans);
    const second = worker(path, 'second', spans);
    const conversation = await first.conversations.create('c_1');
    const turns = Array.from({ length: 8 }, (_, index) =>
      (index % 2 === 0 ? first : second).runner.run({
        principal,
        conversation,
        text: `message ${index}`,
        requestId: `req_${index}`,
      }),
    );
    await Promise.all(turns);
    expect(spans).toHaveLength(8);
    expect(new Set(spans.map((span) => span.worker))).toEqual(new Set(['first', 'second']));
    expect(overlaps(spans)).toBe(0);
    // 8 customer messages and 8 answers, with no sequence collision.
    expect(await first.conversations.messages(conversation.id)).toHaveLength(16);
    expect(first.database.prepare('SELECT COUNT(*) AS count FROM conversation_leases').get()).toEqual({
      count: 0,
    });
  });

  it('when two workers get turns of different conversations then they run at the same time', async () => {
    const path = databaseFile();
    const spans: Span[] = [];
    const first = worker(path, 'first', spans);
    const second = worker(path, 'second', spans);
    const one = await first.conversations.create('c_1');
    const other = await first.conversations.create('c_1');
    await Promise.all([
      first.runner.run({ principal, conversation: one, text: 'hello', requestId: 'req_1' }),
      second.runner.run({ principal, conversation: other, text: 'hello', requestId: 'req_2' }),
    ]);
    expect(overlaps(spans)).toBe(1);
  });

  it('when a crashed worker left a lease behind then a turn waits for it to expire, not forever', async () => {
    const path = databaseFile();
    const spans: Span[] = [];
    const survivor = worker(path, 'survivor', spans, { waitMs: 2_000 });
    const conversation = await survivor.conversations.create('c_1');
    const crashed = new SqliteConversationLeases(survivor.database);
    expect(crashed.tryAcquire(conversation.id, 'crashed-worker', Date.now() + 150)).toBe(true);
    const started = performance.now();
    await survivor.runner.run({ principal, conversation, text: 'hello', requestId: 'req_1' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(spans).toHaveLength(1);
  });

  it('when the lease stays held past the wait then the turn fails as a conflict and stores nothing', async () => {
    const path = databaseFile();
    const spans: Span[] = [];
    const waiting = worker(path, 'waiting', spans, { waitMs: 100 });
    const conversation = await waiting.conversations.create('c_1');
    new SqliteConversationLeases(waiting.database).tryAcquire(
      conversation.id,
      'busy-worker',
      Date.now() + 60_000,
    );
    const error = await waiting.runner
      .run({ principal, conversation, text: 'hello', requestId: 'req_1' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConversationBusyError);
    expect(spans).toHaveLength(0);
    expect(await waiting.conversations.messages(conversation.id)).toHaveLength(0);
  });

  it('when a turn commits then its lease is released inside the closing transaction, with the question and answer', async () => {
    const database = openDatabase(databaseFile());
    databases.push(database);
    const dependencies = fakeTurnDependencies(database, { now: () => new Date() });
    const leases = new SqliteConversationLeases(database);
    const releasedInTransaction: boolean[] = [];
    const recordingLeases = {
      tryAcquire: leases.tryAcquire.bind(leases),
      renew: leases.renew.bind(leases),
      release(conversationId: string, holder: string) {
        releasedInTransaction.push(database.inTransaction);
        leases.release(conversationId, holder);
      },
    };
    const runner = createTurnRunner(dependencies, { leases: recordingLeases });
    const conversation = await dependencies.conversations.create('c_1');
    await runner.run({ principal, conversation, text: 'hello', requestId: 'req_1' });
    expect(releasedInTransaction).toEqual([true]);
    expect(database.prepare('SELECT COUNT(*) AS count FROM conversation_leases').get()).toEqual({ count: 0 });
    const stored = await dependencies.conversations.messages(conversation.id);
    expect(stored.map((message) => message.author)).toEqual(['customer', 'assistant']);
  });

  it('when the closing transaction fails then nothing of the turn is stored, not even the question, and the lease is released', async () => {
    const database = openDatabase(databaseFile());
    databases.push(database);
    const working = fakeTurnDependencies(database, { now: () => new Date() });
    const dependencies = fakeTurnDependencies(database, {
      now: () => new Date(),
      turnRecords: {
        ...working.turnRecords,
        record: async () => {
          throw new Error('disk full');
        },
      },
    });
    const runner = createTurnRunner(dependencies, { leases: new SqliteConversationLeases(database) });
    const conversation = await dependencies.conversations.create('c_1');
    await expect(runner.run({ principal, conversation, text: 'hello', requestId: 'req_1' })).rejects.toThrow(
      'disk full',
    );
    expect(await dependencies.conversations.messages(conversation.id)).toEqual([]);
    // Released after the rollback took the in-transaction release with it.
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(database.prepare('SELECT COUNT(*) AS count FROM conversation_leases').get()).toEqual({ count: 0 });
  });

  it('when a lease is held by someone else then tryAcquire refuses it until released', () => {
    const database = openDatabase(':memory:');
    databases.push(database);
    const leases = new SqliteConversationLeases(database);
    const later = Date.now() + 60_000;
    expect(leases.tryAcquire('conv_1', 'a', later)).toBe(true);
    expect(leases.tryAcquire('conv_1', 'b', later)).toBe(false);
    expect(leases.renew('conv_1', 'b', later)).toBe(false);
    leases.release('conv_1', 'b');
    expect(leases.tryAcquire('conv_1', 'b', later)).toBe(false);
    leases.release('conv_1', 'a');
    expect(leases.tryAcquire('conv_1', 'b', later)).toBe(true);
  });
});
