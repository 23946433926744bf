/**
 * Runs guardrail lists. Input rails run cheapest first and stop at the first blocking verdict, so
 * expensive checks (and retrieval, and the model) are never paid for a message already refused.
 * Output rails run in cost order too; a `rewrite` verdict hands its corrected text to the next rail.
 * A rail that throws never lets the turn through: the runner records a `GuardrailExecutionError`
 * and returns a safe refusal (or handoff) verdict in its place — it fails closed.
 */
import type { GuardrailVerdict } from '../turn/types.js';
import { RailRun } from './rail-run.js';
import {
  type Guardrail,
  GuardrailExecutionError,
  type InputGuardrail,
  type InputRailInput,
  isBlocking,
  type OutputGuardrail,
  type OutputRailInput,
} from './types.js';

/** Customer text used when a rail crashed and we cannot know whether the message was safe. */
export const DEFAULT_FAIL_CLOSED_MESSAGE =
  "Sorry, I can't help with that right now. I've passed your message to a colleague who will pick it up.";

export interface RunnerOptions {
  /** What a crashed rail turns into. `handoff` (default) keeps the customer served by a person. */
  readonly failClosedAction?: 'refuse' | 'handoff';
  readonly failClosedMessage?: string;
  /** Told about every crash, so the composition root can log it (the error never reaches the customer). */
  readonly onError?: (error: GuardrailExecutionError) => void;
}

export interface InputRailsResult {
  readonly verdicts: readonly GuardrailVerdict[];
  /** The first blocking verdict, when the turn must not proceed to retrieval and generation. */
  readonly blocked?: GuardrailVerdict;
  readonly errors: readonly GuardrailExecutionError[];
}

export interface OutputRailsResult {
  readonly verdicts: readonly GuardrailVerdict[];
  /** Text to send: the (possibly rewritten) answer, or the blocking verdict's customer message. */
  readonly finalText: string;
  readonly blocked?: GuardrailVerdict;
  readonly errors: readonly GuardrailExecutionError[];
}

function byCost<Input>(rails: readonly Guardrail<Input>[]): Guardrail<Input>[] {
  // Stable sort keeps the declared order among rails of equal cost.
  return [...rails].sort((left, right) => left.cost - right.cost);
}

interface Executed {
  readonly verdict: GuardrailVerdict;
  readonly error?: GuardrailExecutionError;
}

/** The verdict standing in for a rail that crashed. */
function failClosed(railName: string, cause: unknown, options: RunnerOptions): Executed {
  const error = new GuardrailExecutionError(railName, { cause });
  options.onError?.(error);
  const verdict: GuardrailVerdict = {
    guardrail: railName,
    tripped: true,
    action: options.failClosedAction ?? 'handoff',
    rule: 'guardrail_execution_error',
    reason: `guardrail "${railName}" crashed; failing closed`,
    customerMessage: options.failClosedMessage ?? DEFAULT_FAIL_CLOSED_MESSAGE,
  };
  return { verdict, error };
}

/**
 * Executes one rail, turning a throw or a rejection into a fail-closed verdict. Most rails answer
 * synchronously, and their verdict is used at once instead of after a trip through the microtask
 * queue; a rail that returns a promise is awaited.
 */
function executeSafely<Input>(
  rail: Guardrail<Input>,
  input: Input,
  run: RailRun,
  options: RunnerOptions,
): Executed | Promise<Executed> {
  let result: ReturnType<Guardrail<Input>['execute']>;
  try {
    result = rail.execute(input, run);
  } catch (cause) {
    return failClosed(rail.name, cause, options);
  }
  if (typeof (result as { then?: unknown }).then === 'function') {
    return Promise.resolve(result).then(
      (verdict) => ({ verdict }),
      (cause: unknown) => failClosed(rail.name, cause, options),
    );
  }
  return { verdict: result as GuardrailVerdict };
}

/** Runs input rails cheapest first; stops at the first refusal or handoff. */
export async function runInputRails(
  rails: readonly InputGuardrail[],
  input: InputRailInput,
  options: RunnerOptions = {},
): Promise<InputRailsResult> {
  const verdicts: GuardrailVerdict[] = [];
  const errors: GuardrailExecutionError[] = [];
  const run = new RailRun();
  for (const rail of byCost(rails)) {
    const executed = executeSafely(rail, input, run, options);
    const { verdict, error } = executed instanceof Promise ? await executed : executed;
    verdicts.push(verdict);
    if (error) errors.push(error);
    if (isBlocking(verdict)) return { verdicts, blocked: verdict, errors };
  }
  return { verdicts, errors };
}

/**
 * Runs output rails over a draft answer. Rewrites chain (each rail sees the text the previous one
 * produced); a blocking verdict replaces the answer with its customer message.
 */
export async function runOutputRails(
  rails: readonly OutputGuardrail[],
  input: OutputRailInput,
  options: RunnerOptions = {},
): Promise<OutputRailsResult> {
  const verdicts: GuardrailVerdict[] = [];
  const errors: GuardrailExecutionError[] = [];
  // One run per draft: a rewrite changes the answer text, not what the rails share.
  const run = new RailRun();
  let current = input;
  for (const rail of byCost(rails)) {
    const executed = executeSafely(rail, current, run, options);
    const { verdict, error } = executed instanceof Promise ? await executed : executed;
    verdicts.push(verdict);
    if (error) errors.push(error);
    if (isBlocking(verdict)) {
      return {
        verdicts,
        blocked: verdict,
        finalText: verdict.customerMessage ?? options.failClosedMessage ?? DEFAULT_FAIL_CLOSED_MESSAGE,
        errors,
      };
    }
    if (verdict.tripped && verdict.action === 'rewrite' && verdict.rewrittenText !== undefined) {
      current = { ...current, answerText: verdict.rewrittenText };
    }
  }
  return { verdicts, finalText: current.answerText, errors };
}
