/**
 * The handoff decision: run every trigger, return the most urgent proposal (or undefined when
 * Teller should keep answering). The explanation names every trigger that fired, so an agent sees
 * the whole picture, not only the winning reason.
 */
import type { HandoffDecision, HandoffPriority } from '../turn/types.js';
import { DEFAULT_TRIGGERS, type HandoffInput, type HandoffTrigger, type TriggerContext } from './triggers.js';

const RANK: Readonly<Record<HandoffPriority, number>> = { urgent: 3, high: 2, normal: 1, low: 0 };

export interface DecideHandoffOptions extends TriggerContext {
  readonly triggers?: readonly HandoffTrigger[];
}

/** All proposals, in trigger order. Useful for evals and audit. */
export function collectHandoffProposals(
  input: HandoffInput,
  options: DecideHandoffOptions,
): HandoffDecision[] {
  return (options.triggers ?? DEFAULT_TRIGGERS)
    .map((trigger) => trigger(input, options))
    .filter((decision): decision is HandoffDecision => decision !== undefined);
}

/** The highest-priority handoff decision for this turn, or undefined. */
export function decideHandoff(
  input: HandoffInput,
  options: DecideHandoffOptions,
): HandoffDecision | undefined {
  const proposals = collectHandoffProposals(input, options);
  if (proposals.length === 0) return undefined;
  const winner = proposals.reduce((best, candidate) =>
    RANK[candidate.priority] > RANK[best.priority] ? candidate : best,
  );
  const others = proposals.filter((proposal) => proposal !== winner).map((proposal) => proposal.reason);
  return others.length === 0
    ? winner
    : { ...winner, explanation: `${winner.explanation} Also: ${[...new Set(others)].join(', ')}.` };
}
