import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../server/auth/token-verifier.js';
import { RATING_REASONS } from '../store/turn-records.js';
import { createTestApp, jsonRequest, TEST_JWT_SECRET } from '../testing/test-app.js';
import { type ConsoleOptions, registerConsole } from './register-console.js';

const PUBLISHED = {
  id: 'fees-international-payments',
  title: 'International Payment Fees',
  version: '3.0',
  body: '# Fees\n\nWe charge £15 per SWIFT payment.',
};

function consoleApp(extra: Partial<ConsoleOptions> = {}) {
  const testApp = createTestApp();
  const lookups: string[] = [];
  registerConsole(testApp.app, {
    verifier: createTokenVerifier({ kind: 'secret', secret: TEST_JWT_SECRET }),
    readPublishedDocument: (id) => {
      lookups.push(id);
      return id === PUBLISHED.id ? PUBLISHED : undefined;
    },
    ...extra,
  });
  return { ...testApp, lookups };
}

describe('registerConsole pages', () => {
  it.each([
    ['/console/', 'chat.js'],
    ['/console/chat', 'chat.js'],
    ['/console/compliance', 'compliance.js'],
    ['/console/agent', 'agent.js'],
    ['/console/dashboard', 'dashboard.js'],
  ])('when %s is requested then the page loads its module under the strict CSP', async (path, script) => {
    const response = await consoleApp().app.request(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await response.text();
    expect(html).toContain(`<script type="module" src="/console/assets/${script}"></script>`);
    // The CSP forbids inline code, so the pages must not depend on any.
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/\son[a-z]+=|\sstyle=|<style/i);
  });

  it('when an asset is requested then it is served with its type; unknown and traversal paths are 404', async () => {
    const { app } = consoleApp();
    const script = await app.request('/console/assets/chat.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect((await app.request('/console/assets/console.css')).headers.get('content-type')).toContain(
      'text/css',
    );
    for (const path of [
      '/console/assets/nope.js',
      '/console/assets/markdown.d.ts',
      '/console/assets/..%2Fregister-console.ts',
      '/console/assets/../register-console.ts',
      '/console/assets/%2e%2e%2fpackage.json',
    ]) {
      expect((await app.request(path)).status, path).toBe(404);
    }
  });

  it('when the dashboard loads Chart.js then it comes from this origin, as the installed package ships it', async () => {
    const { app } = consoleApp();
    const html = await (await app.request('/console/dashboard')).text();
    expect(html).toContain('<script src="/console/assets/vendor-chart.js"></script>');
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
    const chart = await app.request('/console/assets/vendor-chart.js');
    expect(chart.status).toBe(200);
    expect(chart.headers.get('content-type')).toContain('text/javascript');
    const code = await chart.text();
    const installed = JSON.parse(readFileSync(resolve('node_modules/chart.js/package.json'), 'utf8')) as {
      version: string;
    };
    expect(code).toContain(`Chart.js v${installed.version}`);
    expect(code).not.toContain('sourceMappingURL');
  });

  it('when the chat offers rating reasons then they are exactly the ones the API accepts', () => {
    const chat = readFileSync(new URL('./public/chat.js', import.meta.url), 'utf8');
    const block = /const RATING_REASON_LABELS = \{([^}]*)\}/.exec(chat)?.[1] ?? '';
    const offered = [...block.matchAll(/^\s*([a-z_]+):/gm)].map((match) => match[1]);
    expect(offered).toEqual([...RATING_REASONS]);
  });

  it('when /console is requested then it redirects to the chat page', async () => {
    const response = await consoleApp().app.request('/console');
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/console/');
  });
});

