import { apiRequest, describeError, storedToken, storeToken } from './api.js';
import { announce, byId, element, replaceChildren } from './dom.js';

/**
 * Wires the sign-in panel every page shares: paste a bearer token, or in development pick a demo
 * identity (the server mints its token). The page only learns who you are from the API; whether you
 * may do something is decided by the API on every call, so a missing role is shown as a hint only.
 * `requiredRole` is one role or a list of roles any of which the page's API accepts.
 */
export function setUpSession({ requiredRole, onSignedIn, onSignedOut = () => {} }) {
  const requiredRoles = Array.isArray(requiredRole) ? requiredRole : [requiredRole];
  const holdsRequired = (roles) => requiredRoles.some((role) => roles.includes(role));
  const signInSection = byId('sign-in');
  const workspace = byId('workspace');
  const status = byId('sign-in-status');
  const who = byId('who');
  const roleHint = byId('role-hint');

  async function signInWith(token) {
    try {
      const principal = await apiRequest('GET', '/console/api/session', undefined, token);
      storeToken(token);
      signInSection.hidden = true;
      workspace.hidden = false;
      who.hidden = false;
      byId('who-text').textContent = `Signed in as ${principal.subject} (${principal.roles.join(', ')})`;
      roleHint.hidden = holdsRequired(principal.roles);
      roleHint.textContent = `This page is for the ${requiredRoles.join(' or ')} role; the API will refuse requests from ${principal.subject}.`;
      // Focus moves to the workspace at once, before its data loads, so it never jumps later.
      byId('main').focus();
      await onSignedIn(principal);
    } catch (error) {
      storeToken(undefined);
      announce(status, describeError(error));
    }
  }

  function signOut() {
    storeToken(undefined);
    workspace.hidden = true;
    who.hidden = true;
    signInSection.hidden = false;
    onSignedOut();
    byId('token-input').focus();
  }

  byId('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = byId('token-input')
      .value.trim()
      .replace(/^Bearer\s+/i, '');
    if (token) void signInWith(token);
  });
  byId('sign-out').addEventListener('click', signOut);

  void showDemoPrincipals(holdsRequired, signInWith, status);
  const existing = storedToken();
  if (existing) void signInWith(existing);
}

async function showDemoPrincipals(holdsRequired, signInWith, status) {
  let options;
  try {
    options = await apiRequest('GET', '/console/session-options');
  } catch {
    return;
  }
  if (!options?.developmentTokens || options.demoPrincipals.length === 0) return;
  // The page's own role first: it is the identity most people want here.
  const principals = [...options.demoPrincipals].sort(
    (left, right) => Number(holdsRequired(right.roles)) - Number(holdsRequired(left.roles)),
  );
  const list = byId('demo-list');
  replaceChildren(
    list,
    principals.map((principal) =>
      element(
        'li',
        {},
        element(
          'button',
          {
            type: 'button',
            className: 'secondary',
            onclick: async () => {
              try {
                const minted = await apiRequest('POST', '/console/dev-token', {
                  subject: principal.subject,
                  roles: principal.roles,
                });
                await signInWith(minted.token);
              } catch (error) {
                announce(status, describeError(error));
              }
            },
          },
          `Sign in as ${principal.label}`,
        ),
      ),
    ),
  );
  byId('demo-sign-in').hidden = false;
}
