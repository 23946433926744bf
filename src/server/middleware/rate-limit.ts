import type { MiddlewareHandler } from 'hono';
import '../context.js';

import {
  InMemoryRateLimitStore,
  type RateLimitStore,
  type TokenBucketShape,
} from '../../store/rate-limit-store.js';
import { ApiError } from '../errors.js';

/**
 * Per-principal token bucket: a burst up to `requestsPerMinute`, refilled continuously. The
 * buckets live in `store`: in memory by default (one process), or a shared store when several
 * worker processes serve one port.
 */
export function rateLimit({
  requestsPerMinute,
  now = () => Date.now(),
  maxTrackedSubjects = 100_000,
  store = new InMemoryRateLimitStore({ maxTrackedSubjects }),
}: {
  requestsPerMinute: number;
  now?: () => number;
  maxTrackedSubjects?: number;
  store?: RateLimitStore;
}): MiddlewareHandler {
  const bucket: TokenBucketShape = {
    capacity: requestsPerMinute,
    refillPerMillisecond: requestsPerMinute / 60_000,
  };

  return async function rateLimitBySubject(context, next) {
    const subject = context.get('principal').subject;
    const decision = await store.take(subject, bucket, now());
    context.header('RateLimit-Limit', String(requestsPerMinute));
    if (!decision.allowed) {
      const retryAfterSeconds = Math.ceil((1 - decision.tokens) / bucket.refillPerMillisecond / 1000);
      throw new ApiError('rate_limited', 'Too many requests; slow down and retry later.', {
        'Retry-After': String(retryAfterSeconds),
      });
    }
    context.header('RateLimit-Remaining', String(Math.floor(decision.tokens)));
    await next();
  };
}
