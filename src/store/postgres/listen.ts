import pg from 'pg';
import { GENERATIONS_CHANNEL } from './small-stores.js';

export interface GenerationListener {
  /** Resolves once the first LISTEN is in place. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

export interface ListenOptions {
  readonly url: string;
  /** A counter was bumped (by any instance, this one included). */
  onBump(name: string): void;
  /**
   * Called after every (re)connection: notifications sent while the connection was down are lost,
   * so the caller compares every counter it follows with the table and catches up.
   */
  onConnected(): void;
  onError?(error: unknown): void;
  /** Delay before reconnecting after a dropped connection. */
  readonly reconnectDelayMs?: number;
}

/**
 * Keeps one connection (outside the pool) listening on the generations channel, reconnecting
 * after it drops. Notifications are delivered within milliseconds of the bump's commit.
 */
export function listenForGenerations({
  url,
  onBump,
  onConnected,
  onError = () => undefined,
  reconnectDelayMs = 500,
}: ListenOptions): GenerationListener {
  let closed = false;
  let client: pg.Client | undefined;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });

  const connect = async (): Promise<void> => {
    if (closed) return;
    const next = new pg.Client({ connectionString: url, application_name: 'teller-listener' });
    client = next;
    let connected = false;
    next.on('notification', (notification) => {
      if (notification.channel === GENERATIONS_CHANNEL && notification.payload) onBump(notification.payload);
    });
    next.on('error', (error) => {
      onError(error);
      void next.end().catch(() => undefined);
    });
    next.on('end', () => {
      if (connected && !closed) setTimeout(() => void connect(), reconnectDelayMs).unref();
    });
    try {
      await next.connect();
      connected = true;
      await next.query(`LISTEN ${GENERATIONS_CHANNEL}`);
      onConnected();
      markReady();
    } catch (error) {
      onError(error);
      // `end` retries for a client that had connected; one that never did retries here.
      await next.end().catch(() => undefined);
      if (!connected && !closed) setTimeout(() => void connect(), reconnectDelayMs).unref();
    }
  };
  void connect();

  return {
    ready,
    async close() {
      closed = true;
      await client?.end().catch(() => undefined);
    },
  };
}
