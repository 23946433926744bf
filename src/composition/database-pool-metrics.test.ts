import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { openDatabase } from '../store/database.js';
import {
  createScratchDatabase,
  postgresUnavailableReason,
  type ScratchDatabase,
} from '../testing/postgres-test-database.js';
import { buildObservability } from './observability.js';
import { openState, type WiredState } from './state-backend.js';

const unavailable = await postgresUnavailableReason();

describe.skipIf(unavailable !== undefined)(
  `PostgreSQL pool metrics${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let scratch: ScratchDatabase;
    let state: WiredState;

    beforeAll(async () => {
      scratch = await createScratchDatabase();
      const config = loadConfig({ DATABASE_URL: scratch.url, DATABASE_POOL_MAX: '3', DATA_DIR: '/tmp' });
      state = await openState(config, openDatabase(':memory:'), () => new Date(), {
        debug: () => undefined,
        info: () => undefined,
        warn: () => undefined,
        error: () => undefined,
      });
    }, 30_000);
    afterAll(async () => {
      await state?.close();
      await scratch?.drop();
    });

    it('when queries hold pool connections then /metrics shows them open and the queries waiting for one', async () => {
      const observability = await buildObservability(loadConfig({}), {
        ...(state.poolStatus && { databasePool: state.poolStatus }),
      });
      const scrape = async () => (await observability.endpoint!.render()).body;
      expect(await scrape()).toMatch(/teller_database_pool_connections\{state="idle"\} \d/);

      // Five transactions holding a connection for 300 ms and five pings on a pool of three: three run, the rest wait.
      const slow = Array.from({ length: 5 }, () => state.stores.ping().then(() => undefined));
      const sleeping = Array.from({ length: 5 }, () =>
        state.stores.atomically(async () => {
          await new Promise((resolve) => setTimeout(resolve, 300));
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      const busy = await scrape();
      expect(busy).toContain('teller_database_pool_connections{state="total"} 3');
      expect(busy).toMatch(/teller_database_pool_waiting [1-9]/);
      await Promise.all([...slow, ...sleeping]);
      expect(await scrape()).toMatch(/teller_database_pool_waiting 0/);
    });
  },
);
