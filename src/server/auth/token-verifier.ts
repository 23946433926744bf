import { createRemoteJWKSet, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { Principal, Role } from '../../turn/types.js';

/** Verifies a bearer token and returns who is speaking; throws on anything invalid. */
export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

export type TokenVerifierOptions =
  | { readonly kind: 'secret'; readonly secret: string; readonly issuer?: string; readonly audience?: string }
  | { readonly kind: 'jwks'; readonly jwksUrl: string; readonly issuer?: string; readonly audience?: string };

/** A step-up (strong re-authentication) counts for this long after `auth_time`. */
const STEP_UP_WINDOW_SECONDS = 15 * 60;

const claimsSchema = z.object({
  sub: z.string().regex(/^[A-Za-z0-9_.:@-]{1,128}$/, 'subject has unexpected characters'),
  roles: z
    .array(z.enum(['customer', 'compliance', 'agent']))
    .min(1)
    .default(['customer']),
  amr: z.array(z.string()).optional(),
  auth_time: z.number().optional(),
  step_up: z.boolean().optional(),
});

/**
 * Verifies HS256 tokens with a shared secret (development) or asymmetric tokens against a JWKS
 * URL (production). Only the algorithms of the chosen mode are accepted, so a token cannot pick
 * its own (`alg: none` or an HS/RS confusion).
 */
export function createTokenVerifier(
  options: TokenVerifierOptions,
  now: () => Date = () => new Date(),
): TokenVerifier {
  const checks = {
    ...(options.issuer && { issuer: options.issuer }),
    ...(options.audience && { audience: options.audience }),
  };
  const verifyPayload =
    options.kind === 'secret'
      ? (() => {
          const key = new TextEncoder().encode(options.secret);
          return async (token: string) =>
            (await jwtVerify(token, key, { ...checks, algorithms: ['HS256'] })).payload;
        })()
      : (() => {
          const keySet = createRemoteJWKSet(new URL(options.jwksUrl));
          return async (token: string) =>
            (await jwtVerify(token, keySet, { ...checks, algorithms: ['RS256', 'ES256', 'PS256', 'EdDSA'] }))
              .payload;
        })();

  // Verified tokens are remembered until they expire (bounded): a customer sends many requests
  // with one token, and a signature check is a visible share of a short request's CPU time.
  // Step-up principals are not cached, since step-up is judged against the clock.
  const verified = new Map<string, { principal: Principal; expiresAt: number }>();
  return {
    async verify(token: string): Promise<Principal> {
      const cached = verified.get(token);
      if (cached && cached.expiresAt > now().getTime()) return cached.principal;
      const payload: JWTPayload = await verifyPayload(token);
      const claims = claimsSchema.parse(payload);
      const recentStrongAuth =
        claims.amr?.includes('mfa') === true &&
        claims.auth_time !== undefined &&
        now().getTime() / 1000 - claims.auth_time < STEP_UP_WINDOW_SECONDS;
      const principal: Principal = {
        subject: claims.sub,
        roles: claims.roles as Role[],
        stepUp: claims.step_up === true || recentStrongAuth,
      };
      if (payload.exp !== undefined && !principal.stepUp) {
        if (verified.size >= 10_000) verified.clear();
        verified.set(token, { principal, expiresAt: payload.exp * 1000 });
      }
      return principal;
    },
  };
}

/** Signs an HS256 token, for the development `npm run token` command and for tests. */
export async function signDevelopmentToken(
  secret: string,
  claims: {
    subject: string;
    roles?: readonly Role[];
    stepUp?: boolean;
    expiresIn?: string;
    issuer?: string;
    audience?: string;
  },
): Promise<string> {
  let jwt = new SignJWT({ roles: claims.roles ?? ['customer'], ...(claims.stepUp && { step_up: true }) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.subject)
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn ?? '8h');
  if (claims.issuer) jwt = jwt.setIssuer(claims.issuer);
  if (claims.audience) jwt = jwt.setAudience(claims.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
