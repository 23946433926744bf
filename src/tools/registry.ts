import type { ToolCall, ToolSpec } from '../generation/chat-model.js';
import type { PendingAction } from '../store/pending-action-store.js';
import type { ToolOutcome } from '../turn/types.js';
import { NotFoundForCustomerError, UpstreamError } from './core-banking/adapter.js';
import {
  type ToolAuditEvent,
  type ToolContext,
  type ToolDefinition,
  type ToolExecution,
  ToolRefusal,
} from './define-tool.js';
import { classifyConfirmationReply, createPendingAction, hashToolArguments } from './pending-actions.js';

/** Five minutes: long enough to read the question, short enough that a stale "yes" does nothing. */
export const DEFAULT_CONFIRMATION_TTL_MS = 5 * 60 * 1000;
/** Raw argument payloads above this size are refused before parsing. */
export const MAX_ARGUMENT_CHARACTERS = 2_000;

/** Argument names that try to choose whose data a tool reads: identity comes from the token only. */
const identityArgument = /customer|user|subject|principal|owner|holder|on_?behalf|impersonat/i;

/** The set of tools a conversation may use, looked up by name. Fails fast on duplicates. */
export class ToolRegistry {
  readonly #tools = new Map<string, ToolDefinition>();

  constructor(tools: readonly ToolDefinition[]) {
    for (const tool of tools) {
      if (this.#tools.has(tool.name)) throw new Error(`Tool ${tool.name} is registered twice`);
      this.#tools.set(tool.name, tool);
    }
  }

  get(name: string): ToolDefinition | undefined {
    return this.#tools.get(name);
  }

  list(): readonly ToolDefinition[] {
    return [...this.#tools.values()];
  }

  /** The tools as the model sees them: name, description and parameter schema, nothing else. */
  specs(): ToolSpec[] {
    return this.list().map((tool) => ({
      name: tool.name,
      description: tool.description,
      parameters: tool.parameters,
    }));
  }

  /** `executeToolCall` with this registry. */
  execute(call: Pick<ToolCall, 'name' | 'arguments'>, context: ToolContext): Promise<ToolOutcome> {
    return executeToolCall(call, context, this);
  }

  /** `resolvePendingAction` with this registry. */
  resolvePending(
    input: { text: string; actionId?: string },
    context: ToolContext,
  ): Promise<PendingResolution> {
    return resolvePendingAction(input, context, this);
  }
}

function outcome(tool: string, status: ToolOutcome['status'], message: string, data?: unknown): ToolOutcome {
  return { tool, status, facts: [], message, ...(data === undefined ? {} : { data }) };
}

function audit(context: ToolContext, event: Omit<ToolAuditEvent, 'subject' | 'conversationId' | 'at'>): void {
  context.audit({
    ...event,
    subject: context.principal.subject,
    conversationId: context.conversationId,
    at: (context.now?.() ?? new Date()).toISOString(),
  });
}

function refused(
  context: ToolContext,
  tool: string,
  reason: string,
  message: string,
  actionId?: string,
): ToolOutcome {
  audit(context, { type: 'tool.refused', tool, reason, ...(actionId ? { actionId } : {}) });
  return outcome(tool, 'refused', message);
}

function executionOf(context: ToolContext): ToolExecution {
  return {
    customerId: context.principal.subject,
    adapter: context.adapter,
    now: context.now?.() ?? new Date(),
  };
}

/** Model arguments arrive as an object or as a JSON string; anything else is not arguments. */
function readRawArguments(raw: unknown): { ok: true; value: unknown; size: number } | { ok: false } {
  if (raw === undefined || raw === null) return { ok: true, value: {}, size: 2 };
  if (typeof raw === 'string') {
    if (raw.length > MAX_ARGUMENT_CHARACTERS) return { ok: true, value: raw, size: raw.length };
    try {
      return { ok: true, value: JSON.parse(raw === '' ? '{}' : raw), size: raw.length };
    } catch {
      return { ok: false };
    }
  }
  try {
    return { ok: true, value: raw, size: JSON.stringify(raw)?.length ?? 0 };
  } catch {
    return { ok: false };
  }
}

const notFoundMessages: Record<NotFoundForCustomerError['resource'], string> = {
  account: "I can't find that account among your accounts.",
  card: "I can't find that card among your cards.",
  transaction: "I can't find that transaction on your accounts.",
  customer: "I can't find your customer record. Please contact us so we can check it.",
};

/**
 * Refuses a call without running it, and audits why. Exported for callers that refuse before a
 * tool is even looked up (e.g. the tool-calling loop's per-round limit).
 */
export function refuseToolCall(
  context: ToolContext,
  tool: string,
  reason: string,
  message: string,
): ToolOutcome {
  return refused(context, tool, reason, message);
}

/** Runs a tool whose checks already passed, turning every failure into a safe outcome. */
async function runGuarded(
  tool: ToolDefinition,
  context: ToolContext,
  work: () => Promise<ToolOutcome>,
  actionId?: string,
): Promise<ToolOutcome> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ToolRefusal)
      return refused(context, tool.name, error.reason, error.customerMessage, actionId);
    if (error instanceof NotFoundForCustomerError) {
      return refused(context, tool.name, 'not_owned', notFoundMessages[error.resource], actionId);
    }
    const reason = error instanceof UpstreamError ? `upstream_${error.code}` : 'internal_error';
    audit(context, { type: 'tool.failed', tool: tool.name, reason, ...(actionId ? { actionId } : {}) });
    return outcome(
      tool.name,
      'error',
      error instanceof UpstreamError
        ? 'Our banking system is not responding right now. Please try again in a few minutes.'
        : 'Something went wrong while looking that up. Please try again.',
    );
  }
}

