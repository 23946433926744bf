import type { Config } from '../config/config.js';
import type { Logger } from '../observability/logger.js';
import { createPrivacyGuard, type PrivacyGuard } from '../privacy/guard.js';
import { EncryptedConversationVault, type SealedVaultStore } from '../privacy/vault.js';
import { localVaultKey } from '../privacy/vault-key.js';
import { purgeExpiredVault, schedulePurge } from '../privacy/vault-retention.js';
import type { AuditSink } from '../store/audit-log.js';
import type { TurnRecordRepository } from '../store/ports.js';

/**
 * The privacy guard over the sealed vault of the service's state backend (the embedded file, or
 * PostgreSQL shared by every instance), as the service and `npm run vault:purge` both build it.
 * Production brings its key (VAULT_KEY, the same on every instance); elsewhere a key is created
 * once beside the database.
 */
export function buildPrivacyGuard(
  config: Config,
  vaultStore: SealedVaultStore,
  now: () => Date,
): PrivacyGuard {
  const vaultKey = config.vaultKey ?? localVaultKey(config.paths.dataDir);
  return createPrivacyGuard({
    vault: new EncryptedConversationVault({
      key: Buffer.from(vaultKey, 'hex'),
      store: vaultStore,
      now: () => now().getTime(),
    }),
  });
}

/**
 * One purge of vault values past `VAULT_RETENTION_DAYS`, audited when it forgot anything. Resolves
 * once the audit record is written (the audit log may be a database across the network).
 */
export async function purgeVault(
  guard: PrivacyGuard,
  config: Config,
  dependencies: { readonly now: () => Date; readonly audit?: AuditSink },
) {
  const report = await purgeExpiredVault(guard, {
    retentionDays: config.vaultRetention.days,
    now: dependencies.now,
  });
  if (report.forgotten > 0) {
    await dependencies.audit?.record({
      actor: 'system',
      action: 'vault.purged',
      details: {
        forgotten: report.forgotten,
        cutoff: report.cutoff,
        retentionDays: config.vaultRetention.days,
      },
    });
  }
  return report;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes turn records older than `VAULT_RETENTION_DAYS`: they hold redacted questions of
 * conversations whose vault values are gone by then, and analytics need no older detail.
 * Audited when it deleted anything.
 */
export async function purgeTurnRecords(
  turnRecords: Pick<TurnRecordRepository, 'purgeBefore'>,
  config: Config,
  dependencies: { readonly now: () => Date; readonly audit?: AuditSink },
): Promise<{ readonly deleted: number; readonly cutoff: string }> {
  const cutoff = new Date(dependencies.now().getTime() - config.vaultRetention.days * DAY_MS);
  const deleted = await turnRecords.purgeBefore(cutoff);
  if (deleted > 0) {
    await dependencies.audit?.record({
      actor: 'system',
      action: 'turn_records.purged',
      details: { deleted, cutoff: cutoff.toISOString(), retentionDays: config.vaultRetention.days },
    });
  }
  return { deleted, cutoff: cutoff.toISOString() };
}

/**
 * Purges the vault and turn records at start-up and every `VAULT_PURGE_INTERVAL_MINUTES`; returns
 * the function that stops it.
 */
export function scheduleVaultPurge(
  guard: PrivacyGuard,
  config: Config,
  dependencies: {
    readonly now: () => Date;
    readonly audit: AuditSink;
    readonly logger: Logger;
    readonly turnRecords?: Pick<TurnRecordRepository, 'purgeBefore'>;
  },
): () => void {
  const { turnRecords, logger } = dependencies;
  const failed = (what: string) => (error: unknown) =>
    logger.error(`${what} failed`, {
      error: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown',
    });
  return schedulePurge({
    intervalMs: config.vaultRetention.purgeIntervalMs,
    purge: () => {
      purgeVault(guard, config, dependencies).then((report) => {
        if (report.forgotten > 0) logger.info('vault purged', { ...report });
      }, failed('vault purge'));
      if (turnRecords) {
        purgeTurnRecords(turnRecords, config, dependencies).then((purged) => {
          if (purged.deleted > 0) logger.info('turn records purged', { ...purged });
        }, failed('turn record purge'));
      }
    },
    onError: failed('vault purge'),
  });
}
