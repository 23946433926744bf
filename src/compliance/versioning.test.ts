import { describe, expect, it } from 'vitest';
import { compareVersions } from '../common/compare-versions.js';
import { nextVersion } from './versioning.js';

describe('nextVersion', () => {
  it.each([
    [undefined, '0.1', '0.1'],
    [undefined, '1.0', '1.0'],
    ['2.1', '2.1', '2.2'],
    ['2.1', '1.0', '2.2'],
    ['2.9', '2.9', '2.10'],
    ['1.2.3', '1.2.3', '1.3'],
    ['2.1', '3.0', '3.0'],
    ['2.1', '2.1.1', '2.1.1'],
  ])(
    'when published is %s and the draft says %s then the new version is %s',
    (published, drafted, expected) => {
      expect(nextVersion(published, drafted)).toBe(expected);
    },
  );

  it('when versions have more digits then they compare as numbers', () => {
    expect(compareVersions('1.10', '1.9')).toBeGreaterThan(0);
    expect(compareVersions('1.0', '1.0.0')).toBe(0);
  });
});
