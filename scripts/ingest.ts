/**
 * Ingests the policy documents into the retrieval index:
 * `npm run ingest -- [--knowledge-dir knowledge/documents] [--data-dir data] [--qdrant-url URL]
 *  [--qdrant-api-key KEY] [--collection teller-knowledge] [--dense word-vectors|none]`.
 * Thin CLI over `ingestKnowledge`: exits 1 with `file:line: message` lines when a document is
 * invalid, prints a progress bar on a terminal and a summary at the end.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { ingestKnowledge } from '../src/knowledge/ingest.js';
import { formatKnowledgeIssue, KnowledgeValidationError } from '../src/knowledge/parse-document.js';
import { EmbeddedVectorIndex } from '../src/retrieval/embedded-vector-index.js';
import type { Embedder } from '../src/retrieval/embedder.js';
import { QdrantVectorIndex } from '../src/retrieval/qdrant-vector-index.js';
import { Bm25SparseEncoder } from '../src/retrieval/sparse-encoder.js';
import type { VectorIndex } from '../src/retrieval/vector-index.js';
import { WordVectorEmbedder } from '../src/retrieval/word-vector-embedder.js';

const { values } = parseArgs({
  options: {
    'knowledge-dir': { type: 'string', default: 'knowledge/documents' },
    'data-dir': { type: 'string', default: 'data' },
    'qdrant-url': { type: 'string' },
    'qdrant-api-key': { type: 'string' },
    collection: { type: 'string', default: 'teller-knowledge' },
    dense: { type: 'string', default: 'word-vectors' },
  },
});

const root = process.cwd();
const knowledgeDir = resolve(root, values['knowledge-dir']!);
const dataDir = resolve(root, values['data-dir']!);

let embedder: Embedder | undefined;
if (values.dense === 'word-vectors') {
  embedder = await WordVectorEmbedder.load({ cacheDir: resolve(dataDir, 'models') });
  if (!embedder) console.log('Word vectors not installed (optional dependency); indexing sparse BM25 only.');
} else if (values.dense !== 'none') {
  console.error(
    `--dense must be word-vectors or none (OpenAI embeddings are configured by the server), got ${values.dense}`,
  );
  process.exit(2);
}

const index: VectorIndex = values['qdrant-url']
  ? new QdrantVectorIndex({
      url: values['qdrant-url'],
      apiKey: values['qdrant-api-key'],
      collection: values.collection!,
      dimensions: embedder?.dimensions,
    })
  : await EmbeddedVectorIndex.open({ dataDir: resolve(dataDir, 'index') });

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
  const target = values['qdrant-url']
    ? `Qdrant collection ${values.collection}`
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
