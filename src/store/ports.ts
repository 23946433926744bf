import type { SealedVaultStore } from '../privacy/vault.js';
import type { StoredMessage } from '../turn/types.js';
import type { AuditEvent, AuditRecord } from './audit-log.js';
import type { Conversation, ConversationStatus } from './conversation-store.js';
import type {
  HandoffCursor,
  HandoffPage,
  HandoffRecord,
  HandoffStatus,
  NewHandoff,
} from './handoff-queue.js';
import type { PendingActionStore } from './pending-action-store.js';
import type { RateLimitStore } from './rate-limit-store.js';
import type { NewTrainingExample, TrainingExample, TrainingExampleStatus } from './training-examples.js';
import type { AnalyticsQuery, TurnAnalytics } from './turn-analytics.js';
import type {
  NewTurnRecord,
  TurnRating,
  TurnRecord,
  TurnRecordPage,
  TurnRecordQuery,
} from './turn-records.js';

/**
 * Backend-neutral, asynchronous views of every store, so the same callers (and the same contract
 * tests) run on the embedded SQLite file or on a shared PostgreSQL. Method for method the same as
 * the SQLite classes, with promises: a network database cannot answer synchronously.
 */
export interface ConversationRepository {
  create(customerId: string): Promise<Conversation>;
  find(conversationId: string): Promise<Conversation | undefined>;
  /** `undefined` both for a missing conversation and for someone else's, so ids cannot be probed. */
  findForCustomer(conversationId: string, customerId: string): Promise<Conversation | undefined>;
  listForCustomer(customerId: string, limit?: number): Promise<Conversation[]>;
  setStatus(conversationId: string, status: ConversationStatus): Promise<void>;
  appendMessage(
    conversationId: string,
    author: StoredMessage['author'],
    text: string,
    metadata?: Record<string, unknown>,
  ): Promise<StoredMessage>;
  /**
   * Appends several messages in order, numbered one after the other (a turn's question and its
   * answer, in the turn's closing transaction): one round trip fewer per message on a network
   * database.
   */
  appendMessages(conversationId: string, messages: readonly NewMessage[]): Promise<StoredMessage[]>;
  /** Messages in order; `limit` keeps the most recent ones. */
  messages(conversationId: string, limit?: number): Promise<StoredMessage[]>;
}

/** A message to append: who wrote it, its (redacted) text and what the turn noted about it. */
export interface NewMessage {
  readonly author: StoredMessage['author'];
  readonly text: string;
  readonly metadata?: Record<string, unknown>;
}

/** The human handoff queue: open → claimed (by one agent) → resolved. */
export interface HandoffRepository {
  open(handoff: NewHandoff): Promise<HandoffRecord>;
  get(id: string): Promise<HandoffRecord | undefined>;
  activeForConversation(conversationId: string): Promise<HandoffRecord | undefined>;
  /** How many handoffs `customerId` opened at or after `since`, whatever their status now. */
  countOpenedSince(customerId: string, since: Date): Promise<number>;
  /**
   * Inside `atomically`: until the transaction ends, another transaction locking the same customer
   * waits here, so a count and the handoff it admits cannot interleave with another host's.
   */
  lockCustomerAdmissions(customerId: string): Promise<void>;
  /** Most urgent first, then oldest first. */
  list(status?: HandoffStatus, limit?: number): Promise<HandoffRecord[]>;
  /** One page in queue order; `cursor` is the previous page's `nextCursor` (keyset, so nothing repeats). */
  page(query: { status?: HandoffStatus; limit: number; cursor?: HandoffCursor }): Promise<HandoffPage>;
  /** Fails with `HandoffTransitionError('conflict')` when it is not open. */
  claim(id: string, agentId: string): Promise<HandoffRecord>;
  /** Fails with `HandoffTransitionError('conflict')` unless `agentId` claimed it. */
  resolve(id: string, agentId: string): Promise<HandoffRecord>;
}

/** The append-only, hash-chained audit log. */
export interface AuditRepository {
  record(event: AuditEvent): Promise<void>;
  /** Most recent first. */
  list(filter?: { subject?: string; actionPrefix?: string; limit?: number }): Promise<AuditRecord[]>;
  /** The first broken sequence number, or undefined when the chain is intact. */
  verifyChain(): Promise<number | undefined>;
}

/** Who is answering which conversation, across processes and hosts. */
export interface LeaseRepository {
  tryAcquire(conversationId: string, holder: string, expiresAt: number): Promise<boolean>;
  renew(conversationId: string, holder: string, expiresAt: number): Promise<boolean>;
  release(conversationId: string, holder: string): Promise<void>;
}

/** Named counters bumped when state every instance keeps in memory changes. */
export interface GenerationRepository {
  read(name: string): Promise<number>;
  bump(name: string): Promise<number>;
}

/** One record per completed turn (redacted), with the customer's rating of it. */
export interface TurnRecordRepository {
  /** Written by the turn's closing transaction, beside the answer it describes. */
  record(record: NewTurnRecord): Promise<void>;
  get(id: string): Promise<TurnRecord | undefined>;
  /**
   * Sets or replaces the customer's rating of their own turn (idempotent). `undefined` both for a
   * missing turn and for someone else's, so ids cannot be probed.
   */
  rate(
    id: string,
    customerId: string,
    rating: TurnRating,
    reason: string | null,
  ): Promise<TurnRecord | undefined>;
  /** Records in creation order, a page at a time. */
  list(query?: TurnRecordQuery): Promise<TurnRecordPage>;
  /** Deletes records created before `cutoff` (retention); returns how many went. */
  purgeBefore(cutoff: Date): Promise<number>;
  /** Outcome analytics over a window, per day or week, computed by SQL aggregates. */
  aggregate(query: AnalyticsQuery): Promise<TurnAnalytics>;
}

/** Agent-labelled training examples and their four-eyes review (see training-examples.ts). */
export interface TrainingExampleRepository {
  /** Stores candidates; a message already proposed from the same handoff is skipped (not returned). */
  propose(examples: readonly NewTrainingExample[]): Promise<TrainingExample[]>;
  get(id: string): Promise<TrainingExample | undefined>;
  /** Oldest first. */
  list(query?: { status?: TrainingExampleStatus; limit?: number }): Promise<TrainingExample[]>;
  /** Fails with `TrainingExampleReviewError('conflict')` unless it is still a candidate. */
  review(id: string, decision: 'approved' | 'rejected', reviewer: string): Promise<TrainingExample>;
}

/** Every store of one backend, and a transaction spanning them. */
export interface StateBackend {
  readonly kind: 'sqlite' | 'postgres';
  readonly conversations: ConversationRepository;
  readonly handoffs: HandoffRepository;
  readonly audit: AuditRepository;
  /** The redaction vault's sealed values (the port is the privacy layer's: `SealedVaultStore`). */
  readonly vault: SealedVaultStore;
  readonly pendingActions: PendingActionStore;
  readonly leases: LeaseRepository;
  readonly generations: GenerationRepository;
  readonly turnRecords: TurnRecordRepository;
  readonly trainingExamples: TrainingExampleRepository;
  /** One token-bucket budget per subject, shared by every process on this backend. */
  rateLimits(scope: string): RateLimitStore;
  /** The work's writes through these stores commit together or not at all. */
  atomically<Result>(work: () => Promise<Result>): Promise<Result>;
  /** Resolves when the database answers; rejects (for readiness) when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
