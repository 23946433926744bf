import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { LangChainChatModel } from './langchain-chat-model.js';

/**
 * A local OpenAI-compatible endpoint answering `/chat/completions` with responses in the API's
 * shape, so the real LangChain adapter is exercised end to end without a network or a key.
 */
describe('LangChainChatModel against an OpenAI-compatible server', () => {
  let server: Server;
  let baseUrl: string;
  const received: Array<{ path: string; authorization: string | undefined; body: Record<string, unknown> }> =
    [];
  let nextResponse: Record<string, unknown>;

  const completion = (message: Record<string, unknown>) => ({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'local-model',
    choices: [{ index: 0, message, finish_reason: message.tool_calls ? 'tool_calls' : 'stop' }],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  });

  beforeAll(async () => {
    server = createServer(async (request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      received.push({
        path: request.url ?? '',
        authorization: request.headers.authorization,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
      });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(nextResponse));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends messages and tools in the OpenAI format and reads back content and tool calls', async () => {
    const model = new LangChainChatModel({
      apiKey: 'local-key',
      baseUrl,
      model: 'local-model',
      timeoutMs: 5000,
    });
    nextResponse = completion({
      role: 'assistant',
      content: null,
      tool_calls: [
        {
          id: 'call_9',
          type: 'function',
          function: { name: 'account_balance', arguments: '{"account":"current"}' },
        },
      ],
    });
    const response = await model.complete({
      messages: [
        { role: 'system', content: 'You are Teller.' },
        { role: 'user', content: 'What is my balance?' },
      ],
      tools: [
        {
          name: 'account_balance',
          description: 'Balance of one of your accounts',
          parameters: z.object({ account: z.enum(['current', 'savings']).optional() }),
        },
      ],
    });
    expect(response.toolCalls).toEqual([
      { id: 'call_9', name: 'account_balance', arguments: { account: 'current' } },
    ]);
    const sent = received.at(-1)!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.authorization).toBe('Bearer local-key');
    expect(sent.body.model).toBe('local-model');
    expect(JSON.stringify(sent.body.tools)).toContain('account_balance');
    expect(sent.body.messages).toEqual([
      { role: 'system', content: 'You are Teller.' },
      { role: 'user', content: 'What is my balance?' },
    ]);

    nextResponse = completion({ role: 'assistant', content: 'Your balance is £10.00.' });
    const answer = await model.complete({ messages: [{ role: 'user', content: 'thanks' }] });
    expect(answer).toEqual({ content: 'Your balance is £10.00.', toolCalls: [] });
  });
});
