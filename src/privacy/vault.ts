/**
 * Per-conversation vaults: the same value keeps the same typed token (`<CREDIT_CARD_1>`) within a
 * conversation, and the original can be looked up again only through the conversation it came
 * from. Values never appear in logs: `toJSON` and `util.inspect` show counts only.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { normalizeText } from './normalize.js';
import type { EntityType } from './types.js';
import { digitsOf } from './validators.js';

/** One remembered value. */
export interface VaultEntry {
  readonly entity: EntityType;
  readonly value: string;
}

/** Tokens and originals for each conversation. Synchronous: redaction runs inline in a turn. */
export interface ConversationVault {
  /** The token for `value` in this conversation, created on first sight; undefined when the vault is full. */
  tokenize(conversationId: string, entity: EntityType, value: string): string | undefined;
  /** The token already given to `value` in this conversation, without creating one. */
  lookup(conversationId: string, entity: EntityType, value: string): string | undefined;
  /** The original behind a token, only if the token belongs to this conversation. */
  reveal(conversationId: string, token: string): VaultEntry | undefined;
  /** Drops everything remembered for a conversation. */
  forget(conversationId: string): void;
  /**
   * Conversations whose vault was last written or used before `cutoff` (epoch milliseconds): the
   * candidates for forgetting at the end of their retention period.
   */
  conversationsIdleBefore(cutoff: number): string[];
}

/** Entities compared by their digits only, so "4111 1111…" and "4111-1111…" are one value. */
const DIGIT_ENTITIES: ReadonlySet<EntityType> = new Set([
  'CREDIT_CARD',
  'BANK_ACCOUNT',
  'UK_SORT_CODE',
  'US_ROUTING_NUMBER',
  'US_SSN',
  'PHONE_NUMBER',
  'CVV',
  'PIN',
  'OTP',
]);

/** The comparison key of a value: folded, and reduced to what identifies it. */
export function valueKey(entity: EntityType, value: string): string {
  const folded = normalizeText(value).text;
  if (DIGIT_ENTITIES.has(entity)) {
    const digits = digitsOf(folded);
    if (digits.length > 0) return `${entity}:${digits}`;
  }
  if (entity === 'PASSWORD') return `${entity}:${folded}`;
  if (entity === 'IBAN_CODE' || entity === 'SWIFT_CODE')
    return `${entity}:${folded.replace(/[\s-]/g, '').toUpperCase()}`;
  return `${entity}:${folded.trim().replace(/\s+/g, ' ').toLowerCase()}`;
}

/** Token syntax: `<ENTITY_N>`. */
export const TOKEN_PATTERN = /<([A-Z][A-Z_]*?)_(\d{1,6})>/g;

function formatToken(entity: EntityType, index: number): string {
  return `<${entity}_${index}>`;
}

interface ConversationState {
  readonly byToken: Map<string, VaultEntry>;
  readonly byKey: Map<string, string>;
  readonly counters: Map<EntityType, number>;
  lastUsed: number;
}

export interface InMemoryVaultOptions {
  /** Conversations kept at most; the least recently used is evicted first. Default 10 000. */
  readonly maxConversations?: number;
  /** Values kept per conversation; past it, tokenize returns undefined. Default 500. */
  readonly maxEntriesPerConversation?: number;
  /** A conversation idle for longer than this is forgotten. Default 24 hours. */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

/** The default vault: in process memory, bounded in size and time. */
export class InMemoryConversationVault implements ConversationVault {
  readonly #conversations = new Map<string, ConversationState>();
  readonly #maxConversations: number;
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  readonly #now: () => number;
  /** The conversation last (re-)inserted into the Map, i.e. its last key while it is present. */
  #mostRecent: string | undefined;

  constructor(options: InMemoryVaultOptions = {}) {
    this.#maxConversations = options.maxConversations ?? 10_000;
    this.#maxEntries = options.maxEntriesPerConversation ?? 500;
    this.#ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
    this.#now = options.now ?? Date.now;
  }

