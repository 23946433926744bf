import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LeaseRepository } from '../store/ports.js';
import type { ConversationLeases } from '../store/turn-runner-leases.js';
import type { TurnResult } from '../turn/types.js';
import { runTurn, type TurnDependencies, type TurnInput } from './run-turn.js';

/**
 * Another turn of the same conversation held its lease for longer than this turn could wait. The
 * server answers 409 with `Retry-After`; the turn stored nothing.
 */
export class ConversationBusyError extends Error {
  override readonly name = 'ConversationBusyError';
  constructor() {
    super('An earlier message in this conversation is still being answered; retry shortly.');
  }
}

/** Runs turns; the server depends on this, not on the stages behind it. */
export interface TurnRunner {
  run(input: TurnInput): Promise<TurnResult>;
}

export interface TurnRunnerOptions {
  /**
   * Leases shared with other processes (`SqliteConversationLeases`), when several workers serve
   * one database, or `PostgresConversationLeases` when instances on several hosts share PostgreSQL.
   * Absent: turns are ordered within this process only.
   */
  readonly leases?: ConversationLeases | LeaseRepository;
  /** How long a lease lasts without renewal; renewed every third of it while the turn runs. Default 10 s. */
  readonly leaseMs?: number;
  /** How long a turn waits for another process's turn of the same conversation. Default 30 s. */
  readonly waitMs?: number;
  /** Wall clock for lease expiry (shared by the processes of one host). */
  readonly now?: () => number;
}

/** Identifies this process in lease rows; unique per acquisition with a counter. */
const PROCESS_TAG = `${process.pid}.${randomBytes(4).toString('hex')}`;
let acquisitions = 0;

/**
 * Serializes turns per conversation: two messages sent at once to one conversation run one after
 * the other, so history, confirmations and handoff state are never read half-written. Within a
 * process a promise chain orders them without touching the database; with `leases`, the turn at
 * the head of the chain also holds the conversation's lease, so a turn of the same conversation in
 * another worker process waits for it (polling with a short back-off) instead of overlapping.
 */
export function createTurnRunner(
  dependencies: TurnDependencies,
  options: TurnRunnerOptions = {},
): TurnRunner {
  const tails = new Map<string, Promise<unknown>>();
  const { leases, leaseMs = 10_000, waitMs = 30_000, now = Date.now } = options;

  const runHoldingLease = async (input: TurnInput): Promise<TurnResult> => {
    const key = input.conversation.id;
    const lease = leases ? await acquireLease(leases, key, { leaseMs, waitMs, now }) : undefined;
    const startedAt = performance.timeOrigin + performance.now();
    let committed = false;
    try {
      // Re-read the conversation once it is our turn: the previous turn may have handed it off.
      const result = await runTurn(dependencies, {
        ...input,
        conversation: (await dependencies.conversations.find(key)) ?? input.conversation,
        ...(lease && { closingWrites: lease.releaseInClosingTransaction }),
      });
      committed = true;
      return result;
    } catch (error) {
      dependencies.telemetry?.turnFailed({
        requestId: input.requestId,
        conversationId: key,
        startedAt,
        endedAt: performance.timeOrigin + performance.now(),
        error: error instanceof Error ? error.name : 'unknown',
      });
      throw error;
    } finally {
      lease?.end(committed);
    }
  };

  return {
    run(input) {
      const key = input.conversation.id;
      const previous = tails.get(key) ?? Promise.resolve();
      const next = previous.then(() => runHoldingLease(input));
      const tail = next.catch(() => undefined);
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return next;
    },
  };
}

/** A held lease: released by the turn's closing transaction, or by `end` when that did not commit. */
interface HeldLease {
  /** Deletes the lease row inside the closing transaction, so it goes exactly when the answer commits. */
  readonly releaseInClosingTransaction: () => Promise<void>;
  /** Stops renewing; releases on its own unless the closing transaction committed the release. */
  readonly end: (committed: boolean) => void;
}

/**
 * Waits for the conversation's lease (back-off from 2 ms up to 50 ms, with jitter so waiting
 * processes do not poll in step), keeps it renewed while held, and returns how to release it.
 */
async function acquireLease(
  leases: ConversationLeases | LeaseRepository,
  conversationId: string,
  { leaseMs, waitMs, now }: { leaseMs: number; waitMs: number; now: () => number },
): Promise<HeldLease> {
  acquisitions += 1;
  const holder = `${PROCESS_TAG}.${acquisitions}`;
  const deadline = now() + waitMs;
  let delayMs = 2;
  while (!(await leases.tryAcquire(conversationId, holder, now() + leaseMs))) {
    if (now() >= deadline) {
      throw new ConversationBusyError();
    }
    await sleep(delayMs * (0.5 + Math.random()));
    delayMs = Math.min(delayMs * 2, 50);
  }
  // A failed renewal or release is not the turn's failure: at worst the lease runs out by itself.
  const quietly = (work: () => unknown) => {
    void Promise.resolve()
      .then(work)
      .catch(() => undefined);
  };
  const renewal = setInterval(
    () => quietly(() => leases.renew(conversationId, holder, now() + leaseMs)),
    leaseMs / 3,
  );
  renewal.unref();
  let releasedInTransaction = false;
  return {
    async releaseInClosingTransaction() {
      await leases.release(conversationId, holder);
      releasedInTransaction = true;
    },
    end(committed) {
      clearInterval(renewal);
      // A rolled-back closing transaction took the release with it (or never ran it).
      if (!(committed && releasedInTransaction)) quietly(() => leases.release(conversationId, holder));
    },
  };
}
