/**
 * Retention for the redaction vault: a conversation's sealed values are kept for a configured
 * number of days after the conversation last used them, then forgotten. The purge runs as a
 * command (`npm run vault:purge`) and on an interval inside the service.
 */
import type { PrivacyGuard } from './guard.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** What a purge needs from the guard: which conversations are idle, and how to forget one. */
export type RetentionTarget = Pick<PrivacyGuard, 'conversationsIdleBefore' | 'forgetConversation'>;

export interface PurgeOptions {
  /** Days a conversation's vault entries are kept after their last use. */
  readonly retentionDays: number;
  readonly now: () => Date;
}

/** Outcome of one purge, with no conversation content. */
export interface PurgeReport {
  readonly forgotten: number;
  /** Entries last used before this instant were forgotten (ISO 8601). */
  readonly cutoff: string;
}

/** Forgets every conversation whose vault entries are past retention. */
export async function purgeExpiredVault(
  target: RetentionTarget,
  options: PurgeOptions,
): Promise<PurgeReport> {
  const cutoff = options.now().getTime() - options.retentionDays * DAY_MS;
  const expired = await target.conversationsIdleBefore(cutoff);
  for (const conversationId of expired) await target.forgetConversation(conversationId);
  return { forgotten: expired.length, cutoff: new Date(cutoff).toISOString() };
}

/** The timer functions the schedule uses, injectable so tests can drive a fake clock. */
export interface IntervalTimers {
  setInterval(callback: () => void, milliseconds: number): { unref?(): unknown };
  clearInterval(handle: unknown): void;
}

export interface PurgeScheduleOptions {
  readonly intervalMs: number;
  /** Runs one purge; errors it throws are passed to `onError` and the schedule continues. */
  readonly purge: () => void;
  readonly onError: (error: unknown) => void;
  readonly timers?: IntervalTimers;
}

/**
 * Runs `purge` once now and then every `intervalMs`. The timer is unref'd, so a pending purge
 * never keeps the process alive. Returns a function that stops the schedule.
 */
export function schedulePurge(options: PurgeScheduleOptions): () => void {
  const timers: IntervalTimers = options.timers ?? {
    setInterval: (callback, milliseconds) => setInterval(callback, milliseconds),
    clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
  };
  const run = () => {
    try {
      options.purge();
    } catch (error) {
      options.onError(error);
    }
  };
  run();
  const handle = timers.setInterval(run, options.intervalMs);
  handle.unref?.();
  return () => timers.clearInterval(handle);
}
