import type { z } from 'zod';
import type { PendingActionStore } from '../store/pending-action-store.js';
import type { Principal, StoredMessage, ToolOutcome } from '../turn/types.js';
import type { CoreBankingAdapter } from './core-banking/adapter.js';

/**
 * How much a tool can change: `read` runs at once; `write` needs the customer's explicit
 * confirmation in a later message; `step_up` also needs a recent strong re-authentication.
 */
export type ToolRisk = 'read' | 'write' | 'step_up';

/** What tools record for audit. Never carries raw PII: ids, tool names and reasons only. */
export interface ToolAuditEvent {
  readonly type:
    | 'tool.executed'
    | 'tool.refused'
    | 'tool.failed'
    | 'tool.confirmation_requested'
    | 'tool.confirmed'
    | 'tool.declined'
    /** The customer's message was not an answer to the question, so the question was withdrawn. */
    | 'tool.confirmation_cleared';
  readonly tool: string;
  /** The verified token subject the call ran for. */
  readonly subject: string;
  readonly conversationId: string;
  /** Why a call was refused or failed, e.g. `not_owned`, `identity_argument`, `step_up_required`. */
  readonly reason?: string;
  readonly actionId?: string;
  readonly at: string;
}

/**
 * Everything a tool call runs with. The customer comes from the verified token (`principal`),
 * never from model arguments; the model never sees this object.
 */
export interface ToolContext {
  readonly principal: Principal;
  readonly conversationId: string;
  readonly adapter: CoreBankingAdapter;
  readonly audit: (event: ToolAuditEvent) => void;
  /** Where pending state-changing actions wait for the customer's confirmation. */
  readonly pendingActions: PendingActionStore;
  /**
   * The conversation before the current customer message, oldest first. When given, a pending
   * action is only confirmable if the last message is the assistant's question itself: any turn
   * in between (even one an input rail stopped before the tools ran) withdraws it.
   */
  readonly history?: readonly Pick<StoredMessage, 'author' | 'createdAt' | 'metadata'>[];
  /** How long a pending action may be confirmed; five minutes unless configured. */
  readonly confirmationTtlMs?: number;
  readonly now?: () => Date;
}

/** The slice of the context a tool's own code sees: the customer id is already resolved. */
export interface ToolExecution {
  readonly customerId: string;
  readonly adapter: CoreBankingAdapter;
  readonly now: Date;
}

/**
 * A tool refused a request on purpose (not owned, wrong state, needs clarification). Thrown by
 * tools, turned into a `refused` outcome and audited by `executeToolCall`.
 */
export class ToolRefusal extends Error {
  override readonly name = 'ToolRefusal';
  constructor(
    readonly reason: string,
    readonly customerMessage: string,
  ) {
    super(customerMessage);
  }
}

/** One tool: plain data plus an `execute` that returns customer-safe, masked facts. */
export interface ToolDefinition<Parameters extends z.ZodObject = z.ZodObject> {
  readonly name: string;
  readonly description: string;
  /** A strict zod object: unknown keys (such as a smuggled `customerId`) are rejected. */
  readonly parameters: Parameters;
  readonly risk: ToolRisk;
  /**
   * For `write` and `step_up` tools: checks the request (ownership, state) and describes it for
   * the confirmation question, e.g. "freeze your Visa debit card ending 4821". Nothing changes.
   */
  readonly prepare?: (args: z.infer<Parameters>, execution: ToolExecution) => Promise<string>;
  readonly execute: (args: z.infer<Parameters>, execution: ToolExecution) => Promise<ToolOutcome>;
}

/** Declares a tool; exists for type inference of `args` from `parameters`. */
export function defineTool<Parameters extends z.ZodObject>(
  definition: ToolDefinition<Parameters>,
): ToolDefinition<Parameters> {
  if (definition.risk !== 'read' && !definition.prepare) {
    throw new Error(
      `Tool ${definition.name} changes state and must define prepare() for its confirmation question`,
    );
  }
  return definition;
}

/**
 * What a tool outcome may ask of the pipeline besides an answer: open a human handoff case.
 * Carried as `outcome.data.handoff`; read it with `handoffRequestOf`.
 */
export interface ToolHandoffRequest {
  readonly reason: 'sensitive_topic' | 'tool_requested';
  readonly priority: 'low' | 'normal' | 'high' | 'urgent';
  /** Why, for the agent (masked references only). */
  readonly explanation: string;
}

/** Returns the handoff a tool outcome asks for, if any. */
export function handoffRequestOf(outcome: ToolOutcome): ToolHandoffRequest | undefined {
  const data = outcome.data as { handoff?: ToolHandoffRequest } | undefined;
  return outcome.status === 'ok' && data?.handoff ? data.handoff : undefined;
}
