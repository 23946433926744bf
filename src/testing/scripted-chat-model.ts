import type { ChatModel, ChatRequest, ChatResponse } from '../generation/chat-model.js';

/** A scripted step: a fixed response, or one computed from the request (e.g. to echo tool results). */
export type ScriptedStep = ChatResponse | ((request: ChatRequest, index: number) => ChatResponse);

/**
 * A `ChatModel` that replays scripted responses in order and records every request, so tests can
 * play a model that asks for exactly the tool calls under test (including malicious ones) and
 * then inspect what Teller sent it. Throws when the script runs out, so an unexpected extra call
 * fails the test instead of hanging or passing silently.
 */
export class ScriptedChatModel implements ChatModel {
  readonly name: string;
  readonly requests: ChatRequest[] = [];
  readonly #steps: ScriptedStep[];
  readonly #repeatLast: boolean;

  /**
   * @param steps responses in order
   * @param options.repeatLast keep answering with the last step forever (to play a model stuck in a loop)
   */
  constructor(steps: readonly ScriptedStep[], options: { name?: string; repeatLast?: boolean } = {}) {
    this.#steps = [...steps];
    this.name = options.name ?? 'scripted';
    this.#repeatLast = options.repeatLast ?? false;
  }

  async complete(request: ChatRequest): Promise<ChatResponse> {
    const index = this.requests.length;
    this.requests.push(request);
    const step = this.#steps[index] ?? (this.#repeatLast ? this.#steps.at(-1) : undefined);
    if (!step) throw new Error(`ScriptedChatModel: no scripted response for request ${index + 1}`);
    return typeof step === 'function' ? step(request, index) : step;
  }
}
