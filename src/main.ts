/**
 * Composition root entry point: parse the environment once, build Teller, serve it, and shut down
 * cleanly. Nothing else in Teller reads `process.env`.
 */
import { serve } from '@hono/node-server';
import { buildTeller } from './composition/build-teller.js';
import { ConfigError, loadConfig } from './config/config.js';
import { PolicyLoadError } from './guardrails/policy/load-policies.js';
import { KnowledgeValidationError } from './knowledge/parse-document.js';

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

let teller: Awaited<ReturnType<typeof buildTeller>>;
try {
  teller = await buildTeller(config);
} catch (error) {
  // Broken knowledge or policy files stop start-up with their file, line and problem, not a stack.
  if (error instanceof KnowledgeValidationError || error instanceof PolicyLoadError) {
    console.error(`Teller cannot start:\n${error.message}`);
    process.exit(1);
  }
  throw error;
}
const server = serve(
  { fetch: teller.app.fetch, hostname: config.server.host, port: config.server.port },
  (address) => {
    teller.logger.info('teller listening', {
      url: `http://${address.address}:${address.port}`,
      environment: config.environment,
      ...teller.describe(),
    });
  },
);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  teller.logger.info('shutting down', { signal });
  server.close();
  await teller.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
