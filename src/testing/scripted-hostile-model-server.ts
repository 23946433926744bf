import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the hostile model does for one `/chat/completions` request. Every failure a real
 * OpenAI-compatible endpoint has been seen to produce, plus answers written to fool the rails.
 */
export type HostileBehaviour =
  /** A well-formed completion whose content is this text (false figures, promises, huge output…). */
  | { readonly kind: 'answer'; readonly content: string }
  /** An error status with an OpenAI-style error body (500, 429, 503…). */
  | { readonly kind: 'status'; readonly status: number }
  /** A 200 with an HTML page instead of JSON (a proxy's error page). */
  | { readonly kind: 'html' }
  /** A 200 whose body is cut-off JSON. */
  | { readonly kind: 'malformed_json' }
  /** A 200 completion with `choices: []`. */
  | { readonly kind: 'empty_choices' }
  /** A completion that calls one tool and says nothing (a model acting on its own). */
  | { readonly kind: 'tool_call'; readonly name: string; readonly arguments: string }
  /** Waits `delayMs` before doing `afterwards` (a slow or hung model). */
  | { readonly kind: 'slow'; readonly delayMs: number; readonly afterwards: HostileBehaviour };

/** One request as the double received it. */
export interface ReceivedChatRequest {
  readonly path: string;
  readonly body: { readonly messages?: ReadonlyArray<{ role: string; content: unknown }> } & Record<
    string,
    unknown
  >;
  /** The text of the last user message, where a script usually finds its cue. */
  readonly lastUserText: string;
}

/** Chooses the behaviour for a request; `index` counts requests from 0. */
export type HostileScript = (request: ReceivedChatRequest, index: number) => HostileBehaviour;

/** A running double: point `OPENAI_BASE_URL` at `baseUrl`. */
export interface ScriptedHostileModelServer {
  readonly baseUrl: string;
  readonly requests: readonly ReceivedChatRequest[];
  /** Replaces the script for the requests that follow. */
  script(next: HostileScript): void;
  close(): Promise<void>;
}

function completion(content: string): string {
  return JSON.stringify({
    id: 'chatcmpl-hostile',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'hostile-model',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  });
}

function toolCallCompletion(name: string, argumentsJson: string): string {
  return JSON.stringify({
    id: 'chatcmpl-hostile',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'hostile-model',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_hostile', type: 'function', function: { name, arguments: argumentsJson } },
          ],
        },
        finish_reason: 'tool_calls',
      },
    ],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  });
}

function lastUserText(body: ReceivedChatRequest['body']): string {
  const user = [...(body.messages ?? [])].reverse().find((message) => message.role === 'user');
  return typeof user?.content === 'string' ? user.content : '';
}

async function respond(response: ServerResponse, behaviour: HostileBehaviour): Promise<void> {
  switch (behaviour.kind) {
    case 'answer':
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(completion(behaviour.content));
      return;
    case 'tool_call':
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(toolCallCompletion(behaviour.name, behaviour.arguments));
      return;
    case 'status':
      response.writeHead(behaviour.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'scripted failure', type: 'server_error' } }));
      return;
    case 'html':
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
      return;
    case 'malformed_json':
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"id":"chatcmpl-hostile","choices":[{"message":{"content":"We cha');
      return;
    case 'empty_choices':
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'chatcmpl-hostile', object: 'chat.completion', choices: [] }));
      return;
    case 'slow': {
      const closed = new Promise<void>((resolve) => response.once('close', resolve));
      const waited = new Promise<void>((resolve) => setTimeout(resolve, behaviour.delayMs).unref());
      await Promise.race([closed, waited]);
      if (!response.destroyed) await respond(response, behaviour.afterwards);
      return;
    }
  }
}

/**
 * A tiny local OpenAI-compatible server that does whatever its script says: the red team's
 * hostile model, kept as a test double so suites and tests can replay every attack on the model
 * path through the real LangChain adapter. Listens on loopback, on a free port.
 */
export async function startScriptedHostileModelServer(
  initial: HostileScript,
): Promise<ScriptedHostileModelServer> {
  let current = initial;
  const requests: ReceivedChatRequest[] = [];
  const server: Server = createServer(async (request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    let body: ReceivedChatRequest['body'] = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ReceivedChatRequest['body'];
    } catch {
      // A request the double cannot read is still recorded and answered by the script.
    }
    const received = { path: request.url ?? '', body, lastUserText: lastUserText(body) };
    requests.push(received);
    await respond(response, current(received, requests.length - 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    script(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
