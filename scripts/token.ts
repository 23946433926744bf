/**
 * Mints a development bearer token: `npm run token -- --customer c_123`, `--agent agent_1`,
 * `--compliance compliance_1`, `--analyst analyst_1`, optional `--step-up` and `--expires 1h`. Every token carries `iat` and
 * `exp` (at most AUTH_MAX_TOKEN_LIFETIME_SECONDS later); a step-up token also `auth_time`, so its
 * step-up lapses after AUTH_STEP_UP_MAX_AGE_SECONDS. It signs with the configured
 * AUTH_JWT_SECRET (or the development default) and refuses to run in production.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/config.js';
import { durationSeconds, signDevelopmentToken } from '../src/server/auth/token-verifier.js';
import type { Role } from '../src/turn/types.js';

const { values } = parseArgs({
  options: {
    customer: { type: 'string' },
    agent: { type: 'string' },
    compliance: { type: 'string' },
    analyst: { type: 'string' },
    'step-up': { type: 'boolean', default: false },
    expires: { type: 'string', default: '8h' },
  },
});

const config = loadConfig(process.env);
if (config.environment === 'production' || config.auth.kind !== 'secret') {
  console.error('npm run token only works with a shared-secret (development) configuration.');
  process.exit(2);
}
const [subject, role]: [string | undefined, Role] = values.customer
  ? [values.customer, 'customer']
  : values.agent
    ? [values.agent, 'agent']
    : values.analyst
      ? [values.analyst, 'analyst']
      : [values.compliance, 'compliance'];
if (!subject) {
  console.error(
    'Usage: npm run token -- --customer c_123 | --agent agent_1 | --compliance compliance_1 | --analyst analyst_1 [--step-up] [--expires 1h]',
  );
  process.exit(2);
}
// Teller refuses tokens that live longer than AUTH_MAX_TOKEN_LIFETIME_SECONDS; say so now, not at first use.
const lifetime = durationSeconds(values.expires ?? '8h');
if (lifetime <= 0 || lifetime > config.tokenLimits.maxLifetimeSeconds) {
  console.error(
    `--expires must be positive and at most ${config.tokenLimits.maxLifetimeSeconds} seconds (AUTH_MAX_TOKEN_LIFETIME_SECONDS); got ${values.expires}.`,
  );
  process.exit(2);
}
const token = await signDevelopmentToken(config.auth.secret, {
  subject,
  roles: [role],
  stepUp: values['step-up'] ?? false,
  expiresIn: values.expires ?? '8h',
  ...(config.auth.issuer && { issuer: config.auth.issuer }),
  ...(config.auth.audience && { audience: config.auth.audience }),
});
process.stdout.write(`${token}\n`);
