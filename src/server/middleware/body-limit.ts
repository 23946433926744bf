import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/**
 * Refuses request bodies larger than `maxBytes`, cheaply. A body with a declared Content-Length is
 * judged by the header alone: Node's HTTP parser delivers exactly that many bytes and no more, so
 * the header cannot understate what the handler reads. Only a chunked body, whose size is unknown
 * until read, goes through Hono's streaming `bodyLimit`, which counts the bytes as they arrive.
 * Hono's middleware alone would turn every request (GETs included) into a full WHATWG `Request`
 * with a stream, which is a measurable share of a turn's CPU on `@hono/node-server`.
 */
export function limitBodySize({
  maxBytes,
  onTooLarge,
}: {
  maxBytes: number;
  onTooLarge: (context: Context) => Response | Promise<Response>;
}): MiddlewareHandler {
  const streamingLimit = bodyLimit({ maxSize: maxBytes, onError: onTooLarge });
  return async function limitBody(context, next) {
    const method = context.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
    const declaredLength = context.req.header('content-length');
    if (declaredLength !== undefined && context.req.header('transfer-encoding') === undefined) {
      const bytes = Number(declaredLength);
      if (!Number.isSafeInteger(bytes) || bytes < 0 || bytes > maxBytes) return onTooLarge(context);
      return next();
    }
    return streamingLimit(context, next);
  };
}
