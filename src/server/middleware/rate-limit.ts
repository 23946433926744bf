import type { MiddlewareHandler } from 'hono';
import '../context.js';
import { ApiError } from '../errors.js';

/**
 * Per-principal token bucket, in memory: a burst up to `requestsPerMinute`, refilled continuously.
 * One instance serves one process; behind several replicas put a shared limiter in front.
 */
export function rateLimit({
  requestsPerMinute,
  now = () => Date.now(),
  maxTrackedSubjects = 100_000,
}: {
  requestsPerMinute: number;
  now?: () => number;
  maxTrackedSubjects?: number;
}): MiddlewareHandler {
  const buckets = new Map<string, { tokens: number; updatedAt: number }>();
  const refillPerMillisecond = requestsPerMinute / 60_000;

  return async function rateLimitBySubject(context, next) {
    const subject = context.get('principal').subject;
    const at = now();
    const bucket = buckets.get(subject) ?? { tokens: requestsPerMinute, updatedAt: at };
    bucket.tokens = Math.min(
      requestsPerMinute,
      bucket.tokens + (at - bucket.updatedAt) * refillPerMillisecond,
    );
    bucket.updatedAt = at;
    // Re-insert so Map order is least-recently-used first, then evict the oldest beyond the bound.
    buckets.delete(subject);
    buckets.set(subject, bucket);
    if (buckets.size > maxTrackedSubjects) buckets.delete(buckets.keys().next().value as string);

    context.header('RateLimit-Limit', String(requestsPerMinute));
    if (bucket.tokens < 1) {
      const retryAfterSeconds = Math.ceil((1 - bucket.tokens) / refillPerMillisecond / 1000);
      throw new ApiError('rate_limited', 'Too many requests; slow down and retry later.', {
        'Retry-After': String(retryAfterSeconds),
      });
    }
    bucket.tokens -= 1;
    context.header('RateLimit-Remaining', String(Math.floor(bucket.tokens)));
    await next();
  };
}
