import type { ToolOutcome, TurnKind, TurnResult } from './types.js';

/** What the pipeline knows about a finished turn that says what kind of turn it was. */
export interface TurnKindSignals {
  readonly outcome: TurnResult['outcome'];
  readonly citationCount: number;
  readonly toolOutcomes: readonly Pick<ToolOutcome, 'status'>[];
  /** The generator found nothing approved to answer from and said so. */
  readonly declined: boolean;
  /** Teller was unsure and asked the customer to choose between the closest topics. */
  readonly askedToChoose?: boolean;
}

/**
 * The kind of a turn, from its outcome first (a refusal or handoff is that, whatever was drafted),
 * then from what the answer rests on: a missing detail asked for, an account tool, an honest
 * decline, cited documents. An answer resting on none of these is small talk ("other").
 */
export function classifyTurnKind({
  outcome,
  citationCount,
  toolOutcomes,
  declined,
  askedToChoose = false,
}: TurnKindSignals): TurnKind {
  switch (outcome) {
    case 'handoff':
      return 'handoff';
    case 'refusal':
      return 'refused';
    case 'confirmation_required':
      return 'action';
    case 'agent_pending':
      return 'other';
    case 'answer':
      if (askedToChoose || toolOutcomes.some((tool) => tool.status === 'needs_information')) return 'clarify';
      if (toolOutcomes.length > 0) return 'action';
      if (declined) return 'declined';
      return citationCount > 0 ? 'answered' : 'other';
  }
}
