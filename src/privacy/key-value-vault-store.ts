/**
 * The sealed vault over a synchronous key-value table: the embedded SQLite layout (one row per
 * key, `vault:<conversation>:<field>`), kept as it always was so existing data directories keep
 * their tokens, and a Map for tests.
 */
import type { SealedVaultStore, TokenizeRequest } from './vault.js';

/** A synchronous key-value table the vault's layout is written into. */
export interface KeyValueStore {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  delete(key: string): void;
  /** Keys starting with `prefix`, for forgetting a conversation. */
  keys(prefix: string): Iterable<string>;
  /**
   * Runs `work` so that no other writer (another process on the same file) interleaves with it:
   * the read of a counter and the writes that depend on it go together.
   */
  exclusively<Result>(work: () => Result): Result;
}

/** A Map-backed KeyValueStore for tests. */
export class InMemoryKeyValueStore implements KeyValueStore {
  readonly #entries = new Map<string, string>();
  get(key: string): string | undefined {
    return this.#entries.get(key);
  }
  set(key: string, value: string): void {
    this.#entries.set(key, value);
  }
  delete(key: string): void {
    this.#entries.delete(key);
  }
  *keys(prefix: string): Iterable<string> {
    for (const key of this.#entries.keys()) if (key.startsWith(prefix)) yield key;
  }
  exclusively<Result>(work: () => Result): Result {
    return work();
  }
  /** Raw stored strings, for tests proving nothing readable is stored. */
  dump(): string[] {
    return [...this.#entries.entries()].map(([key, value]) => `${key}=${value}`);
  }
  toJSON(): { kind: string; entries: number } {
    return { kind: 'InMemoryKeyValueStore', entries: this.#entries.size };
  }
}

function prefixOf(conversationId: string): string {
  return `vault:${encodeURIComponent(conversationId)}:`;
}

/** The vault's storage port over a KeyValueStore; every method answers from one synchronous call. */
export class KeyValueVaultStore implements SealedVaultStore {
  constructor(private readonly table: KeyValueStore) {}

  async tokenOf(conversationId: string, valueHash: string): Promise<string | undefined> {
    return this.table.get(`${prefixOf(conversationId)}index:${valueHash}`);
  }

  async sealedValue(conversationId: string, token: string): Promise<string | undefined> {
    return this.table.get(`${prefixOf(conversationId)}token:${token}`);
  }

  async tokenize(request: TokenizeRequest): Promise<string | undefined> {
    return this.table.exclusively(() => {
      const prefix = prefixOf(request.conversationId);
      const indexKey = `${prefix}index:${request.valueHash}`;
      const existing = this.table.get(indexKey);
      this.#touch(prefix, request.now, request.touchResolutionMs);
      if (existing) return existing;
      const countKey = `${prefix}count`;
      const count = Number(this.table.get(countKey) ?? '0');
      if (count >= request.maxEntries) return undefined;
      const counterKey = `${prefix}counter:${request.entity}`;
      const index = Number(this.table.get(counterKey) ?? '0') + 1;
      const { token, sealed } = request.mint(index);
      this.table.set(`${prefix}token:${token}`, sealed);
      this.table.set(indexKey, token);
      this.table.set(counterKey, String(index));
      this.table.set(countKey, String(count + 1));
      return token;
    });
  }

  /** Stamps the conversation as used now, unless it already was within the resolution. */
  #touch(prefix: string, now: number, resolutionMs: number): void {
    const key = `${prefix}touched`;
    const previous = Number(this.table.get(key) ?? Number.NaN);
    if (Number.isNaN(previous) || now - previous >= resolutionMs || previous > now) {
      this.table.set(key, String(now));
    }
  }

  async forget(conversationId: string): Promise<void> {
    this.table.exclusively(() => {
      for (const key of [...this.table.keys(prefixOf(conversationId))]) this.table.delete(key);
    });
  }

  async idleBefore(cutoff: number, now: number): Promise<string[]> {
    const stamps = new Map<string, number | undefined>();
    for (const key of this.table.keys('vault:')) {
      const separator = key.indexOf(':', 6);
      if (separator === -1) continue;
      const conversationId = decodeURIComponent(key.slice(6, separator));
      const field = key.slice(separator + 1);
      if (field === 'touched') stamps.set(conversationId, Number(this.table.get(key)));
      else if (!stamps.has(conversationId)) stamps.set(conversationId, undefined);
    }
    const idle: string[] = [];
    for (const [conversationId, stamp] of stamps) {
      if (stamp === undefined || Number.isNaN(stamp))
        this.table.set(`${prefixOf(conversationId)}touched`, String(now));
      else if (stamp < cutoff) idle.push(conversationId);
    }
    return idle;
  }
}
