import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the audit head key lives when `AUDIT_KEY` is not configured (development and tests). */
export function localAuditKeyPath(dataDir: string): string {
  return join(dataDir, 'audit.key');
}

/**
 * The audit head's HMAC key beside the database, `DATA_DIR/audit.key`, owner-only, created on
 * first start (production sets `AUDIT_KEY` instead, kept away from the data it protects). Several
 * workers may start at once, so the key is written whole under a private name and linked into
 * place: whoever links first wins, and nobody reads a half-written file.
 */
export function localAuditKey(
  dataDir: string,
  { create = true }: { create?: boolean } = {},
): string | undefined {
  const path = localAuditKeyPath(dataDir);
  if (!existsSync(path)) {
    if (!create) return undefined;
    mkdirSync(dataDir, { recursive: true });
    const draft = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(draft, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    try {
      linkSync(draft, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(draft);
    }
  }
  const key = readFileSync(path, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/i.test(key)) {
    throw new Error(
      `${path} is not a 64-hex-character key; restore it from a backup (a new key cannot verify the old head).`,
    );
  }
  return key;
}
