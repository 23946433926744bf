/** The committed policies, loaded once for tests of the rails and handoff triggers. */
import { fileURLToPath } from 'node:url';
import { loadPolicies, type PolicySet } from '../policy/load-policies.js';

let cached: PolicySet | undefined;

/** Policies from `knowledge/policies`, as in force on a fixed day so tests do not depend on the date. */
export function committedPolicies(): PolicySet {
  cached ??= loadPolicies({
    directory: fileURLToPath(new URL('../../knowledge/policies', import.meta.url)),
    day: '2026-06-01',
  });
  return cached;
}
