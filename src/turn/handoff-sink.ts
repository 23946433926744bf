/**
 * Where a handoff goes once it is decided and queued: a contact-centre webhook in production, a
 * recording double in tests. A sink never throws into the turn: it reports what happened and the
 * caller records it (the queued handoff stays in the store either way).
 */
import type { HandoffDecision } from './types.js';

/**
 * The agent-facing summary of a conversation being handed over, as the turn and the sinks see it.
 * The handoff module builds it (and narrows `emotions` to the cues it knows).
 */
export interface HandoffSummary {
  readonly intent?: string;
  readonly topic?: string;
  readonly emotions: readonly string[];
  readonly reason: HandoffDecision['reason'];
  readonly priority: HandoffDecision['priority'];
  readonly explanation: string;
  readonly lastCustomerAsks: readonly string[];
  readonly lastAssistantAnswer?: string;
  /** The above as a few lines of plain text, for queues and chat tools. */
  readonly text: string;
}

/** What is delivered: identifiers, the decision and the redacted summary. Never raw messages. */
export interface HandoffEnvelope {
  readonly handoffId: string;
  readonly conversationId: string;
  readonly decision: HandoffDecision;
  readonly summary: HandoffSummary;
  readonly createdAt: string;
}

export interface HandoffDeliveryResult {
  readonly delivered: boolean;
  readonly attempts: number;
  /** Last HTTP status, when there was a response. */
  readonly status?: number;
  /** Why delivery failed (network error, timeout, status), for the log. */
  readonly error?: string;
}

export interface HandoffSink {
  deliver(envelope: HandoffEnvelope): Promise<HandoffDeliveryResult>;
}
