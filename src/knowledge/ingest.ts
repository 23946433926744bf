import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { analyze, analyzeTerms } from '../retrieval/analyzer.js';
import type { Embedder } from '../retrieval/embedder.js';
import { indexTextOf } from '../retrieval/retriever.js';
import type { Bm25SparseEncoder } from '../retrieval/sparse-encoder.js';
import type { IndexedChunk, VectorIndex } from '../retrieval/vector-index.js';
import { Vocabulary } from '../retrieval/vocabulary.js';
import { type ChunkingOptions, chunkDocument, type KnowledgeChunk } from './chunk-document.js';
import { loadKnowledgeDocuments } from './load-documents.js';
import { type KnowledgeDocument, parseKnowledgeDocument } from './parse-document.js';

/** Documents, their indexable chunks and the vocabulary built from them. */
export interface KnowledgeCorpus {
  readonly documents: readonly KnowledgeDocument[];
  /** Chunks of approved documents only: drafts and retired documents are never indexed. */
  readonly chunks: readonly KnowledgeChunk[];
  readonly vocabulary: Vocabulary;
}

/** What one ingest did. */
export interface IngestSummary {
  readonly documents: number;
  readonly indexedDocuments: number;
  readonly chunks: number;
  readonly added: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly deleted: number;
  readonly milliseconds: number;
}

export interface IndexWriter {
  readonly index: VectorIndex;
  readonly sparseEncoder: Bm25SparseEncoder;
  /** Absent: sparse-only index. */
  readonly embedder?: Embedder;
  /** Called after each embedded batch, for a progress bar. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Chunks embedded per call to the embedder. */
  readonly batchSize?: number;
}

export interface IngestOptions extends IndexWriter {
  readonly knowledgeDir: string;
  /** Paths in error messages are shown relative to this directory (e.g. the project root). */
  readonly displayRoot?: string;
  readonly chunking?: ChunkingOptions;
}

/** Chunks the approved documents and builds the typo-correction vocabulary from them. */
export function buildCorpus(
  documents: readonly KnowledgeDocument[],
  chunking?: ChunkingOptions,
): KnowledgeCorpus {
  const chunks = documents
    .filter((document) => document.frontMatter.status === 'approved')
    .flatMap((document) => chunkDocument(document, chunking));
  const vocabulary = Vocabulary.fromTokenLists(chunks.map((chunk) => analyze(indexTextOf(chunk))));
  return { documents, chunks, vocabulary };
}

/**
 * Reads, validates and chunks every document, then brings the index in line: new and changed
 * chunks are embedded and upserted, unchanged ones (same content hash and encoder fingerprint)
 * are skipped, and chunks of removed, retired, drafted or re-chunked documents are deleted.
 * Throws `KnowledgeValidationError` (file and line of each problem) before touching the index.
 */
export async function ingestKnowledge(
  options: IngestOptions,
): Promise<{ summary: IngestSummary; corpus: KnowledgeCorpus }> {
  const started = performance.now();
  const documents = await loadKnowledgeDocuments(options.knowledgeDir, { displayRoot: options.displayRoot });
  const corpus = buildCorpus(documents, options.chunking);
  const counts = await synchronizeChunks(corpus.chunks, options);
  const indexedDocuments = new Set(corpus.chunks.map((chunk) => chunk.documentId)).size;
  return {
    corpus,
    summary: {
      documents: documents.length,
      indexedDocuments,
      chunks: corpus.chunks.length,
      ...counts,
      milliseconds: performance.now() - started,
    },
  };
}

/**
 * Re-indexes one document at once (when compliance publishes, retires or edits it): its chunks
 * are upserted or deleted; other documents are not touched. Returns the counts for that document.
 */
export async function reindexDocument(
  documentPath: string,
  options: IndexWriter & { readonly displayRoot?: string; readonly chunking?: ChunkingOptions },
): Promise<{ summary: IngestSummary; document: KnowledgeDocument }> {
  const started = performance.now();
  const shown = options.displayRoot ? relative(options.displayRoot, documentPath) : documentPath;
  const document = parseKnowledgeDocument(await readFile(documentPath, 'utf8'), shown);
  const chunks = document.frontMatter.status === 'approved' ? chunkDocument(document, options.chunking) : [];
  const counts = await synchronizeChunks(chunks, options, new Set([document.frontMatter.id]));
  return {
    document,
    summary: {
      documents: 1,
      indexedDocuments: chunks.length > 0 ? 1 : 0,
      chunks: chunks.length,
      ...counts,
      milliseconds: performance.now() - started,
    },
  };
}

/** The encoder identity stored with each chunk; a change re-indexes everything. */
export function indexFingerprint(sparseEncoder: Bm25SparseEncoder, embedder: Embedder | undefined): string {
  return `${sparseEncoder.fingerprint}|${embedder?.id ?? 'sparse-only'}`;
}

/**
 * Diffs `chunks` against the index. With `scope`, only indexed chunks of those documents are
 * candidates for deletion (single-document re-index); without it, every stale chunk goes.
 */
async function synchronizeChunks(
  chunks: readonly KnowledgeChunk[],
  { index, sparseEncoder, embedder, onProgress, batchSize = 64 }: IndexWriter,
  scope?: ReadonlySet<string>,
): Promise<{ added: number; updated: number; unchanged: number; deleted: number }> {
  const fingerprint = indexFingerprint(sparseEncoder, embedder);
  const listed = await index.listIndexed(scope ? { documentIds: [...scope] } : undefined);
  const indexed = new Map(listed.map((state) => [state.chunkId, state]));
  const wanted = new Set(chunks.map((chunk) => chunk.chunkId));
  const stale = [...indexed.values()]
    .filter((state) => !wanted.has(state.chunkId) && (!scope || scope.has(state.documentId)))
    .map((state) => state.chunkId);
  const changed = chunks.filter((chunk) => {
    const state = indexed.get(chunk.chunkId);
    return !state || state.contentHash !== chunk.contentHash || state.fingerprint !== fingerprint;
  });
  onProgress?.(0, changed.length);
  for (let start = 0; start < changed.length; start += batchSize) {
    const batch = changed.slice(start, start + batchSize);
    const texts = batch.map(indexTextOf);
    const dense = embedder ? await embedder.embedDocuments(texts) : undefined;
    const items: IndexedChunk[] = batch.map((chunk, position) => ({
      chunk,
      sparse: sparseEncoder.encodeDocument(analyzeTerms(texts[position]!)),
      dense: dense?.[position],
      fingerprint,
    }));
    await index.upsert(items);
    onProgress?.(Math.min(start + batch.length, changed.length), changed.length);
  }
  // One document re-indexed: its stale chunks go by a document filter in the index itself, which
  // also catches points the listing could not name; a full ingest deletes by the listed ids.
  if (scope) await index.deleteDocuments([...scope], { keep: [...wanted] });
  else if (stale.length > 0) await index.delete(stale);
  await index.flush();
  const added = changed.filter((chunk) => !indexed.has(chunk.chunkId)).length;
  return {
    added,
    updated: changed.length - added,
    unchanged: chunks.length - changed.length,
    deleted: stale.length,
  };
}
