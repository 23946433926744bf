import { join } from 'node:path';
import { EmbeddedVectorIndex } from '../retrieval/embedded-vector-index.js';
import type { Embedder } from '../retrieval/embedder.js';
import type { WordVectorSource } from '../retrieval/query-expansion.js';
import { type RetrievalMode, Retriever } from '../retrieval/retriever.js';
import { Bm25SparseEncoder } from '../retrieval/sparse-encoder.js';
import type { VectorIndex } from '../retrieval/vector-index.js';
import { followGeneration, type SharedGenerations } from '../store/shared-generations.js';
import { type IngestSummary, ingestKnowledge, type KnowledgeCorpus, reindexDocument } from './ingest.js';

export interface KnowledgeServiceOptions {
  /** Directory of policy documents (`knowledge/documents`). */
  readonly knowledgeDir: string;
  /** Directory for the embedded index snapshot (`data/`); memory only when absent. */
  readonly dataDir?: string;
  /** When given, Qdrant holds the index; otherwise the embedded index does. */
  readonly qdrant?: { readonly url: string; readonly apiKey?: string; readonly collection: string };
  /** Dense embedder (OpenAI or offline word vectors); absent means sparse-only retrieval. */
  readonly embedder?: Embedder;
  readonly mode?: RetrievalMode;
  /**
   * Word vectors for typo checks and query expansion (pass the `WordVectorEmbedder` when it
   * loaded, whether or not it is also the dense embedder).
   */
  readonly wordVectors?: WordVectorSource;
  /**
   * RRF weight of the dense list relative to BM25. Default 0.5 for the offline word-vector
   * embedder (a weaker signal than BM25 on the question set) and 1 for any other embedder.
   */
  readonly denseWeight?: number;
  readonly displayRoot?: string;
  readonly lowConfidenceThreshold?: number;
  /**
   * Shared with the other worker processes of the host (cluster mode): a re-index here bumps
   * the `knowledge` generation, and `ensureCurrent` catches up with re-indexes done elsewhere.
   */
  readonly generations?: SharedGenerations;
}

/** The retriever plus the operations that keep its index in line with the documents. */
export interface KnowledgeService {
  readonly retriever: Retriever;
  readonly index: VectorIndex;
  /** Re-reads every document and brings the index in line (idempotent). */
  refresh(): Promise<IngestSummary>;
  /** Re-indexes one document file at once, e.g. right after compliance publishes it. */
  reindexDocument(documentPath: string): Promise<IngestSummary>;
  /** The corpus as of the last refresh. */
  corpus(): KnowledgeCorpus;
  /**
   * Catches up with documents another worker process published or retired since the last call
   * (cheap when nothing changed: one counter read). Call before retrieving.
   */
  ensureCurrent(): Promise<void>;
}

/**
 * Builds the index (embedded or Qdrant), ingests the documents once and returns a ready
 * retriever. For the composition root: call once at start-up; throws `KnowledgeValidationError`
 * when a document is invalid, so a broken policy file stops the server with file and line.
 */
export async function createKnowledgeService(options: KnowledgeServiceOptions): Promise<KnowledgeService> {
  const sparseEncoder = new Bm25SparseEncoder();
  const { embedder } = options;
  // The documented weights were measured but never passed on, so the server fused unweighted.
  const rrfWeights: readonly [number, number] = [1, options.denseWeight ?? defaultDenseWeight(embedder)];
  const index: VectorIndex = options.qdrant
    ? // The Qdrant client brings undici, a second of start-up: imported only when Qdrant is configured.
      new (await import('../retrieval/qdrant-vector-index.js')).QdrantVectorIndex({
        ...options.qdrant,
        dimensions: embedder?.dimensions,
        rrfWeights,
      })
    : await EmbeddedVectorIndex.open({
        dataDir: options.dataDir ? join(options.dataDir, 'index') : undefined,
        rrfWeights,
      });
  const writer = { index, sparseEncoder, embedder };
  const first = await ingestKnowledge({
    ...writer,
    knowledgeDir: options.knowledgeDir,
    displayRoot: options.displayRoot,
  });
  let corpus = first.corpus;
  const retriever = new Retriever({
    index,
    sparseEncoder,
    embedder,
    wordVectors: options.wordVectors,
    vocabulary: corpus.vocabulary,
    mode: options.mode,
    lowConfidenceThreshold: options.lowConfidenceThreshold,
  });
  /** Re-reads the knowledge folder into the index through `through` and takes up the new corpus. */
  const reingest = async (through: typeof writer) => {
    const result = await ingestKnowledge({
      ...through,
      knowledgeDir: options.knowledgeDir,
      displayRoot: options.displayRoot,
    });
    corpus = result.corpus;
    retriever.updateVocabulary(corpus.vocabulary);
    return result.summary;
  };
  const refresh = () => reingest(writer);
  const knowledgeGeneration = options.generations && followGeneration(options.generations, 'knowledge');
  // The process that published already wrote the snapshot; the others bring their memory in line
  // without writing it again, so two processes never write the snapshot files at once.
  const catchUpWriter = { ...writer, index: withoutFlush(index) };
  const catchUp = async () => {
    await reingest(catchUpWriter);
  };
  return {
    retriever,
    index,
    refresh,
    corpus: () => corpus,
    async reindexDocument(documentPath) {
      const { summary } = await reindexDocument(documentPath, {
        ...writer,
        displayRoot: options.displayRoot,
      });
      // The vocabulary covers every document; rebuilding it is cheap, so re-read them all.
      await refresh();
      knowledgeGeneration?.bump();
      return summary;
    },
    async ensureCurrent() {
      await knowledgeGeneration?.syncAsync(catchUp);
    },
  };
}

/** The same index with `flush` a no-op (its other methods unchanged). */
function withoutFlush(index: VectorIndex): VectorIndex {
  return {
    upsert: (items) => index.upsert(items),
    delete: (chunkIds) => index.delete(chunkIds),
    deleteDocuments: (documentIds, options) => index.deleteDocuments(documentIds, options),
    listIndexed: (scope) => index.listIndexed(scope),
    query: (query) => index.query(query),
    flush: async () => {},
  };
}

/** Dense weight in RRF: word-vector averages are a weaker signal than BM25, trained models are not. */
export function defaultDenseWeight(embedder: Embedder | undefined): number {
  return embedder?.id.startsWith('word-vectors:') ? 0.5 : 1;
}
