/**
 * Ingests the policy documents into the retrieval index:
 * `npm run ingest -- [--knowledge-dir DIR] [--data-dir DIR] [--qdrant-url URL]
 *  [--qdrant-api-key KEY] [--collection NAME] [--dense configured|none]`; defaults from the environment
 * (KNOWLEDGE_DIR, DATA_DIR, QDRANT_URL, OPENAI_API_KEY...), exactly as the server reads it.
 * Thin CLI over `ingestKnowledge`: exits 1 with `file:line: message` lines when a document is
 * invalid, prints a progress bar on a terminal and a summary at the end.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { chooseEmbedders } from '../src/composition/embedders.js';
import { loadConfig } from '../src/config/config.js';
import { ingestKnowledge } from '../src/knowledge/ingest.js';
import { defaultDenseWeight } from '../src/knowledge/knowledge-service.js';
import { formatKnowledgeIssue, KnowledgeValidationError } from '../src/knowledge/parse-document.js';
import { createJsonLogger } from '../src/observability/logger.js';
import { EmbeddedVectorIndex } from '../src/retrieval/embedded-vector-index.js';
import type { Embedder } from '../src/retrieval/embedder.js';
import { QdrantVectorIndex } from '../src/retrieval/qdrant-vector-index.js';
import { Bm25SparseEncoder } from '../src/retrieval/sparse-encoder.js';
import type { VectorIndex } from '../src/retrieval/vector-index.js';

const { values } = parseArgs({
  options: {
    'knowledge-dir': { type: 'string' },
    'data-dir': { type: 'string' },
    'qdrant-url': { type: 'string' },
    'qdrant-api-key': { type: 'string' },
    collection: { type: 'string' },
    dense: { type: 'string', default: 'configured' },
  },
});

// Defaults come from the same configuration the server reads, so `npm run ingest` fills exactly
// the index (and with exactly the embedder) that `npm start` will search. Flags override.
const config = loadConfig(process.env);
const root = process.cwd();
const knowledgeDir = values['knowledge-dir']
  ? resolve(root, values['knowledge-dir'])
  : join(config.paths.knowledgeDir, 'documents');
const dataDir = values['data-dir'] ? resolve(root, values['data-dir']) : config.paths.dataDir;
const qdrant = values['qdrant-url']
  ? {
      url: values['qdrant-url'],
      apiKey: values['qdrant-api-key'],
      collection: values.collection ?? config.qdrant?.collection ?? 'teller_knowledge',
    }
  : config.qdrant && { ...config.qdrant, ...(values.collection && { collection: values.collection }) };

if (values.dense !== 'configured' && values.dense !== 'none') {
  console.error(
    `--dense must be 'configured' (the server's embedder) or 'none' (sparse only), got ${values.dense}`,
  );
  process.exit(2);
}
const silent = createJsonLogger('silent');
const embedder: Embedder | undefined =
  values.dense === 'none'
    ? undefined
    : (await chooseEmbedders({ ...config, paths: { ...config.paths, dataDir } }, silent)).embedder;
if (!embedder && values.dense !== 'none')
  console.log('No dense embedder available; indexing sparse BM25 only.');

// The server's fusion weights, so the index this writes is searched here exactly as it will be there.
const rrfWeights: readonly [number, number] = [1, defaultDenseWeight(embedder)];
const index: VectorIndex = qdrant
  ? new QdrantVectorIndex({ ...qdrant, dimensions: embedder?.dimensions, rrfWeights })
  : await EmbeddedVectorIndex.open({ dataDir: resolve(dataDir, 'index'), rrfWeights });

const bar = process.stdout.isTTY
  ? new cliProgress.SingleBar(
      { format: 'embedding {bar} {value}/{total} chunks', clearOnComplete: true },
      cliProgress.Presets.shades_classic,
    )
  : undefined;
let barStarted = false;

try {
  const { summary } = await ingestKnowledge({
    knowledgeDir,
    displayRoot: root,
    index,
    embedder,
    sparseEncoder: new Bm25SparseEncoder(),
    onProgress: (done, total) => {
      // Only long runs get a bar: a handful of chunks finishes before it would render.
      if (!bar || total < 200) return;
      if (!barStarted) {
        bar.start(total, done);
        barStarted = true;
      } else bar.update(done);
    },
  });
  bar?.stop();
  const target = qdrant
    ? `Qdrant collection ${qdrant.collection} at ${qdrant.url}`
    : `embedded index in ${dataDir}`;
  console.log(
    `Ingested ${summary.documents} documents (${summary.indexedDocuments} approved) into ${target}: ` +
      `${summary.chunks} chunks — ${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged, ` +
      `${summary.deleted} deleted in ${(summary.milliseconds / 1000).toFixed(2)} s (dense: ${embedder?.id ?? 'none'}).`,
  );
} catch (error) {
  bar?.stop();
  if (error instanceof KnowledgeValidationError) {
    for (const issue of error.issues) console.error(formatKnowledgeIssue(issue));
    console.error(`Ingest stopped: ${error.issues.length} problem(s) to fix; the index was not changed.`);
    process.exit(1);
  }
  throw error;
}
