/**
 * Composition root entry point: parse the environment once, build Teller, serve it, and shut down
 * cleanly. Nothing else in Teller reads `process.env`. With `TELLER_WORKERS` above 1 this process
 * only supervises worker processes (src/server/cluster.ts), each of which runs this file again
 * and serves the same port.
 */
import { buildTeller } from './composition/build-teller.js';
import { ConfigError, loadConfig } from './config/config.js';
import { KnowledgeValidationError } from './knowledge/parse-document.js';
import { createJsonLogger } from './observability/logger.js';
import { PolicyLoadError } from './policy/load-policies.js';
import { isClusterWorker, runClusterPrimary, withWorkerHeader } from './server/cluster.js';
import { listen } from './server/listen.js';

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

if (config.server.workers > 1 && !isClusterWorker()) {
  runClusterPrimary({ workers: config.server.workers, logger: createJsonLogger(config.logLevel) });
} else {
  await serveTeller(config);
}

async function serveTeller(config: ReturnType<typeof loadConfig>): Promise<void> {
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
  const workerId = isClusterWorker() ? config.server.workerSlot : undefined;
  const server = listen({
    fetch: workerId === undefined ? teller.app.fetch : withWorkerHeader(teller.app.fetch, workerId),
    hostname: config.server.host,
    port: config.server.port,
    limits: config.serverLimits,
    onListening: (address) => {
      teller.logger.info('teller listening', {
        url: `http://${address.address}:${address.port}`,
        environment: config.environment,
        ...(workerId !== undefined && { worker: workerId, pid: process.pid }),
        ...teller.describe(),
      });
    },
  });

  let stopping = false;
  async function shutdown(signal: string): Promise<void> {
    if (stopping) return;
    stopping = true;
    teller.logger.info('shutting down', { signal, ...(workerId !== undefined && { worker: workerId }) });
    server.close();
    await teller.close();
    process.exit(0);
  }
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // A worker whose primary is gone has nobody to supervise it: stop rather than linger.
  if (workerId !== undefined) process.on('disconnect', () => void shutdown('primary gone'));
}
