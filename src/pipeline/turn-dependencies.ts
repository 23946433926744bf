import type { Logger } from '../observability/logger.js';
import type { TurnTelemetry } from '../observability/turn-telemetry.js';
import type { AuditSink } from '../store/audit-log.js';
import type { Conversation } from '../store/conversation-store.js';
import type { ConversationRepository, HandoffRepository, TurnRecordRepository } from '../store/ports.js';
import type {
  ClarificationStage,
  GenerationStage,
  HandoffSink,
  HandoffStage,
  InputRailsStage,
  OutputRailsStage,
  PrivacyStage,
  RetrievalStage,
  RouterStage,
  ToolStage,
} from '../turn/stages.js';
import type { Principal } from '../turn/types.js';

/** At most `count` handoffs per customer in any `windowSeconds`; urgent ones are never held back. */
export interface HandoffLimit {
  readonly count: number;
  readonly windowSeconds: number;
}

/** Everything one turn needs: the stages in pipeline order, the stores, the log and the clock. */
export interface TurnDependencies {
  readonly privacy: PrivacyStage;
  readonly inputRails: InputRailsStage;
  readonly router: RouterStage;
  readonly retrieval: RetrievalStage;
  readonly tools: ToolStage;
  /** Asks which topic was meant, or declines honestly, instead of answering from weak evidence. */
  readonly clarification?: ClarificationStage;
  readonly generation: GenerationStage;
  readonly outputRails: OutputRailsStage;
  readonly handoff: HandoffStage;
  readonly handoffSink: HandoffSink;
  readonly conversations: ConversationRepository;
  readonly handoffQueue: HandoffRepository;
  /** One record per completed turn, written in the turn's closing transaction. */
  readonly turnRecords: TurnRecordRepository;
  /** The models version whose router routes turns, named in each turn record and turn audit record. */
  readonly routerVersion?: string;
  /** How many handoffs one customer may open per window (urgent ones are exempt). */
  readonly handoffLimit: HandoffLimit;
  readonly audit: AuditSink;
  readonly logger: Logger;
  /** Where each ended turn is reported for metrics and traces; absent, nothing is. */
  readonly telemetry?: TurnTelemetry;
  readonly now: () => Date;
  /**
   * Runs `work` as one database transaction (the stores above write through it), so a turn's
   * closing writes land together or not at all (SQLite or PostgreSQL, see `StateBackend`).
   */
  readonly atomically: <Result>(work: () => Promise<Result>) => Promise<Result>;
}

/** One customer message to answer, with who sent it and where. */
export interface TurnInput {
  readonly principal: Principal;
  /** A conversation the caller has already checked belongs to `principal`. */
  readonly conversation: Conversation;
  /** The customer's raw text: it goes to redaction and nowhere else. */
  readonly text: string;
  readonly requestId: string;
  /**
   * Writes of the caller's that commit in the turn's closing transaction, after the turn's own:
   * the turn runner releases the conversation's lease there, so the next turn (on any host)
   * starts once this one's answer is committed, and no separate statement is needed.
   */
  readonly closingWrites?: () => Promise<void>;
}
