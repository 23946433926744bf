/**
 * Teller built by the composition root exactly as `npm start` builds it (embedded defaults, the
 * committed models, the project's knowledge and policies), in a temporary home. Suites that score
 * one component take it from here, so every figure with a threshold describes what ships.
 */
import type { Teller } from '../../src/composition/build-teller.js';
import { createTempTellerHome } from '../../src/testing/temp-teller.js';
import { HARNESS_NOW } from './teller-harness.js';

/** The shipped Teller and a function that removes its temporary home. */
export interface ShippedTeller {
  readonly teller: Teller;
  readonly day: string;
  close(): Promise<void>;
}

/** Builds Teller through `buildTeller` on the default configuration (a few seconds). */
export async function buildShippedTeller(now = HARNESS_NOW): Promise<ShippedTeller> {
  const home = createTempTellerHome('teller-eval-shipped-');
  // Imported lazily: building the service pulls in the whole pipeline.
  const { buildTeller } = await import('../../src/composition/build-teller.js');
  const teller = await buildTeller(home.config, { now: () => new Date(now) });
  return {
    teller,
    day: now.slice(0, 10),
    async close() {
      await teller.close();
      home.remove();
    },
  };
}
