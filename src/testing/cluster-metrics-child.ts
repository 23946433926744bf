/**
 * Cluster child for cluster-metrics.test.ts: the real cluster primary (`runClusterPrimary`) with
 * workers that build their metrics as the composition root does (`buildObservability` with
 * `TELLER_WORKERS` from the environment) and serve `POST /turn` (counts one answered turn) and
 * `GET /metrics` on the shared port, each response naming the worker that answered. The
 * primary's JSON log lines on stdout say when the workers listen and on which port.
 */
import { createServer } from 'node:http';
import { buildObservability } from '../composition/observability.js';
import { loadConfig } from '../config/config.js';
import { createJsonLogger } from '../observability/logger.js';
import { isClusterWorker, runClusterPrimary } from '../server/cluster.js';

const config = loadConfig(process.env);
if (!isClusterWorker()) {
  runClusterPrimary({ workers: config.server.workers, logger: createJsonLogger('info') });
} else {
  const observability = await buildObservability(config);
  const endpoint = observability.endpoint;
  if (!endpoint) throw new Error('metrics are not served in this configuration');
  const worker = String(config.server.workerSlot ?? 0);
  createServer((request, response) => {
    if (request.method === 'POST' && request.url === '/turn') {
      observability.metrics.turnFinished('answer', 0.01);
      response.writeHead(204, { 'x-teller-worker': worker }).end();
      return;
    }
    endpoint.render().then(
      ({ contentType, body }) =>
        response.writeHead(200, { 'content-type': contentType, 'x-teller-worker': worker }).end(body),
      (error: unknown) => response.writeHead(500, { 'x-teller-worker': worker }).end(String(error)),
    );
  }).listen(config.server.port, config.server.host);
}
