/**
 * Forgets redaction-vault values and deletes turn records past retention: `npm run vault:purge`
 * (uses `VAULT_RETENTION_DAYS`, or `--days N` for this run); turn records on PostgreSQL when
 * `DATABASE_URL` is set. The running service does the same on its own every
 * `VAULT_PURGE_INTERVAL_MINUTES`; this command is for cron jobs and for purging at once.
 */
import { parseArgs } from 'node:util';
import { buildPrivacyGuard, purgeTurnRecords, purgeVault } from '../src/composition/privacy-vault.js';
import { openServiceState } from '../src/composition/state-backend.js';
import { ConfigError, loadConfig } from '../src/config/config.js';
import { createJsonLogger } from '../src/observability/logger.js';

const { values } = parseArgs({ options: { days: { type: 'string' } } });

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
if (values.days !== undefined) {
  const days = Number(values.days);
  if (!Number.isFinite(days) || days <= 0) {
    console.error('--days takes a positive number of days, e.g. npm run vault:purge -- --days 30');
    process.exit(2);
  }
  config = { ...config, vaultRetention: { ...config.vaultRetention, days } };
}

const now = () => new Date();
const { state } = await openServiceState(config, now, createJsonLogger('warn'));
try {
  const guard = buildPrivacyGuard(config, state.stores.vault, now);
  const report = await purgeVault(guard, config, { now, audit: state.stores.audit });
  console.log(
    `vault purge: forgot ${report.forgotten} conversation(s) last used before ${report.cutoff} (retention ${config.vaultRetention.days} days)`,
  );
  const turns = await purgeTurnRecords(state.stores.turnRecords, config, { now, audit: state.stores.audit });
  console.log(`turn records: deleted ${turns.deleted} created before ${turns.cutoff}`);
} finally {
  await state.close();
}
