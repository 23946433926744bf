import type { MiddlewareHandler } from 'hono';
import type { Role } from '../../turn/types.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import '../context.js';
import { ApiError } from '../errors.js';

/**
 * Requires `Authorization: Bearer <jwt>` and sets `principal` from the verified token. The reason
 * a token failed is not echoed back (expired vs forged vs wrong audience) to avoid an oracle.
 */
export function authenticate({ verifier }: { verifier: TokenVerifier }): MiddlewareHandler {
  return async function authenticateRequest(context, next) {
    const header = context.req.header('authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9_.-]{10,4096})$/.exec(header.trim());
    if (!match?.[1]) {
      throw new ApiError('unauthorized', 'Missing or malformed bearer token.', {
        'WWW-Authenticate': 'Bearer',
      });
    }
    try {
      context.set('principal', await verifier.verify(match[1]));
    } catch {
      throw new ApiError('unauthorized', 'The bearer token is invalid or expired.', {
        'WWW-Authenticate': 'Bearer error="invalid_token"',
      });
    }
    await next();
  };
}

/**
 * Requires the verified principal to hold `role` (or one of the roles listed). Roles are enforced
 * here, never by a page.
 */
export function requireRole(role: Role | readonly Role[]): MiddlewareHandler {
  const accepted: readonly Role[] = typeof role === 'string' ? [role] : role;
  const named = accepted.map((each) => `'${each}'`).join(' or ');
  return async function requireRoleOnRequest(context, next) {
    const held = context.get('principal').roles;
    if (!accepted.some((each) => held.includes(each))) {
      throw new ApiError('forbidden', `This endpoint requires the ${named} role.`);
    }
    await next();
  };
}
