import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { ConversationBusyError } from '../pipeline/turn-runner.js';
import { RecordingLogger } from '../testing/recording-logger.js';
import { ApiError } from './errors.js';
import { createErrorHandler } from './handle-error.js';

function appThrowing(error: Error): { app: Hono; logger: RecordingLogger } {
  const logger = new RecordingLogger();
  const app = new Hono();
  app.get('/boom', () => {
    throw error;
  });
  app.onError(createErrorHandler(logger));
  return { app, logger };
}

describe('createErrorHandler', () => {
  it('when the turn runner reports a busy conversation then it is a 409 conflict with Retry-After', async () => {
    const { app, logger } = appThrowing(new ConversationBusyError());
    const response = await app.request('/boom');
    expect(response.status).toBe(409);
    expect(response.headers.get('retry-after')).toBe('1');
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('conflict');
    expect(body.error.message).toMatch(/still being answered/);
    expect(logger.lines).toHaveLength(0);
  });

  it('when an ApiError is thrown then its code, status and headers are kept', async () => {
    const { app } = appThrowing(new ApiError('not_found', 'No such thing.', { 'X-Hint': 'h' }));
    const response = await app.request('/boom');
    expect(response.status).toBe(404);
    expect(response.headers.get('x-hint')).toBe('h');
  });

  it('when anything else is thrown then it is a logged 500 without the original message', async () => {
    const { app, logger } = appThrowing(new Error('secret detail'));
    const response = await app.request('/boom');
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('secret detail');
    expect(logger.lines.length).toBeGreaterThan(0);
  });
});