  #state(conversationId: string, create: boolean): ConversationState | undefined {
    const now = this.#now();
    let state = this.#conversations.get(conversationId);
    if (state && now - state.lastUsed > this.#ttlMs) {
      this.#conversations.delete(conversationId);
      state = undefined;
    }
    if (state && conversationId === this.#mostRecent) {
      // Already last in Map order (every token of one message lands here): re-inserting would
      // leave the order as it is.
      state.lastUsed = now;
      return state;
    }
    if (!state) {
      if (!create) return undefined;
      state = { byToken: new Map(), byKey: new Map(), counters: new Map(), lastUsed: now };
      while (this.#conversations.size >= this.#maxConversations) {
        const oldest = this.#conversations.keys().next().value;
        if (oldest === undefined) break;
        this.#conversations.delete(oldest);
      }
    } else {
      // Re-insert so Map order is least-recently-used first.
      this.#conversations.delete(conversationId);
    }
    state.lastUsed = now;
    this.#conversations.set(conversationId, state);
    this.#mostRecent = conversationId;
    return state;
  }

  tokenize(conversationId: string, entity: EntityType, value: string): string | undefined {
    const state = this.#state(conversationId, true)!;
    const key = valueKey(entity, value);
    const existing = state.byKey.get(key);
    if (existing) return existing;
    if (state.byToken.size >= this.#maxEntries) return undefined;
    const index = (state.counters.get(entity) ?? 0) + 1;
    state.counters.set(entity, index);
    const token = formatToken(entity, index);
    state.byKey.set(key, token);
    state.byToken.set(token, { entity, value });
    return token;
  }

  lookup(conversationId: string, entity: EntityType, value: string): string | undefined {
    return this.#state(conversationId, false)?.byKey.get(valueKey(entity, value));
  }

  reveal(conversationId: string, token: string): VaultEntry | undefined {
    return this.#state(conversationId, false)?.byToken.get(token);
  }

  forget(conversationId: string): void {
    this.#conversations.delete(conversationId);
    if (conversationId === this.#mostRecent) this.#mostRecent = undefined;
  }

  conversationsIdleBefore(cutoff: number): string[] {
    const idle: string[] = [];
    for (const [conversationId, state] of this.#conversations)
      if (state.lastUsed < cutoff) idle.push(conversationId);
    return idle;
  }

  /** Counts only: a vault must never be serialised with its values. */
  toJSON(): { kind: string; conversations: number } {
    return { kind: 'InMemoryConversationVault', conversations: this.#conversations.size };
  }

  toString(): string {
    return `InMemoryConversationVault(${this.#conversations.size} conversations)`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** The storage port behind the encrypted vault, so SQLite or another database can back it. */
export interface KeyValueStore {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  delete(key: string): void;
  /** Keys starting with `prefix`, for forgetting a conversation. */
  keys(prefix: string): Iterable<string>;
}

/** A Map-backed KeyValueStore for tests and single-process use. */
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
  /** Raw stored strings, for tests proving nothing readable is stored. */
  dump(): string[] {
    return [...this.#entries.entries()].map(([key, value]) => `${key}=${value}`);
  }
  toJSON(): { kind: string; entries: number } {
    return { kind: 'InMemoryKeyValueStore', entries: this.#entries.size };
  }
}

export interface EncryptedVaultOptions {
  /** 32-byte AES-256 key (Buffer, or base64 string of 32 bytes). */
  readonly key: Buffer | string;
  readonly store: KeyValueStore;
  /** Values kept per conversation. Default 500. */
  readonly maxEntriesPerConversation?: number;
  /** Clock for the last-used stamps that retention reads. */
  readonly now?: () => number;
}

/**
 * How stale a conversation's last-used stamp may get before a use rewrites it: retention is
 * counted in days, so one write an hour per busy conversation is precise enough.
 */
const TOUCH_RESOLUTION_MS = 60 * 60 * 1000;

/**
 * A vault whose values are sealed with AES-256-GCM before reaching the store. Lookup keys are
 * HMAC-SHA-256 of the value, so the store holds neither values nor unkeyed hashes of them.
 */
export class EncryptedConversationVault implements ConversationVault {
  readonly #key: Buffer;
  readonly #indexKey: Buffer;
  readonly #store: KeyValueStore;
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: EncryptedVaultOptions) {
    const key = typeof options.key === 'string' ? Buffer.from(options.key, 'base64') : options.key;
    if (key.length !== 32) {
      throw new Error(
        'EncryptedConversationVault needs a 32-byte key: pass it as a Buffer or a base64 string of 32 bytes.',
      );
    }
    this.#key = key;
    this.#indexKey = createHmac('sha256', key).update('teller-vault-index').digest();
    this.#store = options.store;
    this.#maxEntries = options.maxEntriesPerConversation ?? 500;
    this.#now = options.now ?? Date.now;
  }

  /** Stamps the conversation as used now, unless it already was within the resolution. */
  #touch(prefix: string): void {
    const key = `${prefix}touched`;
    const now = this.#now();
    const previous = Number(this.#store.get(key) ?? Number.NaN);
    if (Number.isNaN(previous) || now - previous >= TOUCH_RESOLUTION_MS || previous > now) {
      this.#store.set(key, String(now));
    }
  }

  #prefix(conversationId: string): string {
    return `vault:${encodeURIComponent(conversationId)}:`;
  }

  #seal(entry: VaultEntry, associated: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(associated));
    const sealed = Buffer.concat([cipher.update(JSON.stringify(entry), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
  }

  #open(stored: string, associated: string): VaultEntry | undefined {
    const raw = Buffer.from(stored, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(associated));
    decipher.setAuthTag(raw.subarray(12, 28));
    try {
      const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      return JSON.parse(plain) as VaultEntry;
    } catch {
      // Tampered or sealed for another conversation: treat as absent rather than trust it.
      return undefined;
    }
  }

  #indexOf(entity: EntityType, value: string): string {
    return createHmac('sha256', this.#indexKey).update(valueKey(entity, value)).digest('base64url');
  }

  tokenize(conversationId: string, entity: EntityType, value: string): string | undefined {
    const prefix = this.#prefix(conversationId);
    const indexKey = `${prefix}index:${this.#indexOf(entity, value)}`;
    const existing = this.#store.get(indexKey);
    this.#touch(prefix);
    if (existing) return existing;
    const countKey = `${prefix}count`;
    const count = Number(this.#store.get(countKey) ?? '0');
    if (count >= this.#maxEntries) return undefined;
    const counterKey = `${prefix}counter:${entity}`;
    const index = Number(this.#store.get(counterKey) ?? '0') + 1;
    const token = formatToken(entity, index);
    const tokenKey = `${prefix}token:${token}`;
    this.#store.set(tokenKey, this.#seal({ entity, value }, tokenKey));
    this.#store.set(indexKey, token);
    this.#store.set(counterKey, String(index));
    this.#store.set(countKey, String(count + 1));
    return token;
  }

  lookup(conversationId: string, entity: EntityType, value: string): string | undefined {
    return this.#store.get(`${this.#prefix(conversationId)}index:${this.#indexOf(entity, value)}`);
  }

  reveal(conversationId: string, token: string): VaultEntry | undefined {
    const tokenKey = `${this.#prefix(conversationId)}token:${token}`;
    const stored = this.#store.get(tokenKey);
    return stored ? this.#open(stored, tokenKey) : undefined;
  }

  forget(conversationId: string): void {
    for (const key of [...this.#store.keys(this.#prefix(conversationId))]) this.#store.delete(key);
  }

  /**
   * Reads every conversation's last-used stamp. A conversation stored before stamps existed has
   * none: it is stamped now, so its retention runs from the first purge that sees it.
   */
  conversationsIdleBefore(cutoff: number): string[] {
    const stamps = new Map<string, number | undefined>();
    for (const key of this.#store.keys('vault:')) {
      const separator = key.indexOf(':', 6);
      if (separator === -1) continue;
      const conversationId = decodeURIComponent(key.slice(6, separator));
      const field = key.slice(separator + 1);
      if (field === 'touched') stamps.set(conversationId, Number(this.#store.get(key)));
      else if (!stamps.has(conversationId)) stamps.set(conversationId, undefined);
    }
    const idle: string[] = [];
    for (const [conversationId, stamp] of stamps) {
      if (stamp === undefined || Number.isNaN(stamp))
        this.#store.set(`${this.#prefix(conversationId)}touched`, String(this.#now()));
      else if (stamp < cutoff) idle.push(conversationId);
    }
    return idle;
  }

  toJSON(): { kind: string } {
    return { kind: 'EncryptedConversationVault' };
  }

  toString(): string {
    return 'EncryptedConversationVault';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
