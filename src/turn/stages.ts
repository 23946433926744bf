import type { HandoffSummary } from './handoff-sink.js';
import type { CustomerMessage } from './turn-context.js';
import type {
  Citation,
  GuardrailVerdict,
  HandoffDecision,
  Principal,
  RetrievedPassage,
  StoredMessage,
  ToolOutcome,
} from './types.js';

/**
 * The stage seams `runTurn` calls, in pipeline order. Each has a real implementation wired in the
 * composition root (`src/composition/`) and a fake in `src/testing/` for orchestration tests.
 */

/** Stage 1: redaction. The only stage that ever sees the customer's raw text. */
export interface PrivacyStage {
  /** Replaces PII with per-conversation tokens such as `<IBAN_CODE_1>`. */
  redactMessage(
    conversationId: string,
    text: string,
  ): Promise<{ readonly redactedText: string; readonly entities: readonly string[] }>;
  /** Irreversible redaction for logs, audit and handoff payloads. */
  redactForLog(text: string): string;
  /** Entity types of PII in `text` that is not this conversation's own (tokens are not PII). */
  findForeignPii(conversationId: string, text: string): Promise<readonly string[]>;
  /** Puts back the customer's own values where policy allows, for the reply shown to them. */
  restoreForCustomer(conversationId: string, text: string): Promise<string>;
}

export interface RailsInput {
  readonly conversationId: string;
  /** The turn's redacted customer message, shared with the handoff decision. */
  readonly message: CustomerMessage;
  readonly history: readonly StoredMessage[];
}

/** Stage 2: input rails, cheapest first, before any retrieval or model call. */
export interface InputRailsStage {
  check(
    input: RailsInput,
  ): Promise<{ readonly verdicts: readonly GuardrailVerdict[]; readonly blocked?: GuardrailVerdict }>;
}

/** What the intent router decided the message needs. */
export interface Route {
  readonly intent: string;
  readonly confidence: number;
  /** `tool`: an account query/action; `knowledge`: policy question; `unknown`: unsure. */
  readonly kind: 'tool' | 'knowledge' | 'conversation' | 'unknown';
  readonly tool?: {
    readonly name: string;
    readonly arguments: Record<string, unknown>;
    /** Set when a required detail is missing: ask this instead of calling the tool. */
    readonly question?: string;
  };
  /** Knowledge topic (a document product such as `fees`), used as a retrieval hint and for rails. */
  readonly topic?: string;
  readonly alternatives?: ReadonlyArray<{ readonly intent: string; readonly confidence: number }>;
}

/** Stage 3a: routing. */
export interface RouterStage {
  /** Asynchronous: tool arguments may need the conversation's vault (see `routerStage`). */
  route(text: string, history: readonly StoredMessage[], conversationId?: string): Promise<Route>;
}

/** Stage 3b: retrieval of approved, in-force policy passages. */
export interface RetrievalStage {
  search(
    query: string,
    options: { readonly day: string; readonly topic?: string; readonly limit?: number },
  ): Promise<{ readonly passages: readonly RetrievedPassage[]; readonly confidence: number }>;
}

export interface ToolRunInput {
  readonly principal: Principal;
  readonly conversationId: string;
  readonly requestId: string;
  readonly text: string;
  readonly route: Route;
  /** The conversation before this message: a pending confirmation holds only right after its question. */
  readonly history?: readonly StoredMessage[];
}

/** Stage 4: account tools, authorized in code against the principal, never the model. */
export interface ToolStage {
  run(input: ToolRunInput): Promise<readonly ToolOutcome[]>;
}

export interface GenerationInput {
  readonly principal: Principal;
  readonly conversationId: string;
  readonly requestId: string;
  /** Redacted customer text. */
  readonly text: string;
  readonly history: readonly StoredMessage[];
  readonly route: Route;
  readonly passages: readonly RetrievedPassage[];
  readonly toolOutcomes: readonly ToolOutcome[];
}

