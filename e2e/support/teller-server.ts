import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { buildTeller } from '../../src/composition/build-teller.js';
import { createTempTellerHome, type TempTellerHome } from '../../src/testing/temp-teller.js';

/** A whole Teller, in this process, on an ephemeral port, with its own data and knowledge folders. */
export interface RunningTeller {
  readonly baseUrl: string;
  readonly knowledgeDir: string;
  readonly dataDir: string;
  close(): Promise<void>;
}

/**
 * Starts Teller exactly as `npm start` wires it (development environment, embedded index, demo
 * bank, no network services), but on port 0 with a temp data dir and a temp copy of `knowledge/`
 * so that publishing in a test never touches the committed documents. `prepare` runs on the empty
 * home before Teller starts (to seed its database, for instance).
 */
export async function startTeller(prepare?: (home: TempTellerHome) => Promise<void>): Promise<RunningTeller> {
  const home = createTempTellerHome('teller-e2e-', {
    TELLER_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: '0',
    // Several pages poll; a browser run must not trip the per-person limit meant for real clients.
    RATE_LIMIT_PER_MINUTE: '1000',
  });
  const { knowledgeDir, dataDir } = home;
  await prepare?.(home);
  const teller = await buildTeller(home.config);
  const server = await new Promise<ReturnType<typeof serve>>((resolveServer) => {
    const started = serve({ fetch: teller.app.fetch, hostname: '127.0.0.1', port: 0 }, () =>
      resolveServer(started),
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    knowledgeDir,
    dataDir,
    async close() {
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
      await teller.close();
      home.remove();
    },
  };
}
