import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The vault key kept beside the database when `VAULT_KEY` is not configured (development and
 * tests): `DATA_DIR/vault.key`, owner-only, created on first start. Several worker processes may
 * start at once, so the key is written whole under a private name and then linked into place:
 * the link either wins or fails because another process's complete key is already there, and
 * nobody ever reads a half-written file.
 */
export function localVaultKey(dataDir: string): string {
  const path = join(dataDir, 'vault.key');
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    const draft = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(draft, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    try {
      linkSync(draft, path);
    } catch (error) {
      // Another process created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(draft);
    }
  }
  const key = readFileSync(path, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/i.test(key))
    throw new Error(`${path} is not a 64-hex-character key; delete it to create a new one.`);
  return key;
}