/**
 * Executes one tool call requested by the model or mapped from the intent router. Validates the
 * raw arguments with the tool's strict schema, runs read tools at once and turns state-changing
 * tools into a pending action that only `resolvePendingAction` can execute. Never throws.
 */
export async function executeToolCall(
  call: Pick<ToolCall, 'name' | 'arguments'>,
  context: ToolContext,
  registry: ToolRegistry,
): Promise<ToolOutcome> {
  const name = typeof call.name === 'string' ? call.name.slice(0, 64) : 'unknown';
  if (!context.principal.roles.includes('customer')) {
    // Staff tokens never reach account tools: agents use their own console, not the customer's tools.
    return refused(context, name, 'not_a_customer', 'Account tools are only available to customers.');
  }
  const tool = registry.get(name);
  if (!tool) return refused(context, name, 'unknown_tool', "I can't do that here.");

  const raw = readRawArguments(call.arguments);
  if (!raw.ok) return refused(context, tool.name, 'invalid_arguments', "I couldn't understand that request.");
  if (raw.size > MAX_ARGUMENT_CHARACTERS) {
    return refused(context, tool.name, 'arguments_too_large', "I couldn't understand that request.");
  }
  if (raw.value && typeof raw.value === 'object' && !Array.isArray(raw.value)) {
    if (Object.keys(raw.value).some((key) => identityArgument.test(key))) {
      return refused(context, tool.name, 'identity_argument', 'I can only help with your own accounts.');
    }
  }
  const parsed = tool.parameters.safeParse(raw.value);
  if (!parsed.success)
    return refused(context, tool.name, 'invalid_arguments', "I couldn't understand that request.");
  const args = parsed.data as Record<string, unknown>;

  if (tool.risk === 'step_up' && !context.principal.stepUp) {
    return refused(
      context,
      tool.name,
      'step_up_required',
      'For your security, please verify it is you again in the app before I can do that.',
    );
  }

  if (tool.risk === 'read') {
    return runGuarded(tool, context, async () => {
      const result = await tool.execute(args, executionOf(context));
      audit(context, { type: 'tool.executed', tool: tool.name });
      return result;
    });
  }

  return runGuarded(tool, context, async () => {
    const execution = executionOf(context);
    const summary = await tool.prepare!(args, execution);
    const action = createPendingAction({
      customerId: context.principal.subject,
      conversationId: context.conversationId,
      tool: tool.name,
      arguments: args,
      summary,
      now: execution.now,
      ttlMs: context.confirmationTtlMs ?? DEFAULT_CONFIRMATION_TTL_MS,
    });
    await context.pendingActions.save(action);
    audit(context, { type: 'tool.confirmation_requested', tool: tool.name, actionId: action.id });
    return {
      tool: tool.name,
      status: 'needs_confirmation',
      facts: [`Please confirm: shall I ${summary}? Reply "yes" to go ahead or "no" to cancel.`],
      message: `Please confirm: shall I ${summary}?`,
      data: { pendingActionId: action.id, summary, expiresAt: action.expiresAt },
    };
  });
}

