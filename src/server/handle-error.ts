import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from '../observability/logger.js';
import { ConversationBusyError } from '../pipeline/turn-runner.js';
import { DatabaseUnavailableError } from '../store/unavailable.js';
import { ApiError, type ErrorCode, errorBody } from './errors.js';

const codeByStatus: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'bad_request',
  429: 'rate_limited',
  503: 'unavailable',
};

/**
 * The one error handler, in tiers: our `ApiError` → its code (a busy conversation from the turn
 * runner is a retryable conflict); Hono's `HTTPException` → a code from its status; an unreachable
 * database → 503; anything else → 500 with a generic message, logged with its class and request id.
 */
export function createErrorHandler(logger: Logger) {
  return function handleError(error: Error, context: Context): Response {
    const requestId = context.get('requestId') ?? 'unknown';
    if (error instanceof ConversationBusyError) {
      context.header('Retry-After', '1');
      return context.json(errorBody('conflict', error.message, requestId), 409);
    }
    if (error instanceof ApiError) {
      for (const [name, value] of Object.entries(error.headers)) context.header(name, value);
      return context.json(errorBody(error.code, error.message, requestId, error.details), error.status);
    }
    if (error instanceof HTTPException) {
      const code = codeByStatus[error.status] ?? 'internal';
      const message = code === 'internal' ? 'Internal error.' : error.message || code.replace('_', ' ');
      return context.json(errorBody(code, message, requestId), error.status);
    }
    if (error instanceof DatabaseUnavailableError) {
      // Fail fast and say so: the client (or the load balancer) retries, another instance may answer.
      logger.error('database unavailable', { requestId, error: error.message });
      context.header('Retry-After', '1');
      return context.json(
        errorBody('unavailable', 'The service cannot reach its database; retry shortly.', requestId),
        503,
      );
    }
    logger.error('unhandled error', {
      requestId,
      kind: error.name,
      stack: error.stack?.split('\n').slice(0, 4).join(' | '),
    });
    return context.json(
      errorBody('internal', 'Internal error; quote the request id if you contact support.', requestId),
      500,
    );
  };
}
