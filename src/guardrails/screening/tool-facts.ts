import type { ToolOutcome } from '../../turn/types.js';
import { untrustedTextScreen } from './untrusted-text.js';

/**
 * Bank data is untrusted text too (a payee name can carry instructions): such facts are dropped
 * from the outcome, which is kept. Verdicts are remembered per fact text, since the same
 * transactions are listed turn after turn.
 */
export function toolFactScreen(): (outcomes: readonly ToolOutcome[]) => readonly ToolOutcome[] {
  const screen = untrustedTextScreen();
  return (outcomes) =>
    outcomes.map((outcome) => {
      const facts = outcome.facts.filter((fact) => !screen(fact));
      return facts.length === outcome.facts.length ? outcome : { ...outcome, facts };
    });
}
