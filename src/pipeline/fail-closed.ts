import type { InputRailsStage, OutputRailsStage } from '../turn/stages.js';
import type { GuardrailVerdict } from '../turn/types.js';
import { CUSTOMER_MESSAGES } from './messages.js';

type InputOutcome = Awaited<ReturnType<InputRailsStage['check']>>;
type OutputOutcome = Awaited<ReturnType<OutputRailsStage['check']>>;

/**
 * A guardrail stage that crashes must never let a message through. These wrappers turn a thrown
 * error into a blocking verdict that records the crash (its class only: messages may hold data).
 */
export async function failClosedInput(check: () => Promise<InputOutcome>): Promise<InputOutcome> {
  try {
    return await check();
  } catch (error) {
    const verdict = crashVerdict('input_rails', error, CUSTOMER_MESSAGES.guardrailUnavailable);
    return { verdicts: [verdict], blocked: verdict };
  }
}

export async function failClosedOutput(check: () => Promise<OutputOutcome>): Promise<OutputOutcome> {
  try {
    return await check();
  } catch (error) {
    const verdict = crashVerdict('output_rails', error, CUSTOMER_MESSAGES.safeFallback);
    return {
      verdicts: [verdict],
      blocked: verdict,
      finalText: CUSTOMER_MESSAGES.safeFallback,
      citations: [],
      groundedness: 0,
    };
  }
}

function crashVerdict(guardrail: string, error: unknown, customerMessage: string): GuardrailVerdict {
  const kind = error instanceof Error ? error.name : typeof error;
  return {
    guardrail,
    tripped: true,
    action: 'refuse',
    rule: 'guardrail_crashed',
    reason: `The ${guardrail} stage failed (${kind}); failing closed.`,
    customerMessage,
  };
}
