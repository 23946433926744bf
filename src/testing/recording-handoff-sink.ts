import type { HandoffDeliveryResult, HandoffEnvelope, HandoffSink } from '../turn/handoff-sink.js';

/** Test double that records every envelope and answers with a scripted result. */
export class RecordingHandoffSink implements HandoffSink {
  readonly delivered: HandoffEnvelope[] = [];
  constructor(private readonly result: HandoffDeliveryResult = { delivered: true, attempts: 1 }) {}

  async deliver(envelope: HandoffEnvelope): Promise<HandoffDeliveryResult> {
    this.delivered.push(envelope);
    return this.result;
  }
}
