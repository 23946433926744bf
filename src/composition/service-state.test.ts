import { afterEach, describe, expect, it } from 'vitest';
import { createJsonLogger } from '../observability/logger.js';
import { SqliteAuditLog } from '../store/audit-log.js';
import { openDatabase } from '../store/database.js';
import { localAuditKey } from '../store/local-audit-key.js';
import { createTempTellerHome, type TempTellerHome } from '../testing/temp-teller.js';
import { openServiceState } from './state-backend.js';

describe('openServiceState: the state commands write to, opened as the server opens it', () => {
  let home: TempTellerHome | undefined;
  afterEach(() => home?.remove());

  it('when a command appends audit records then the signed head still verifies with the service key', async () => {
    home = createTempTellerHome('teller-service-state-');
    const now = () => new Date('2026-12-01T10:00:00Z');
    for (const action of ['models.activated', 'models.rolled_back']) {
      const { state } = await openServiceState(home.config, now, createJsonLogger('error'));
      await state.stores.audit.record({ actor: 'officer_a', action, subject: 'models' });
      await state.close();
    }
    const key = home.config.auditKey ?? localAuditKey(home.config.paths.dataDir);
    const database = openDatabase(home.config.paths.databasePath);
    try {
      expect(new SqliteAuditLog(database, now, { headKey: key }).verify()).toMatchObject({
        ok: true,
        records: 2,
        head: 'signed',
      });
    } finally {
      database.close();
    }
  });
});