describe('development tokens', () => {
  it('when the option is absent then the endpoint does not exist and no demo identities are offered', async () => {
    const { app } = consoleApp();
    const response = await app.request(
      '/console/dev-token',
      jsonRequest('POST', undefined, { subject: 'c_123', roles: ['customer'] }),
    );
    expect(response.status).toBe(404);
    const options = await (await app.request('/console/session-options')).json();
    expect(options).toEqual({ developmentTokens: false, demoPrincipals: [] });
  });

  it('when the option is given then a minted token is accepted by the API for that subject and role', async () => {
    const { app } = consoleApp({ developmentTokens: { secret: TEST_JWT_SECRET } });
    const minted = await app.request(
      '/console/dev-token',
      jsonRequest('POST', undefined, { subject: 'c_123', roles: ['customer'] }),
    );
    expect(minted.status).toBe(201);
    const { token } = (await minted.json()) as { token: string };
    const created = await app.request('/v1/conversations', jsonRequest('POST', token));
    expect(created.status).toBe(201);
    const session = await app.request('/console/api/session', jsonRequest('GET', token));
    expect(await session.json()).toEqual({ subject: 'c_123', roles: ['customer'] });
    // A customer token still cannot reach staff endpoints: roles come from the token, enforced by the API.
    expect((await app.request('/v1/agent/handoffs', jsonRequest('GET', token))).status).toBe(403);
    const options = (await (await app.request('/console/session-options')).json()) as {
      demoPrincipals: Array<{ subject: string }>;
    };
    expect(options.demoPrincipals.map((principal) => principal.subject)).toEqual([
      'c_123',
      'c_456',
      'c_789',
      'c_999',
      'agent_1',
      'compliance_1',
      'compliance_2',
      'analyst_1',
    ]);
  });

  it.each([
    [{ subject: 'c_123', roles: ['admin'] }],
    [{ subject: 'c 123; drop', roles: ['customer'] }],
    [{ subject: 'c_123', roles: [] }],
    [{ subject: 'c_123', roles: ['customer'], step_up: true }],
    ['not json'],
  ])('when the request is %j then it is refused with 400', async (body) => {
    const { app } = consoleApp({ developmentTokens: { secret: TEST_JWT_SECRET } });
    const response = await app.request('/console/dev-token', jsonRequest('POST', undefined, body));
    expect(response.status).toBe(400);
  });

  it('when the body is oversized then it is refused before parsing', async () => {
    const { app } = consoleApp({ developmentTokens: { secret: TEST_JWT_SECRET } });
    const response = await app.request(
      '/console/dev-token',
      jsonRequest('POST', undefined, { subject: 'c_123', roles: ['customer'], padding: 'x'.repeat(5000) }),
    );
    expect(response.status).toBe(413);
  });
});

describe('published documents', () => {
  it('when a signed-in reader asks for a published document then title, version and body are returned', async () => {
    const { app, tokenFor } = consoleApp();
    const response = await app.request(
      `/console/api/documents/${PUBLISHED.id}`,
      jsonRequest('GET', await tokenFor('c_123')),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(PUBLISHED);
  });

  it('when the document is not published then 404, and malformed ids never reach the lookup', async () => {
    const { app, tokenFor, lookups } = consoleApp();
    const token = await tokenFor('c_123');
    expect((await app.request('/console/api/documents/draft-only', jsonRequest('GET', token))).status).toBe(
      404,
    );
    for (const id of ['..%2F..%2Fetc%2Fpasswd', 'Fees_Upper', '%00']) {
      expect((await app.request(`/console/api/documents/${id}`, jsonRequest('GET', token))).status).toBe(400);
    }
    expect(lookups).toEqual(['draft-only']);
  });

  it('when there is no token or a forged one then 401', async () => {
    const { app } = consoleApp();
    expect((await app.request(`/console/api/documents/${PUBLISHED.id}`)).status).toBe(401);
    const forged = await createTestApp().tokenFor('c_123');
    const tampered = `${forged.slice(0, -4)}AAAA`;
    expect(
      (await app.request(`/console/api/documents/${PUBLISHED.id}`, jsonRequest('GET', tampered))).status,
    ).toBe(401);
  });
});
