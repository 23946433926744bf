/**
 * Where a handoff goes once it is decided and queued: a contact-centre webhook in production, a
 * recording double in tests. A sink never throws into the turn: it reports what happened and the
 * caller records it (the queued handoff stays in the store either way).
 */
import type { HandoffDecision } from '../turn/types.js';
import type { HandoffSummary } from './summary.js';

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

/** Test double that records every envelope and answers with a scripted result. */
export class RecordingHandoffSink implements HandoffSink {
  readonly delivered: HandoffEnvelope[] = [];
  constructor(private readonly result: HandoffDeliveryResult = { delivered: true, attempts: 1 }) {}

  async deliver(envelope: HandoffEnvelope): Promise<HandoffDeliveryResult> {
    this.delivered.push(envelope);
    return this.result;
  }
}
