import type { Draft, GenerationInput, GenerationStage } from '../turn/stages.js';

/** A generator that can be told to stop: the model path, which must not outlive the turn's budget. */
export interface CancellableGenerator {
  generate(input: GenerationInput, signal?: AbortSignal): Promise<Draft>;
}

/** Why a model draft was not used. */
export type FallbackReason = 'model_error' | 'model_timeout' | 'answer_too_long' | 'empty_answer';

/** What is recorded when the fallback answers instead of the model (no customer text). */
export interface FallbackEvent {
  readonly reason: FallbackReason;
  readonly conversationId: string;
  readonly requestId: string;
  /** The error's class (never its message, which may quote data), or the size that was too big. */
  readonly detail: string;
}

export interface ModelWithFallbackOptions {
  readonly model: CancellableGenerator;
  /** Answers when the model cannot: the grounded composer. */
  readonly fallback: GenerationStage;
  /** Total time the model path may take in one turn, retries and tool rounds included. */
  readonly turnBudgetMs: number;
  /** Longest answer (in characters) that may be shown or stored; longer ones are not used. */
  readonly maxAnswerCharacters: number;
  readonly onFallback?: (event: FallbackEvent) => void;
}

/**
 * The model path with a safety net. A model that fails (HTTP 500/429, HTML, malformed JSON, empty
 * choices), runs past the turn's time budget, or writes nothing or far too much never reaches the
 * customer as a bare 500 or an unanswered message: the turn is answered by the fallback (the
 * grounded composer) and the reason is reported. When the budget runs out the model call is
 * aborted, so no retry or tool round carries on behind the answer.
 */
export class ModelWithFallback implements GenerationStage {
  readonly #options: ModelWithFallbackOptions;

  constructor(options: ModelWithFallbackOptions) {
    if (!(options.turnBudgetMs > 0)) throw new Error('ModelWithFallback: turnBudgetMs must be positive.');
    this.#options = options;
  }

  async generate(input: GenerationInput): Promise<Draft> {
    const { model, turnBudgetMs, maxAnswerCharacters } = this.#options;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const outOfTime = new Promise<{ timedOut: true }>((resolve) => {
      timer = setTimeout(() => resolve({ timedOut: true }), turnBudgetMs);
    });
    const attempt = model.generate(input, controller.signal).then(
      (draft) => ({ draft }),
      (error: unknown) => ({ error }),
    );
    try {
      const settled = await Promise.race([attempt, outOfTime]);
      if ('timedOut' in settled) return await this.#fallBack(input, 'model_timeout', `${turnBudgetMs} ms`);
      if ('error' in settled) return await this.#fallBack(input, 'model_error', errorKind(settled.error));
      const { draft } = settled;
      if (draft.text.length > maxAnswerCharacters)
        return await this.#fallBack(input, 'answer_too_long', `${draft.text.length} characters`);
      const waitsForConfirmation = (draft.toolOutcomes ?? []).some(
        (outcome) => outcome.status === 'needs_confirmation',
      );
      if (draft.text.trim() === '' && !waitsForConfirmation)
        return await this.#fallBack(input, 'empty_answer', '0 characters');
      return draft;
    } finally {
      clearTimeout(timer);
      // Whatever happened, nothing of this turn's model call may keep running.
      controller.abort();
    }
  }

  async #fallBack(input: GenerationInput, reason: FallbackReason, detail: string): Promise<Draft> {
    this.#options.onFallback?.({
      reason,
      conversationId: input.conversationId,
      requestId: input.requestId,
      detail,
    });
    return this.#options.fallback.generate(input);
  }
}

function errorKind(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' ? `${error.name} ${status}` : error.name;
}
