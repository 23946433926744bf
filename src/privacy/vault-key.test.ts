import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTemporaryDirectories } from '../testing/temporary-directories.js';
import { localVaultKey } from './vault-key.js';

const temporaryDirectory = useTemporaryDirectories('teller-vault-key-');
function dataDir(): string {
  return join(temporaryDirectory(), 'data');
}

describe('local vault key', () => {
  it('when none exists then one is created owner-only and kept for later starts', () => {
    const directory = dataDir();
    const key = localVaultKey(directory);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(directory, 'vault.key')).mode & 0o777).toBe(0o600);
    expect(localVaultKey(directory)).toBe(key);
    // No private drafts are left behind.
    expect(readdirSync(directory)).toEqual(['vault.key']);
  });

  it('when the file is damaged then start-up stops and says how to fix it', () => {
    const directory = dataDir();
    localVaultKey(directory);
    writeFileSync(join(directory, 'vault.key'), 'not-a-key');
    expect(() => localVaultKey(directory)).toThrow(/delete it to create a new one/);
  });
});
