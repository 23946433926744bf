import { join } from 'node:path';
import { EmbeddedVectorIndex } from '../retrieval/embedded-vector-index.js';
import type { Embedder } from '../retrieval/embedder.js';
import { QdrantVectorIndex } from '../retrieval/qdrant-vector-index.js';
import type { WordVectorSource } from '../retrieval/query-expansion.js';
import { type RetrievalMode, Retriever } from '../retrieval/retriever.js';
import { Bm25SparseEncoder } from '../retrieval/sparse-encoder.js';
import type { VectorIndex } from '../retrieval/vector-index.js';
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
}

/**
 * Builds the index (embedded or Qdrant), ingests the documents once and returns a ready
 * retriever. For the composition root: call once at start-up; throws `KnowledgeValidationError`
 * when a document is invalid, so a broken policy file stops the server with file and line.
 */
export async function createKnowledgeService(options: KnowledgeServiceOptions): Promise<KnowledgeService> {
  const sparseEncoder = new Bm25SparseEncoder();
  const { embedder } = options;
  const index: VectorIndex = options.qdrant
    ? new QdrantVectorIndex({ ...options.qdrant, dimensions: embedder?.dimensions })
    : await EmbeddedVectorIndex.open({
        dataDir: options.dataDir ? join(options.dataDir, 'index') : undefined,
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
  const refresh = async () => {
    const result = await ingestKnowledge({
      ...writer,
      knowledgeDir: options.knowledgeDir,
      displayRoot: options.displayRoot,
    });
    corpus = result.corpus;
    retriever.updateVocabulary(corpus.vocabulary);
    return result.summary;
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
      return summary;
    },
  };
}

/** Dense weight in RRF: word-vector averages are a weaker signal than BM25, trained models are not. */
export function defaultDenseWeight(embedder: Embedder | undefined): number {
  return embedder?.id.startsWith('word-vectors:') ? 0.5 : 1;
}