export interface Draft {
  readonly text: string;
  readonly citations: readonly Citation[];
  /** The generator's own confidence in [0, 1]. */
  readonly confidence: number;
  /** Outcomes of tools the generator itself called (LLM tool calling), if any. */
  readonly toolOutcomes?: readonly ToolOutcome[];
  readonly generator: string;
  /** Set when the generator found nothing approved to answer from and said so (an honest decline). */
  readonly declined?: boolean;
}

/** Stage 5: generation (grounded composer offline, or an LLM). */
export interface GenerationStage {
  generate(input: GenerationInput): Promise<Draft>;
}

export interface OutputRailsInput {
  readonly conversationId: string;
  readonly customerText: string;
  readonly draft: Draft;
  readonly route: Route;
  readonly passages: readonly RetrievedPassage[];
  readonly toolOutcomes: readonly ToolOutcome[];
}

/** Stage 6: output rails on every answer, whichever generator wrote it. */
export interface OutputRailsStage {
  check(input: OutputRailsInput): Promise<{
    readonly verdicts: readonly GuardrailVerdict[];
    readonly finalText: string;
    readonly citations: readonly Citation[];
    readonly blocked?: GuardrailVerdict;
    /** Share of the answer supported by sources, in [0, 1]. */
    readonly groundedness: number;
  }>;
}

export interface HandoffInput {
  /** The turn's redacted customer message, the same object the input rails read. */
  readonly message: CustomerMessage;
  readonly history: readonly StoredMessage[];
  readonly route: Route;
  readonly verdicts: readonly GuardrailVerdict[];
  readonly retrievalConfidence: number;
  readonly groundedness: number;
  readonly toolOutcomes: readonly ToolOutcome[];
  readonly answered: boolean;
}

/** What the clarification stage weighs before any answer is drafted. */
export interface UnsureInput {
  /** Redacted customer text (or the question a clarifying reply resolved to). */
  readonly text: string;
  readonly route: Route;
  readonly passages: readonly RetrievedPassage[];
  readonly retrievalConfidence: number;
}

/** A reply instead of an answer: one clarifying question, or an honest decline. */
export interface UnsureReply {
  readonly kind: 'clarify' | 'declined';
  /** Which rule chose it (a `banking_referrals` id or `unsure.*`), for the audit record. */
  readonly rule: string;
  readonly text: string;
  /** The topics a clarifying question offers, in the order it lists them. */
  readonly options?: readonly { readonly documentId: string; readonly title: string }[];
  /** The question the clarifying question is about (redacted), answered once a topic is chosen. */
  readonly question?: string;
}

/** A reply to a clarifying question that chose one of its topics. */
export interface ClarifiedQuestion {
  /** The question to answer now: the chosen topic with the original question. */
  readonly query: string;
  readonly documentId: string;
  readonly title: string;
}

/** Stage 5a: asks or declines honestly instead of answering from weak or missing evidence. */
export interface ClarificationStage {
  resolve(text: string, history: readonly StoredMessage[]): ClarifiedQuestion | undefined;
  unsure(input: UnsureInput): UnsureReply | undefined;
}

/** Stage 7: the handoff decision and the redacted summary an agent reads. */
export interface HandoffStage {
  decide(input: HandoffInput): (HandoffDecision & { readonly emotions: readonly string[] }) | undefined;
  summarize(input: {
    readonly transcript: readonly StoredMessage[];
    readonly decision: HandoffDecision;
    readonly intent: string;
    readonly topic?: string;
  }): HandoffSummary;
  /** What the customer is told when a person takes over. */
  customerMessage(decision: HandoffDecision): string;
  /**
   * True when a message an abuse rail refused still needs a person (a threat of violence or a
   * request for a person): the refusal stands and a person is brought in.
   */
  needsPersonDespiteRefusal?(text: string): boolean;
}

/** Where a new handoff is announced: the handoff module's sink (webhook, or a recording double). */
export type { HandoffEnvelope, HandoffSink, HandoffSummary } from './handoff-sink.js';
