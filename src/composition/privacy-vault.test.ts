import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { SqliteAuditLog } from '../store/audit-log.js';
import { openDatabase } from '../store/database.js';
import { sqliteBackend } from '../store/sqlite-backend.js';
import { createTempTellerHome, type TempTellerHome } from '../testing/temp-teller.js';
import { buildPrivacyGuard, purgeVault } from './privacy-vault.js';

const DAY = 24 * 60 * 60 * 1000;

describe('the vault in the embedded database', () => {
  let home: TempTellerHome | undefined;
  afterEach(() => home?.remove());

  it('when a conversation outlives VAULT_RETENTION_DAYS then the purge forgets it, audits counts only and leaves no row', async () => {
    home = createTempTellerHome('teller-vault-', { VAULT_RETENTION_DAYS: '7' });
    const database = openDatabase(home.config.paths.databasePath);
    let clock = Date.parse('2026-11-01T09:00:00Z');
    const now = () => new Date(clock);
    const audit = new SqliteAuditLog(database, now);
    const guard = buildPrivacyGuard(home.config, sqliteBackend(database, now).vault, now);
    const { redactedText } = await guard.redactMessage('conv_1', 'card 4111 1111 1111 1111, pin 4 7 1 9');
    expect(redactedText).toBe('card <CREDIT_CARD_1>, pin <PIN>');

    clock += 6 * DAY;
    expect((await purgeVault(guard, home.config, { now, audit })).forgotten).toBe(0);
    clock += 2 * DAY;
    expect((await purgeVault(guard, home.config, { now, audit })).forgotten).toBe(1);

    expect(database.prepare('SELECT COUNT(*) AS count FROM vault_entries').get()).toEqual({ count: 0 });
    const [record] = audit.list({ actionPrefix: 'vault.' });
    expect(record?.details).toEqual({ forgotten: 1, cutoff: '2026-11-02T09:00:00.000Z', retentionDays: 7 });
    database.close();
  });

  it('when VAULT_RETENTION_DAYS is not a positive number then start-up stops with the variable named', () => {
    expect(() => loadConfig({ VAULT_RETENTION_DAYS: '0' })).toThrow(/VAULT_RETENTION_DAYS/);
    expect(loadConfig({}).vaultRetention).toEqual({ days: 30, purgeIntervalMs: 60 * 60 * 1000 });
  });
});
