import { classifyTurnKind } from '../turn/turn-kind.js';
import type { GuardrailVerdict, HandoffDecision, TurnResult } from '../turn/types.js';
import { admitHandoff, type HandoffAdmission } from './handoff-limit.js';
import { CUSTOMER_MESSAGES } from './messages.js';
import type { StageTimer } from './stage-timer.js';
import type { TurnDependencies, TurnInput } from './turn-dependencies.js';

export interface TurnEnding {
  readonly text: string;
  readonly outcome: TurnResult['outcome'];
  readonly verdicts: readonly GuardrailVerdict[];
  readonly citations?: TurnResult['citations'];
  readonly toolOutcomes?: TurnResult['toolOutcomes'];
  readonly decision?: (HandoffDecision & { readonly emotions?: readonly string[] }) | undefined;
  readonly intent?: string;
  readonly topic?: string;
  /** The customer's redacted message this turn answers, stored in the closing transaction. */
  readonly question: string;
  /** The entity types redacted from it, stored with it. */
  readonly customerEntities: readonly string[];
  /** The generator said it had no approved information (an honest decline). */
  readonly declined?: boolean;
  /** Whether the router ran (its version is recorded only then). */
  readonly routed?: boolean;
  /** Extra facts for the stored assistant message, e.g. `kind: 'clarify'` and the topics offered. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** Persists the answer, opens a handoff when decided, audits the turn and shapes the result. */
export async function finishTurn(
  dependencies: TurnDependencies,
  input: TurnInput,
  timer: StageTimer,
  ending: TurnEnding,
): Promise<TurnResult> {
  const { conversation, principal, requestId } = input;
  const startedPersisting = performance.now();
  const trippedRules = ending.verdicts
    .filter((verdict) => verdict.tripped)
    .map((verdict) => ({
      guardrail: verdict.guardrail,
      rule: verdict.rule,
      action: verdict.action,
      reason: verdict.reason,
    }));
  const decision = ending.decision;
  // The answer, the handoff it opens and the audit record are stored together or not at all: one
  // transaction (and one turn of the write lock that worker processes share) instead of four. The
  // handoff limit is counted inside it, so the count and the record it allows land together.
  const { message, opened, text, outcome } = await dependencies.atomically(async () => {
    const admission = decision && (await admitHandoff(dependencies, input, decision));
    const held = admission && admission.kind !== 'open' ? admission : undefined;
    const text = closingText(dependencies, ending, held).trim();
    const outcome: TurnResult['outcome'] = held ? 'agent_pending' : ending.outcome;
    const stored = await dependencies.conversations.appendMessages(conversation.id, [
      { author: 'customer', text: ending.question, metadata: { entities: ending.customerEntities } },
      {
        author: 'assistant',
        text,
        metadata: {
          ...ending.metadata,
          outcome,
          citations: ending.citations ?? [],
          rules: trippedRules.map((rule) => `${rule.guardrail}:${rule.rule ?? ''}`),
        },
      },
    ]);
    const message = stored[1]!;
    const opened = decision && !held ? await openHandoff(dependencies, input, decision, ending) : undefined;
    await dependencies.turnRecords.record({
      id: message.id,
      conversationId: conversation.id,
      customerId: principal.subject,
      createdAt: message.createdAt,
      outcome,
      kind: classifyTurnKind({
        outcome,
        citationCount: ending.citations?.length ?? 0,
        toolOutcomes: ending.toolOutcomes ?? [],
        declined: ending.declined === true || ending.metadata?.kind === 'declined',
        askedToChoose: ending.metadata?.kind === 'clarify',
      }),
      intent: ending.intent ?? null,
      topic: ending.topic ?? null,
      handoffReason: opened?.record.reason ?? null,
      handoffPriority: opened?.record.priority ?? null,
      rules: trippedRules.map((rule) => `${rule.guardrail}:${rule.rule ?? ''}`),
      citations: (ending.citations ?? []).map((citation) => `${citation.documentId}@${citation.version}`),
      question: ending.question,
      routerVersion: ending.routed ? (dependencies.routerVersion ?? null) : null,
    });
    if (decision && held) {
      await dependencies.audit.record({
        actor: principal.subject,
        action: 'handoff.rate_limited',
        subject: conversation.id,
        requestId,
        details: {
          reason: decision.reason,
          priority: decision.priority,
          openedInWindow: held.openedInWindow,
          limit: dependencies.handoffLimit.count,
          windowSeconds: dependencies.handoffLimit.windowSeconds,
          joinedHandoff: held.kind === 'joined' ? held.existing.id : null,
        },
      });
    }
    await dependencies.audit.record({
      actor: principal.subject,
      action: 'turn.completed',
      subject: conversation.id,
      requestId,
      details: {
        outcome,
        intent: ending.intent ?? null,
        routerVersion: ending.routed ? (dependencies.routerVersion ?? null) : null,
        trippedRules,
        citations: (ending.citations ?? []).map((citation) => `${citation.documentId}@${citation.version}`),
        tools: (ending.toolOutcomes ?? []).map((outcome) => `${outcome.tool}:${outcome.status}`),
        handoff: opened
          ? { id: opened.record.id, reason: opened.record.reason, priority: opened.record.priority }
          : null,
      },
    });
    await input.closingWrites?.();
    return { message, opened, text, outcome };
  });
  timer.record('persistence', performance.now() - startedPersisting);

  let handoff: TurnResult['handoff'];
  if (opened) {
    const { record, summary } = opened;
    handoff = {
      reason: record.reason,
      priority: record.priority,
      explanation: record.explanation,
      handoffId: record.id,
    };
    // Delivery never blocks the answer; the sink retries on its own and reports, never throws.
    void dependencies.handoffSink
      .deliver({
        handoffId: record.id,
        conversationId: record.conversationId,
        decision: { reason: record.reason, priority: record.priority, explanation: record.explanation },
        summary,
        createdAt: record.createdAt,
      })
      .then((result) => {
        if (!result.delivered) {
          dependencies.logger.warn('handoff delivery failed', {
            handoffId: record.id,
            attempts: result.attempts,
            error: result.error,
          });
        }
      })
      .catch((error: unknown) =>
        dependencies.logger.error('handoff sink failed', { handoffId: record.id, error: String(error) }),
      );
  }
  dependencies.telemetry?.turnFinished({
    requestId,
    conversationId: conversation.id,
    outcome,
    startedAt: timer.startedAt(),
    endedAt: performance.timeOrigin + performance.now(),
    stages: timer.intervals(),
    rules: trippedRules.map((rule) => ({ guardrail: rule.guardrail, rule: rule.rule ?? 'unnamed' })),
    tools: (ending.toolOutcomes ?? []).map((tool) => `${tool.tool}:${tool.status}`),
    ...(ending.intent && { intent: ending.intent }),
    ...(opened && { handoff: { reason: opened.record.reason, priority: opened.record.priority } }),
  });
  dependencies.logger.info('turn completed', {
    requestId,
    conversationId: conversation.id,
    outcome,
    rules: trippedRules.map((rule) => `${rule.guardrail}:${rule.rule ?? ''}`),
    timings: timer.snapshot(),
  });

  return {
    conversationId: conversation.id,
    messageId: message.id,
    text: await dependencies.privacy.restoreForCustomer(conversation.id, text),
    citations: ending.citations ?? [],
    outcome,
    ...(handoff && { handoff }),
    toolOutcomes: ending.toolOutcomes ?? [],
    verdicts: ending.verdicts,
    timings: timer.snapshot(),
  };
}

/**
 * The answer plus what happens next: the handoff notice when one opens, the stand-down notice
 * when the message joins this conversation's waiting handoff, or the limit notice otherwise.
 */
function closingText(
  dependencies: TurnDependencies,
  ending: TurnEnding,
  held: Exclude<HandoffAdmission, { kind: 'open' }> | undefined,
): string {
  if (held) {
    const notice = held.kind === 'joined' ? CUSTOMER_MESSAGES.agentPending : CUSTOMER_MESSAGES.handoffLimited;
    return `${ending.text}\n\n${notice}`;
  }
  return ending.decision
    ? `${ending.text}\n\n${dependencies.handoff.customerMessage(ending.decision)}`
    : ending.text;
}

/** Queues the conversation for a person with a redacted summary and marks it handed off. */
async function openHandoff(
  dependencies: TurnDependencies,
  input: TurnInput,
  decision: NonNullable<TurnEnding['decision']>,
  ending: TurnEnding,
) {
  const summary = dependencies.handoff.summarize({
    transcript: await dependencies.conversations.messages(input.conversation.id, 30),
    decision,
    intent: ending.intent ?? 'unknown',
    ...(ending.topic && { topic: ending.topic }),
  });
  const record = await dependencies.handoffQueue.open({
    conversationId: input.conversation.id,
    customerId: input.principal.subject,
    reason: decision.reason,
    priority: decision.priority,
    explanation: decision.explanation,
    summary: summary.text,
    intent: ending.intent ?? null,
    emotions: summary.emotions,
  });
  await dependencies.conversations.setStatus(input.conversation.id, 'handed_off');
  return { record, summary };
}
