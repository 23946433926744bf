import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createTokenVerifier, signDevelopmentToken } from './token-verifier.js';

const SECRET = 'token-verifier-test-secret-of-32-characters-at-least';
const NOW = new Date('2026-11-25T10:00:00Z');
const nowSeconds = NOW.getTime() / 1000;

/** Signs exactly the claims given (no defaults), as an attacker holding a leaked secret could. */
function sign(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(SECRET));
}

const verifier = createTokenVerifier({ kind: 'secret', secret: SECRET }, () => NOW);
const base = { sub: 'c_123', roles: ['customer'] };

describe('token claims', () => {
  it('when a token has no exp then it is refused (it would never expire)', async () => {
    await expect(verifier.verify(await sign({ ...base, iat: nowSeconds }))).rejects.toThrow();
  });

  it('when a token has no iat then it is refused (its lifetime is unknown)', async () => {
    await expect(verifier.verify(await sign({ ...base, exp: nowSeconds + 60 }))).rejects.toThrow();
  });

  it('when exp is more than the maximum lifetime after iat then it is refused', async () => {
    const token = await sign({ ...base, iat: nowSeconds, exp: nowSeconds + 25 * 3600 });
    await expect(verifier.verify(token)).rejects.toThrow(/lifetime/);
    const shortLived = createTokenVerifier(
      { kind: 'secret', secret: SECRET, limits: { maxLifetimeSeconds: 600 } },
      () => NOW,
    );
    await expect(
      shortLived.verify(await sign({ ...base, iat: nowSeconds, exp: nowSeconds + 601 })),
    ).rejects.toThrow(/lifetime/);
    await expect(
      shortLived.verify(await sign({ ...base, iat: nowSeconds, exp: nowSeconds + 600 })),
    ).resolves.toMatchObject({ subject: 'c_123' });
  });

  it('when iat is in the future beyond the clock skew then it is refused, within the skew it is accepted', async () => {
    const future = await sign({ ...base, iat: nowSeconds + 3600, exp: nowSeconds + 7200 });
    await expect(verifier.verify(future)).rejects.toThrow(/iat/);
    const skewed = await sign({ ...base, iat: nowSeconds + 30, exp: nowSeconds + 3600 });
    await expect(verifier.verify(skewed)).resolves.toMatchObject({ subject: 'c_123' });
  });

  it('when auth_time is in the future then the token is refused, not granted permanent step-up', async () => {
    const token = await sign({
      ...base,
      amr: ['mfa'],
      auth_time: nowSeconds + 10 * 365 * 86_400,
      iat: nowSeconds,
      exp: nowSeconds + 3600,
    });
    await expect(verifier.verify(token)).rejects.toThrow(/auth_time/);
  });

  it('when strong authentication is older than the step-up maximum age then the principal has no step-up', async () => {
    const claims = { ...base, amr: ['mfa'], iat: nowSeconds - 60, exp: nowSeconds + 3600 };
    const fresh = await verifier.verify(await sign({ ...claims, auth_time: nowSeconds - 14 * 60 }));
    expect(fresh.stepUp).toBe(true);
    const stale = await verifier.verify(await sign({ ...claims, auth_time: nowSeconds - 16 * 60 }));
    expect(stale.stepUp).toBe(false);
    const strict = createTokenVerifier(
      { kind: 'secret', secret: SECRET, limits: { stepUpMaxAgeSeconds: 60 } },
      () => NOW,
    );
    expect((await strict.verify(await sign({ ...claims, auth_time: nowSeconds - 120 }))).stepUp).toBe(false);
  });

  it('when step_up is claimed without auth_time then it ages from iat', async () => {
    const old = await sign({ ...base, step_up: true, iat: nowSeconds - 3600, exp: nowSeconds + 3600 });
    expect((await verifier.verify(old)).stepUp).toBe(false);
    const recent = await sign({ ...base, step_up: true, iat: nowSeconds - 60, exp: nowSeconds + 3600 });
    expect((await verifier.verify(recent)).stepUp).toBe(true);
  });

  it('when a staff subject is not in canonical form then the token is refused', async () => {
    const claims = { roles: ['compliance'], iat: nowSeconds, exp: nowSeconds + 3600 };
    for (const subject of [
      'compliance_1.',
      'Compliance_1',
      'compliance__1',
      '.compliance_1',
      'compliance_1 ',
    ]) {
      await expect(verifier.verify(await sign({ ...claims, sub: subject })), subject).rejects.toThrow();
    }
    await expect(verifier.verify(await sign({ ...claims, sub: 'compliance_1' }))).resolves.toMatchObject({
      subject: 'compliance_1',
    });
    const agent = await sign({
      sub: 'Agent_1',
      roles: ['agent', 'customer'],
      iat: nowSeconds,
      exp: nowSeconds + 60,
    });
    await expect(verifier.verify(agent)).rejects.toThrow();
  });

  it('when a development token is signed then it carries iat and a bounded exp, and step-up records auth_time', async () => {
    const token = await signDevelopmentToken(SECRET, { subject: 'c_123', stepUp: true, issuedAt: NOW });
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<
      string,
      number
    >;
    expect(payload.iat).toBe(nowSeconds);
    expect(payload.exp).toBe(nowSeconds + 8 * 3600);
    expect(payload.auth_time).toBe(nowSeconds);
    expect((await verifier.verify(token)).stepUp).toBe(true);
  });
});