/** What happened to a conversation's pending action on this customer message. */
export type PendingResolution =
  /** Nothing was waiting (or the reply was not about it): route the message normally. */
  | { readonly kind: 'none' }
  /** The customer confirmed and the action ran (its outcome may still be refused or an error). */
  | { readonly kind: 'executed'; readonly outcome: ToolOutcome }
  /** The customer said no; the action is cancelled. */
  | { readonly kind: 'declined'; readonly outcome: ToolOutcome }
  /** A confirmation that must not run: expired, someone else's, another conversation's. */
  | { readonly kind: 'refused'; readonly outcome: ToolOutcome };

/**
 * Resolves a conversation's pending action against the customer's latest message. Call it
 * before routing each customer message. Only a clear "yes" from the same customer, in the same
 * conversation, before expiry, executes the stored call with its stored (hash-checked) arguments.
 * `actionId` is for clients that confirm with a button; it must still match all the bindings.
 * Any other message withdraws the question (`none`: route it on its own). Every resolution
 * outcome is marked (`outcome.confirmation`), so whichever generator writes the answer states
 * what happened to the customer's action as it is.
 */
export async function resolvePendingAction(
  input: { text: string; actionId?: string },
  context: ToolContext,
  registry: ToolRegistry,
): Promise<PendingResolution> {
  const resolution = await resolveAgainstPending(input, context, registry);
  if (resolution.kind === 'none') return resolution;
  return { ...resolution, outcome: { ...resolution.outcome, confirmation: resolution.kind } };
}

