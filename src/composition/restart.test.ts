import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_JWT_SECRET } from '../config/config.js';
import { signDevelopmentToken } from '../server/auth/token-verifier.js';
import { createTempTellerHome, TEST_NOW } from '../testing/temp-teller.js';
import { jsonRequest } from '../testing/test-app.js';
import { buildTeller } from './build-teller.js';

/** Nothing a customer is in the middle of is lost when the service restarts. */
describe('Teller across a restart', () => {
  const { directory, config, remove } = createTempTellerHome('teller-restart-');
  const now = TEST_NOW;
  afterAll(remove);

  it('keeps pending confirmations and the customer’s own redacted values', async () => {
    const token = await signDevelopmentToken(DEVELOPMENT_JWT_SECRET, { subject: 'c_123' });
    const first = await buildTeller(config, { now });
    const { id } = (await (
      await first.app.request('/v1/conversations', jsonRequest('POST', token))
    ).json()) as { id: string };
    const send = async (teller: typeof first, text: string) =>
      (await (
        await teller.app.request(`/v1/conversations/${id}/messages`, jsonRequest('POST', token, { text }))
      ).json()) as {
        outcome: string;
        text: string;
      };
    await send(first, 'my email is amelia.hart@example.com');
    expect((await send(first, 'freeze my debit card')).outcome).toBe('confirmation_required');
    await first.close();

    const second = await buildTeller(config, { now });
    const confirmed = await send(second, 'yes');
    expect(confirmed.text).toMatch(/frozen/i);
    const transcript = (await (
      await second.app.request(`/v1/conversations/${id}`, jsonRequest('GET', token))
    ).json()) as {
      messages: Array<{ text: string }>;
    };
    expect(transcript.messages[0]!.text).toBe('my email is amelia.hart@example.com');
    expect((statSync(join(directory, 'data', 'vault.key')).mode & 0o777).toString(8)).toBe('600');
    await second.close();
  }, 60_000);
});
