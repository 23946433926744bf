import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A 256-bit key (64 hex characters) kept in an owner-only file, created on first use when
 * `create` is set; `undefined` when it does not exist and must not be created. Several worker
 * processes may start at once, so the key is written whole under a private name and then linked
 * into place: the link either wins or fails because another process's complete key is already
 * there, and nobody ever reads a half-written file. `whenInvalid` is the fix-it advice for a file
 * that holds something else.
 */
export function localKeyFile(
  path: string,
  { create = true, whenInvalid }: { create?: boolean; whenInvalid: string },
): string | undefined {
  if (!existsSync(path)) {
    if (!create) return undefined;
    mkdirSync(dirname(path), { recursive: true });
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
  if (!/^[0-9a-f]{64}$/i.test(key)) throw new Error(`${path} is not a 64-hex-character key; ${whenInvalid}`);
  return key;
}
