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

/**
 * Tokens and originals for each conversation. Asynchronous: the sealed vault may live in a
 * database shared by every instance, so a token minted on one host is revealed on any other.
 */
export interface ConversationVault {
  /** The token for `value` in this conversation, created on first sight; undefined when the vault is full. */
  tokenize(conversationId: string, entity: EntityType, value: string): Promise<string | undefined>;
  /** The token already given to `value` in this conversation, without creating one. */
  lookup(conversationId: string, entity: EntityType, value: string): Promise<string | undefined>;
  /** The original behind a token, only if the token belongs to this conversation. */
  reveal(conversationId: string, token: string): Promise<VaultEntry | undefined>;
  /** Drops everything remembered for a conversation. */
  forget(conversationId: string): Promise<void>;
  /**
   * Conversations whose vault was last written or used before `cutoff` (epoch milliseconds): the
   * candidates for forgetting at the end of their retention period.
   */
  conversationsIdleBefore(cutoff: number): Promise<string[]>;
}

/** What the encrypted vault asks its storage to store a new value under a token. */
export interface TokenizeRequest {
  readonly conversationId: string;
  readonly entity: EntityType;
  /** Keyed hash of the value's comparison key: how the same value finds its token again. */
  readonly valueHash: string;
  /** The token and sealed value for number `index` of this entity, made only when the value is new. */
  readonly mint: (index: number) => { readonly token: string; readonly sealed: string };
  /** Values a conversation may hold; past it no token is made. */
  readonly maxEntries: number;
  /** Epoch milliseconds of this use, for retention. */
  readonly now: number;
  /** A last-used stamp younger than this is left as it is (one write per period, not per use). */
  readonly touchResolutionMs: number;
}

/**
 * The storage port behind the encrypted vault: sealed values and keyed hashes only, never
 * plaintext. SQLite (`store/sqlite-backend.ts`) and PostgreSQL (`store/postgres/vault-store.ts`)
 * implement it, checked by one contract suite.
 */
export interface SealedVaultStore {
  /** The token stored for `valueHash` in this conversation. */
  tokenOf(conversationId: string, valueHash: string): Promise<string | undefined>;
  /** The sealed value stored under `token` in this conversation. */
  sealedValue(conversationId: string, token: string): Promise<string | undefined>;
  /**
   * The conversation's token for the value, stored on first sight as `mint(n)` with n one past
   * the entity's highest number so far; undefined when the conversation already holds
   * `maxEntries` values. Stamps the conversation used. Safe against every other process and
   * host on the same store: one value never gets two tokens, one token never two values.
   */
  tokenize(request: TokenizeRequest): Promise<string | undefined>;
  /** Removes everything stored for the conversation. */
  forget(conversationId: string): Promise<void>;
  /**
   * Conversations last used before `cutoff` (epoch ms). One stored without a stamp (before stamps
   * existed) is stamped `now` instead, so its retention runs from the first purge that sees it.
   */
  idleBefore(cutoff: number, now: number): Promise<string[]>;
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

  async tokenize(conversationId: string, entity: EntityType, value: string): Promise<string | undefined> {
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

  async lookup(conversationId: string, entity: EntityType, value: string): Promise<string | undefined> {
    return this.#state(conversationId, false)?.byKey.get(valueKey(entity, value));
  }

  async reveal(conversationId: string, token: string): Promise<VaultEntry | undefined> {
    return this.#state(conversationId, false)?.byToken.get(token);
  }

  async forget(conversationId: string): Promise<void> {
    this.#conversations.delete(conversationId);
    if (conversationId === this.#mostRecent) this.#mostRecent = undefined;
  }

  async conversationsIdleBefore(cutoff: number): Promise<string[]> {
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

export interface EncryptedVaultOptions {
  /** 32-byte AES-256 key (Buffer, or base64 string of 32 bytes). */
  readonly key: Buffer | string;
  readonly store: SealedVaultStore;
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
 * HMAC-SHA-256 of the value, so the store holds neither values nor unkeyed hashes of them. Each
 * sealed value is bound to its conversation and token (the cipher's associated data), so a value
 * copied to another token or conversation does not open.
 */
export class EncryptedConversationVault implements ConversationVault {
  readonly #key: Buffer;
  readonly #indexKey: Buffer;
  readonly #store: SealedVaultStore;
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

  /** The associated data a value is sealed with: the embedded layout's key for that token. */
  #associated(conversationId: string, token: string): string {
    return `vault:${encodeURIComponent(conversationId)}:token:${token}`;
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
      // Tampered, sealed for another conversation or under another key: absent rather than trusted.
      return undefined;
    }
  }

  #indexOf(entity: EntityType, value: string): string {
    return createHmac('sha256', this.#indexKey).update(valueKey(entity, value)).digest('base64url');
  }

  tokenize(conversationId: string, entity: EntityType, value: string): Promise<string | undefined> {
    return this.#store.tokenize({
      conversationId,
      entity,
      valueHash: this.#indexOf(entity, value),
      mint: (index) => {
        const token = formatToken(entity, index);
        return { token, sealed: this.#seal({ entity, value }, this.#associated(conversationId, token)) };
      },
      maxEntries: this.#maxEntries,
      now: this.#now(),
      touchResolutionMs: TOUCH_RESOLUTION_MS,
    });
  }

  lookup(conversationId: string, entity: EntityType, value: string): Promise<string | undefined> {
    return this.#store.tokenOf(conversationId, this.#indexOf(entity, value));
  }

  async reveal(conversationId: string, token: string): Promise<VaultEntry | undefined> {
    const stored = await this.#store.sealedValue(conversationId, token);
    return stored ? this.#open(stored, this.#associated(conversationId, token)) : undefined;
  }

  forget(conversationId: string): Promise<void> {
    return this.#store.forget(conversationId);
  }

  conversationsIdleBefore(cutoff: number): Promise<string[]> {
    return this.#store.idleBefore(cutoff, this.#now());
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
