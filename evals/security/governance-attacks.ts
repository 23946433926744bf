/**
 * Governance and token attacks for the security suite, run in-process only (they sign tokens with
 * crafted claims and need a compliance workflow to attack): tokens without `exp`, living too long,
 * issued in the future or with a future `auth_time`; a staff id spelled differently; one officer
 * retiring a guardrail policy alone; an approval that names no revision; a YAML alias bomb; a
 * token holding customer and agent roles working its own handoff; one customer flooding the
 * agents' queue with handoff requests.
 */
import { SignJWT } from 'jose';
import { DEVELOPMENT_JWT_SECRET } from '../../src/config/config.js';
import { openTellerHarness, type TellerHarness } from '../framework/teller-harness.js';

/** One attack's result: `refused` when every expectation held. */
export interface GovernanceOutcome {
  readonly id: string;
  readonly category: 'token' | 'governance' | 'role';
  readonly refused: boolean;
  readonly actual: unknown;
}

/** How many outcomes `runGovernanceAttacks` returns (for progress). */
export const GOVERNANCE_ATTACKS = 11;

function craft(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(DEVELOPMENT_JWT_SECRET));
}

const ALIAS_BOMB = [
  'a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]',
  'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
  'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
  'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
  'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
].join('\n');

/** Runs the attacks against an in-process harness; leaves no draft or policy change behind. */
export async function runGovernanceAttacks(harness: TellerHarness): Promise<GovernanceOutcome[]> {
  const outcomes: GovernanceOutcome[] = [];
  const now = Math.floor(Date.now() / 1000);
  const customer = { sub: 'c_123', roles: ['customer'] };
  const statusOf = async (token: string, method = 'POST', path = '/v1/conversations', body?: unknown) =>
    (await harness.request(method, path, { token, ...(body !== undefined && { body }) })).status;
  const expectStatus = async (
    id: string,
    category: GovernanceOutcome['category'],
    token: Promise<string>,
    expected: number,
    method?: string,
    path?: string,
    body?: unknown,
  ) => {
    const status = await statusOf(await token, method, path, body);
    outcomes.push({ id, category, refused: status === expected, actual: { status } });
  };

  await expectStatus('jwt-without-exp', 'token', craft({ ...customer, iat: now }), 401);
  await expectStatus(
    'jwt-lifetime-30-days',
    'token',
    craft({ ...customer, iat: now, exp: now + 30 * 86_400 }),
    401,
  );
  await expectStatus(
    'jwt-future-iat',
    'token',
    craft({ ...customer, iat: now + 86_400, exp: now + 90_000 }),
    401,
  );
  await expectStatus(
    'jwt-future-auth-time-mfa',
    'token',
    craft({ ...customer, amr: ['mfa'], auth_time: now + 10 * 365 * 86_400, iat: now, exp: now + 3600 }),
    401,
  );
  await expectStatus(
    'staff-id-trailing-dot',
    'token',
    harness.token('compliance_1.', { roles: ['compliance'] }),
    401,
    'GET',
    '/v1/admin/policies',
  );

  // One officer tries to switch off the regulated-advice guardrail alone.
  const officer = await harness.token('compliance_1', { roles: ['compliance'] });
  const policy = '/v1/admin/policies/regulated-advice';
  const requested = await harness.request('POST', `${policy}/retire`, {
    token: officer,
    body: { reason: 'too strict' },
  });
  const warnings = (requested.body as { guardrailWarnings?: Array<{ guardrail: string; turnsOff: boolean }> })
    ?.guardrailWarnings;
  const selfApproval = await statusOf(officer, 'POST', `${policy}/approve`, {
    expectedRevision: 1,
    acknowledgeGuardrailsOff: true,
  });
  const applied = await statusOf(officer, 'POST', `${policy}/publish`, {});
  const still = await harness.request('GET', policy, { token: officer });
  const publishedStatus = (still.body as { published?: { status?: string } })?.published?.status;
  outcomes.push({
    id: 'one-officer-retires-guardrail-policy',
    category: 'governance',
    refused:
      requested.status === 202 && selfApproval === 409 && applied === 409 && publishedStatus === 'approved',
    actual: { requested: requested.status, selfApproval, applied, publishedStatus },
  });
  outcomes.push({
    id: 'retirement-says-guardrail-off',
    category: 'governance',
    refused:
      warnings?.some((warning) => warning.guardrail === 'regulated_advice' && warning.turnsOff) === true,
    actual: { warnings },
  });
  const reviewer = await harness.token('compliance_2', { roles: ['compliance'] });
  await expectStatus(
    'approval-without-revision',
    'governance',
    Promise.resolve(reviewer),
    400,
    'POST',
    `${policy}/approve`,
    {},
  );
  await harness.request('DELETE', `${policy}/draft`, { token: officer });

  await expectStatus(
    'yaml-alias-bomb-draft',
    'governance',
    Promise.resolve(officer),
    400,
    'PUT',
    '/v1/admin/policies/scope/draft',
    {
      yaml: `id: scope\nversion: "9.0"\nstatus: draft\neffective_from: "2026-01-01"\nowner: someone\n${ALIAS_BOMB}\n`,
      expectedRevision: 0,
    },
  );

  // A customer who is also an agent asks for a person, then tries to work that handoff.
  const session = harness.customer('c_789');
  const conversation = await session.startConversation();
  await session.send(conversation, 'I want to speak to a human please');
  const both = await harness.token('c_789', { roles: ['customer', 'agent'] });
  const queue = await harness.request('GET', '/v1/agent/handoffs?status=open&limit=100', { token: both });
  const own = (queue.body as { handoffs?: Array<{ id: string; conversationId: string }> })?.handoffs?.find(
    (handoff) => handoff.conversationId === conversation,
  );
  const claim = own ? await statusOf(both, 'POST', `/v1/agent/handoffs/${own.id}/claim`, {}) : undefined;
  outcomes.push({
    id: 'agent-claims-own-handoff',
    category: 'role',
    refused: claim === 403,
    actual: { handoffFound: own !== undefined, claim },
  });
  outcomes.push(await handoffFlood());
  return outcomes;
}

/** Handoffs the flood case allows one customer per window (the shipped default). */
const FLOOD_LIMIT = 5;

/**
 * One customer asks for a person in twice as many new conversations as the limit allows. The
 * shared harness lifts the limit for the other suites, so this case builds its own Teller with
 * the shipped default; it is refused when no more than the limit were queued.
 */
async function handoffFlood(): Promise<GovernanceOutcome> {
  const flooded = await openTellerHarness(
    { target: undefined },
    { environment: { HANDOFF_LIMIT_PER_CUSTOMER: String(FLOOD_LIMIT) } },
  );
  try {
    const session = flooded.customer('c_flood');
    const outcomes: string[] = [];
    for (let attempt = 0; attempt < FLOOD_LIMIT * 2; attempt += 1) {
      const conversation = await session.startConversation();
      outcomes.push((await session.send(conversation, 'Please put me through to a human')).outcome);
    }
    const queued = outcomes.filter((outcome) => outcome === 'handoff').length;
    return {
      id: 'one-customer-floods-handoffs',
      category: 'role',
      refused: queued === FLOOD_LIMIT,
      actual: { outcomes },
    };
  } finally {
    await flooded.close();
  }
}
