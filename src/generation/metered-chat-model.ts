import type { TellerMetrics } from '../observability/metrics.js';
import type { ChatModel, ChatRequest, ChatResponse } from './chat-model.js';

/**
 * Counts every call to `model` by result: `ok`, `error` (HTTP failure, malformed answer, timeout
 * of one attempt) or `aborted` (the turn's model budget ran out and cancelled it). Wraps the
 * model under the tool loop and the fallback, so each round of a tool-calling turn counts.
 */
export class MeteredChatModel implements ChatModel {
  readonly name: string;
  readonly #model: ChatModel;
  readonly #metrics: TellerMetrics;

  constructor(model: ChatModel, metrics: TellerMetrics) {
    this.#model = model;
    this.#metrics = metrics;
    this.name = model.name;
  }

  async complete(request: ChatRequest): Promise<ChatResponse> {
    try {
      const response = await this.#model.complete(request);
      this.#metrics.modelCalled(this.name, 'ok');
      return response;
    } catch (error) {
      this.#metrics.modelCalled(this.name, request.signal?.aborted ? 'aborted' : 'error');
      throw error;
    }
  }
}
