import { join } from 'node:path';
import { localKeyFile } from '../common/local-key-file.js';

/**
 * The vault key kept beside the database when `VAULT_KEY` is not configured (development and
 * tests): `DATA_DIR/vault.key`, owner-only, created on first start.
 */
export function localVaultKey(dataDir: string): string {
  return localKeyFile(join(dataDir, 'vault.key'), {
    whenInvalid: 'delete it to create a new one.',
  }) as string;
}
