import { createRemoteJWKSet, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { type Principal, ROLES, type Role } from '../../turn/types.js';

/** Verifies a bearer token and returns who is speaking; throws on anything invalid. */
export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

/** How long a token may live and how far its times may drift; every field has a default. */
export interface TokenTimeLimits {
  /** Longest accepted `exp - iat`, in seconds (default 24 h): a token that never expires is refused. */
  readonly maxLifetimeSeconds?: number;
  /** Accepted clock difference between the issuer and Teller, in seconds (default 60). */
  readonly clockSkewSeconds?: number;
  /** A step-up (strong re-authentication) counts for this long after `auth_time`, in seconds (default 15 min). */
  readonly stepUpMaxAgeSeconds?: number;
}

type TokenSource =
  | { readonly kind: 'secret'; readonly secret: string; readonly issuer?: string; readonly audience?: string }
  | { readonly kind: 'jwks'; readonly jwksUrl: string; readonly issuer?: string; readonly audience?: string };

export type TokenVerifierOptions = TokenSource & { readonly limits?: TokenTimeLimits };

/** Defaults of `TokenTimeLimits`. */
export const DEFAULT_TOKEN_TIME_LIMITS: Required<TokenTimeLimits> = {
  maxLifetimeSeconds: 24 * 60 * 60,
  clockSkewSeconds: 60,
  stepUpMaxAgeSeconds: 15 * 60,
};

/** A token whose times break the limits; the message says which (it is logged, never returned). */
export class TokenTimeError extends Error {
  override readonly name = 'TokenTimeError';
}

/**
 * Staff subjects (agents, compliance officers) in one canonical spelling: lowercase letters and
 * digits, with single `.`, `_`, `-` or `@` only between them. The four-eyes rule and handoff
 * claims compare subjects, so `compliance_1.` or `Compliance_1` must not pass as someone else.
 */
export const STAFF_SUBJECT_PATTERN = /^[a-z0-9]+(?:[._@-][a-z0-9]+)*$/;

const claimsSchema = z
  .object({
    sub: z.string().regex(/^[A-Za-z0-9_.:@-]{1,128}$/, 'subject has unexpected characters'),
    roles: z.array(z.enum(ROLES)).min(1).default(['customer']),
    amr: z.array(z.string()).optional(),
    auth_time: z.number().finite().optional(),
    step_up: z.boolean().optional(),
    // Required: a token without `exp` would never expire, and without `iat` its lifetime is unknown.
    exp: z.number().finite(),
    iat: z.number().finite(),
  })
  .refine(
    (claims) =>
      !claims.roles.some((role) => role !== 'customer') ||
      (claims.sub.length <= 64 && STAFF_SUBJECT_PATTERN.test(claims.sub)),
    {
      message: 'staff subjects must be lowercase letters and digits with single . _ - @ between them',
      path: ['sub'],
    },
  );

/**
 * Checks the times of verified claims against `nowSeconds` (seconds since the epoch): a bounded
 * lifetime, and no `iat` or `auth_time` in the future beyond the clock skew. Throws `TokenTimeError`.
 */
export function checkTokenTimes(
  claims: { exp: number; iat: number; auth_time?: number },
  nowSeconds: number,
  limits: Required<TokenTimeLimits>,
): void {
  if (claims.iat > nowSeconds + limits.clockSkewSeconds) throw new TokenTimeError('iat is in the future');
  if (claims.exp <= claims.iat) throw new TokenTimeError('exp is not after iat');
  if (claims.exp - claims.iat > limits.maxLifetimeSeconds) {
    throw new TokenTimeError(`lifetime exceeds ${limits.maxLifetimeSeconds} s`);
  }
  if (claims.auth_time !== undefined && claims.auth_time > nowSeconds + limits.clockSkewSeconds) {
    throw new TokenTimeError('auth_time is in the future');
  }
}

/**
 * Verifies HS256 tokens with a shared secret (development) or asymmetric tokens against a JWKS
 * URL (production). Only the algorithms of the chosen mode are accepted, so a token cannot pick
 * its own (`alg: none` or an HS/RS confusion).
 */
export function createTokenVerifier(
  options: TokenVerifierOptions,
  now: () => Date = () => new Date(),
): TokenVerifier {
  const limits = { ...DEFAULT_TOKEN_TIME_LIMITS, ...options.limits };
  // jose checks exp and nbf against `now` too (`currentDate`), so every time check uses one clock.
  const checks = {
    clockTolerance: limits.clockSkewSeconds,
    requiredClaims: ['exp', 'iat'],
    ...(options.issuer && { issuer: options.issuer }),
    ...(options.audience && { audience: options.audience }),
  };
  const verifyPayload =
    options.kind === 'secret'
      ? (() => {
          const key = new TextEncoder().encode(options.secret);
          return async (token: string) =>
            (await jwtVerify(token, key, { ...checks, currentDate: now(), algorithms: ['HS256'] })).payload;
        })()
      : (() => {
          const keySet = createRemoteJWKSet(new URL(options.jwksUrl));
          return async (token: string) =>
            (
              await jwtVerify(token, keySet, {
                ...checks,
                currentDate: now(),
                algorithms: ['RS256', 'ES256', 'PS256', 'EdDSA'],
              })
            ).payload;
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
      const nowSeconds = now().getTime() / 1000;
      checkTokenTimes(claims, nowSeconds, limits);
      // Step-up is a proof of strong authentication at a moment (`auth_time`, else the token's
      // issue time), and it ages: past the maximum age the token is an ordinary one.
      const claimsStepUp = claims.step_up === true || claims.amr?.includes('mfa') === true;
      const provenAt = claims.auth_time ?? claims.iat;
      const principal: Principal = {
        subject: claims.sub,
        roles: claims.roles as Role[],
        stepUp: claimsStepUp && nowSeconds - provenAt <= limits.stepUpMaxAgeSeconds,
      };
      if (!principal.stepUp) {
        if (verified.size >= 10_000) verified.clear();
        verified.set(token, { principal, expiresAt: claims.exp * 1000 });
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
    /** When the token is issued (default: the wall clock); tests pin it. */
    issuedAt?: Date;
  },
): Promise<string> {
  const issuedAt = Math.floor((claims.issuedAt ?? new Date()).getTime() / 1000);
  let jwt = new SignJWT({
    roles: claims.roles ?? ['customer'],
    // A step-up token records when strong authentication happened, so its step-up ages out.
    ...(claims.stepUp && { step_up: true, auth_time: issuedAt }),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.subject)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + durationSeconds(claims.expiresIn ?? '8h'));
  if (claims.issuer) jwt = jwt.setIssuer(claims.issuer);
  if (claims.audience) jwt = jwt.setAudience(claims.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}

/** Seconds in a duration such as `8h`, `15m`, `90s`, `1d` or `-5m` (negative: already expired). */
export function durationSeconds(duration: string): number {
  const match = /^(-)?(\d+)\s*(s|m|h|d)$/.exec(duration.trim());
  if (!match) throw new Error(`a duration must look like 30m, 8h or -5m; got "${duration}"`);
  const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[match[3] as 's' | 'm' | 'h' | 'd'];
  return (match[1] ? -1 : 1) * Number(match[2]) * unit;
}
