import { isConfidentHandoffRequest } from '../generation/grounded-composer.js';
import { CustomerMessage, createTurnContext } from '../turn/turn-context.js';
import type { GuardrailVerdict, HandoffDecision, TurnResult } from '../turn/types.js';
import { failClosedInput, failClosedOutput } from './fail-closed.js';
import { finishTurn, type TurnEnding } from './finish-turn.js';
import { CUSTOMER_MESSAGES } from './messages.js';
import { StageTimer } from './stage-timer.js';
import type { TurnDependencies, TurnInput } from './turn-dependencies.js';

export type { TurnDependencies, TurnInput } from './turn-dependencies.js';

/**
 * One chat turn: redact → input rails → route and retrieve → tools → generate → output rails →
 * handoff decision → persist. Orchestration only; each stage lives behind its seam.
 */
export async function runTurn(dependencies: TurnDependencies, input: TurnInput): Promise<TurnResult> {
  const { conversation } = input;
  const timer = new StageTimer();
  const redacted = await timer.measureAsync('redaction', () =>
    dependencies.privacy.redactMessage(conversation.id, input.text),
  );
  // From here on every stage reads the redacted message, and what they share, from this context.
  const { conversationId, principal, requestId, message } = createTurnContext({
    conversationId: conversation.id,
    requestId: input.requestId,
    principal: input.principal,
    redactedText: redacted.redactedText,
  });
  const history = await dependencies.conversations.messages(conversationId, 20);
  // The customer's message is stored by the closing transaction, with the answer: a turn that
  // fails on the way leaves nothing half-written, and a network database one round trip less.
  const finish = (ending: Omit<TurnEnding, 'customerEntities'>) =>
    finishTurn(dependencies, input, timer, { ...ending, customerEntities: redacted.entities });

  if (conversation.status === 'handed_off') {
    return finish({
      text: CUSTOMER_MESSAGES.agentPending,
      outcome: 'agent_pending',
      verdicts: [],
      question: message.text,
    });
  }

  // A short reply choosing a topic Teller offered ("the second one") is answered as that topic.
  const clarified = dependencies.clarification?.resolve(message.text, history);
  const asked = clarified ? new CustomerMessage(clarified.query) : message;
  const question = asked.text;
  const inputRails = await timer.measureAsync('input_rails', () =>
    failClosedInput(() =>
      // A resolved reply is only ever used as the chosen title with the question asked before, so
      // that is what is screened (a bare "the second one" reads as off-topic on its own).
      dependencies.inputRails.check({ conversationId, message: asked, history }),
    ),
  );
  timer.noteRules('input_rails', trippedRuleIds(inputRails.verdicts));
  const handoffContext = { message, history, verdicts: inputRails.verdicts };
  if (inputRails.blocked) {
    const blocked = inputRails.blocked;
    const consultHandoff =
      blocked.action === 'handoff' ||
      (blocked.guardrail === 'abuse' &&
        dependencies.handoff.needsPersonDespiteRefusal?.(message.text) === true);
    const decision = consultHandoff
      ? dependencies.handoff.decide({ ...handoffContext, ...blockedSignals })
      : undefined;
    return finish({
      text: blocked.customerMessage ?? CUSTOMER_MESSAGES.refusal,
      outcome: decision ? 'handoff' : 'refusal',
      verdicts: inputRails.verdicts,
      decision: decision ?? (blocked.action === 'handoff' ? guardrailHandoff(blocked) : undefined),
      question: message.text,
    });
  }

  const route = await timer.measureAsync('routing', () =>
    dependencies.router.route(question, history, conversationId),
  );
  const day = dependencies.now().toISOString().slice(0, 10);
  const [retrieval, toolOutcomes] = await Promise.all([
    timer.measureAsync('retrieval', () =>
      route.kind === 'tool' && !clarified
        ? Promise.resolve({ passages: [], confidence: 1 })
        : dependencies.retrieval.search(question, {
            day,
            ...(route.topic && { topic: route.topic }),
          }),
    ),
    timer.measureAsync('tools', () =>
      // A chosen topic is a policy question: a title never proposes an account action.
      clarified
        ? Promise.resolve([])
        : dependencies.tools.run({
            principal,
            conversationId,
            requestId,
            text: message.text,
            route,
            history,
          }),
    ),
  ]);

  const unsure =
    clarified ||
    toolOutcomes.length > 0 ||
    route.kind === 'tool' ||
    route.kind === 'conversation' ||
    isConfidentHandoffRequest(route)
      ? undefined
      : dependencies.clarification?.unsure({
          text: question,
          route,
          passages: retrieval.passages,
          retrievalConfidence: retrieval.confidence,
        });
  if (unsure) {
    // Nothing is drafted: the reply is the policy's or the offered titles' own words. A person joins
    // only when the handoff triggers say so (asked for, or the second unanswered attempt).
    const decision = timer.measure('handoff', () =>
      dependencies.handoff.decide({
        ...handoffContext,
        route,
        retrievalConfidence: retrieval.confidence,
        groundedness: 1,
        toolOutcomes: [],
        answered: false,
      }),
    );
    // A question offering topics makes no sense once a person is taking over.
    const asks = unsure.kind === 'clarify' && !decision;
    return finish({
      text: unsure.kind === 'clarify' && decision ? CUSTOMER_MESSAGES.notFound : unsure.text,
      outcome: decision ? 'handoff' : 'answer',
      verdicts: inputRails.verdicts,
      decision,
      intent: route.intent,
      ...(route.topic && { topic: route.topic }),
      question: message.text,
      routed: true,
      metadata: {
        kind: asks ? 'clarify' : 'declined',
        rule: unsure.rule,
        ...(asks && { options: unsure.options, question: unsure.question }),
      },
    });
  }

  const draft = await timer.measureAsync('generation', () =>
    dependencies.generation.generate({
      principal,
      conversationId,
      requestId,
      text: question,
      history,
      route,
      passages: retrieval.passages,
      toolOutcomes,
    }),
  );
  const allToolOutcomes = [...toolOutcomes, ...(draft.toolOutcomes ?? [])];

  const output = await timer.measureAsync('output_rails', () =>
    failClosedOutput(() =>
      dependencies.outputRails.check({
        conversationId,
        customerText: question,
        draft,
        route,
        passages: retrieval.passages,
        toolOutcomes: allToolOutcomes,
      }),
    ),
  );

  timer.noteRules('output_rails', trippedRuleIds(output.verdicts));
  const verdicts = [...inputRails.verdicts, ...output.verdicts];
  const decision = timer.measure('handoff', () =>
    dependencies.handoff.decide({
      ...handoffContext,
      verdicts,
      route,
      // The customer chose the topic themselves: its document is the right one, however weakly it matched.
      retrievalConfidence: clarified ? 1 : retrieval.confidence,
      groundedness: output.groundedness,
      toolOutcomes: allToolOutcomes,
      answered: !output.blocked,
    }),
  );
  const needsConfirmation = allToolOutcomes.some((outcome) => outcome.status === 'needs_confirmation');
  return finish({
    text: output.blocked?.customerMessage ?? output.finalText,
    outcome: decision
      ? 'handoff'
      : output.blocked
        ? 'refusal'
        : needsConfirmation
          ? 'confirmation_required'
          : 'answer',
    verdicts,
    citations: output.citations,
    toolOutcomes: allToolOutcomes,
    decision,
    intent: route.intent,
    ...(route.topic && { topic: route.topic }),
    question: message.text,
    declined: draft.declined === true && !output.blocked,
    routed: true,
  });
}

/** The `guardrail:rule` ids of the verdicts that tripped, as logs, audit and traces name them. */
function trippedRuleIds(verdicts: readonly GuardrailVerdict[]): string[] {
  return verdicts
    .filter((verdict) => verdict.tripped)
    .map((verdict) => `${verdict.guardrail}:${verdict.rule ?? ''}`);
}

/** Signals used when an input rail already asked for a handoff: nothing else ran. */
const blockedSignals = {
  route: { intent: 'unknown', confidence: 0, kind: 'unknown' },
  retrievalConfidence: 0,
  groundedness: 1,
  toolOutcomes: [],
  answered: false,
} as const;

function guardrailHandoff(verdict: GuardrailVerdict): HandoffDecision & { emotions: readonly string[] } {
  return {
    reason: 'guardrail',
    priority: 'high',
    explanation: `Input rail ${verdict.guardrail} (${verdict.rule ?? 'rule'}) asked for a person.`,
    emotions: [],
  };
}
