import { join } from 'node:path';
import { localKeyFile } from '../common/local-key-file.js';

/** Where the audit head key lives when `AUDIT_KEY` is not configured (development and tests). */
export function localAuditKeyPath(dataDir: string): string {
  return join(dataDir, 'audit.key');
}

/**
 * The audit head's HMAC key beside the database, `DATA_DIR/audit.key`, owner-only, created on
 * first start (production sets `AUDIT_KEY` instead, kept away from the data it protects).
 */
export function localAuditKey(
  dataDir: string,
  { create = true }: { create?: boolean } = {},
): string | undefined {
  return localKeyFile(localAuditKeyPath(dataDir), {
    create,
    whenInvalid: 'restore it from a backup (a new key cannot verify the old head).',
  });
}
