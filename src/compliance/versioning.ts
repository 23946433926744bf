import { compareVersions } from '../common/compare-versions.js';

/**
 * The version a publication gets. A first publication keeps the draft's version. Afterwards the
 * draft's version wins when its author raised it above the published one (a deliberate major
 * change); otherwise the minor part of the published version goes up by one (`2.1` → `2.2`).
 */
export function nextVersion(published: string | undefined, drafted: string): string {
  if (published === undefined) return drafted;
  if (compareVersions(drafted, published) > 0) return drafted;
  const [major = 0, minor = 0] = published.split('.').map(Number);
  return `${major}.${minor + 1}`;
}
