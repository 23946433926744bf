import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../../src/server/auth/token-verifier.js';
import { createHttpTarget, HttpTargetError, httpTargetFromContext } from './http-target.js';

const secret = 'a-test-secret-that-is-at-least-32-characters';

/** A miniature of the conversation API that really verifies the bearer token. */
function createApp(outcome = 'answer') {
  const verifier = createTokenVerifier({ kind: 'secret', secret });
  const app = new Hono<{ Variables: { subject: string } }>();
  app.use('/v1/*', async (context, next) => {
    const token = (context.req.header('authorization') ?? '').replace(/^Bearer /, '');
    try {
      context.set('subject', (await verifier.verify(token)).subject);
    } catch {
      return context.json({ error: { code: 'unauthorized', message: 'bad token' } }, 401);
    }
    await next();
  });
  app.post('/v1/conversations', (context) => context.json({ id: `conv_for_${context.get('subject')}` }, 201));
  app.post('/v1/conversations/:id/messages', async (context) => {
    const { text } = await context.req.json<{ text: string }>();
    return context.json({
      conversationId: context.req.param('id'),
      messageId: 'msg_1',
      text: `you said ${text}`,
      outcome,
      citations: [],
      tools: [],
      rules: [],
      timings: { total: 1.5 },
    });
  });
  const fetchThroughApp: typeof fetch = async (input, init) => app.request(String(input), init);
  return fetchThroughApp;
}

describe('createHttpTarget', () => {
  it('when given a JWT secret then mints a token the server accepts for the chosen customer', async () => {
    const target = createHttpTarget({
      baseUrl: 'http://teller.test/',
      jwtSecret: secret,
      subject: 'c_123',
      fetch: createApp(),
    });
    const turn = await target.ask('What is my balance?');
    expect(turn.conversationId).toBe('conv_for_c_123');
    expect(turn.text).toBe('you said What is my balance?');
    expect(turn.timings).toEqual({ total: 1.5 });
    expect(target.baseUrl).toBe('http://teller.test');
  });

  it('when the token is forged then surfaces the 401 with the server body', async () => {
    const target = createHttpTarget({
      baseUrl: 'http://teller.test',
      jwtSecret: 'another-secret-of-more-than-32-characters',
      fetch: createApp(),
    });
    const failure = await target.createConversation().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HttpTargetError);
    expect((failure as HttpTargetError).status).toBe(401);
    expect((failure as HttpTargetError).body).toContain('unauthorized');
  });

  it('when the server answers with an unknown outcome then rejects instead of trusting it', async () => {
    const target = createHttpTarget({
      baseUrl: 'http://teller.test',
      jwtSecret: secret,
      fetch: createApp('leaked'),
    });
    await expect(target.ask('hello')).rejects.toThrow();
  });

  it('when neither a token nor a secret is given then says how to fix it', () => {
    expect(() => createHttpTarget({ baseUrl: 'http://teller.test' })).toThrow(/--token .* or `--jwt-secret/);
  });

  it('is only created when the run has a target', () => {
    expect(httpTargetFromContext({ target: undefined })).toBeUndefined();
    expect(
      httpTargetFromContext({ target: 'http://teller.test', targetAuth: { token: 'abc' } })?.baseUrl,
    ).toBe('http://teller.test');
  });
});