async function resolveAgainstPending(
  input: { text: string; actionId?: string },
  context: ToolContext,
  registry: ToolRegistry,
): Promise<PendingResolution> {
  const action: PendingAction | undefined = input.actionId
    ? await context.pendingActions.get(input.actionId)
    : await context.pendingActions.latestFor(context.conversationId);
  const reply = classifyConfirmationReply(input.text, action?.tool);
  if (action && !context.principal.roles.includes('customer')) {
    return {
      kind: 'refused',
      outcome: refused(
        context,
        action.tool,
        'not_a_customer',
        'Account tools are only available to customers.',
        action.id,
      ),
    };
  }
  if (!action) {
    if (input.actionId) {
      const outcomeRefused = refused(
        context,
        'confirmation',
        'unknown_action',
        'There is nothing waiting for your confirmation.',
      );
      return { kind: 'refused', outcome: outcomeRefused };
    }
    return { kind: 'none' };
  }
  if (action.customerId !== context.principal.subject || action.conversationId !== context.conversationId) {
    // Somebody else's action, or one from another conversation: never execute, never delete it
    // on their behalf, and say nothing about what it was.
    const reason =
      action.customerId !== context.principal.subject
        ? 'confirmation_other_customer'
        : 'confirmation_other_conversation';
    return {
      kind: 'refused',
      outcome: refused(
        context,
        'confirmation',
        reason,
        'There is nothing waiting for your confirmation.',
        action.id,
      ),
    };
  }
  if (!isLatestQuestion(action, context.history)) {
    // The question is no longer the last thing the customer saw: a "yes" now would confirm
    // something they may not be looking at. Withdraw it; a bare yes is told so.
    await withdraw(context, action, 'question_not_latest');
    if (reply !== 'confirm') return { kind: 'none' };
    return {
      kind: 'refused',
      outcome: refused(
        context,
        action.tool,
        'confirmation_stale',
        'There is nothing waiting for your confirmation any more. Please tell me again what you would like me to do.',
        action.id,
      ),
    };
  }
  if (reply === 'unclear') {
    // Not an answer to the question: the question is withdrawn and the message is handled on
    // its own (a new state change then asks a new question about its own target).
    await withdraw(context, action, 'not_an_answer');
    return { kind: 'none' };
  }
  await context.pendingActions.delete(action.id);
  const now = context.now?.() ?? new Date();
  if (reply === 'decline') {
    audit(context, { type: 'tool.declined', tool: action.tool, actionId: action.id });
    return {
      kind: 'declined',
      // Not `ok`: nothing was done, and clients reading `tools` must not see the action as run.
      outcome: {
        tool: action.tool,
        status: 'refused',
        facts: [],
        message: `Cancelled: I won't ${action.summary}.`,
      },
    };
  }
  if (now.toISOString() > action.expiresAt) {
    return {
      kind: 'refused',
      outcome: refused(
        context,
        action.tool,
        'confirmation_expired',
        'That request has expired for your security. Please ask again if you still want to go ahead.',
        action.id,
      ),
    };
  }
  const tool = registry.get(action.tool);
  if (!tool || hashToolArguments(action.tool, action.arguments) !== action.argumentsHash) {
    return {
      kind: 'refused',
      outcome: refused(context, action.tool, 'confirmation_tampered', 'Please ask again.', action.id),
    };
  }
  if (tool.risk === 'step_up' && !context.principal.stepUp) {
    return {
      kind: 'refused',
      outcome: refused(
        context,
        tool.name,
        'step_up_required',
        'For your security, please verify it is you again in the app before I can do that.',
        action.id,
      ),
    };
  }
  const parsed = tool.parameters.safeParse(action.arguments);
  if (!parsed.success) {
    return {
      kind: 'refused',
      outcome: refused(context, tool.name, 'invalid_arguments', 'Please ask again.', action.id),
    };
  }
  audit(context, { type: 'tool.confirmed', tool: tool.name, actionId: action.id });
  const result = await runGuarded(
    tool,
    context,
    async () => {
      // prepare() again: ownership and state are re-checked at execution time, not trusted from
      // before, and the question it would ask now must be the one the customer said yes to (same
      // action, same card, same amount); if anything moved, nothing runs.
      const question = await tool.prepare!(parsed.data, executionOf(context));
      if (question !== action.summary) {
        throw new ToolRefusal(
          'confirmation_changed',
          'Something changed since I asked, so I have not done it. Please ask again if you still want to go ahead.',
        );
      }
      const executed = await tool.execute(parsed.data, executionOf(context));
      audit(context, { type: 'tool.executed', tool: tool.name, actionId: action.id });
      return executed;
    },
    action.id,
  );
  return { kind: 'executed', outcome: result };
}

/**
 * True when the last message before this one is the assistant's confirmation question, asked
 * no earlier than the action was created. Without a history (callers outside a conversation
 * turn) there is nothing to compare, and only the store's one-action-per-conversation rule holds.
 */
function isLatestQuestion(action: PendingAction, history: ToolContext['history']): boolean {
  if (!history) return true;
  const last = history.at(-1);
  return (
    last?.author === 'assistant' &&
    last.metadata?.outcome === 'confirmation_required' &&
    last.createdAt >= action.createdAt
  );
}

async function withdraw(context: ToolContext, action: PendingAction, reason: string): Promise<void> {
  await context.pendingActions.delete(action.id);
  audit(context, { type: 'tool.confirmation_cleared', tool: action.tool, actionId: action.id, reason });
}
