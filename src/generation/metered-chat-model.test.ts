import { describe, expect, it } from 'vitest';
import { RecordingMetrics } from '../testing/recording-metrics.js';
import { ScriptedChatModel } from '../testing/scripted-chat-model.js';
import type { ChatModel } from './chat-model.js';
import { MeteredChatModel } from './metered-chat-model.js';

describe('MeteredChatModel', () => {
  it('when calls succeed, fail, or are cancelled by the turn budget then each is counted as such and errors still reach the caller', async () => {
    const metrics = new RecordingMetrics();
    const answering = new MeteredChatModel(
      new ScriptedChatModel([{ content: 'Hello', toolCalls: [] }], { name: 'model-a' }),
      metrics,
    );
    expect((await answering.complete({ messages: [] })).content).toBe('Hello');
    await expect(answering.complete({ messages: [] })).rejects.toThrow(/no scripted response/);

    const cancelledByBudget: ChatModel = {
      name: 'model-b',
      complete: ({ signal }) =>
        new Promise((_resolve, reject) =>
          signal?.addEventListener('abort', () => reject(new Error('aborted'))),
        ),
    };
    const budget = new AbortController();
    const pending = new MeteredChatModel(cancelledByBudget, metrics).complete({
      messages: [],
      signal: budget.signal,
    });
    budget.abort();
    await expect(pending).rejects.toThrow('aborted');

    expect(metrics.modelCalls).toEqual([
      { model: 'model-a', result: 'ok' },
      { model: 'model-a', result: 'error' },
      { model: 'model-b', result: 'aborted' },
    ]);
  });
});
