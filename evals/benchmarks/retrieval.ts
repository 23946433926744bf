/**
 * Retrieval benchmark: ingest throughput (chunks/s: analyze, BM25-encode, embed, upsert) and
 * query latency p50/p95 of the embedded index at 1k, 10k and 100k chunks (quick mode: 1k).
 * Latency is reported twice: the index search alone (sparse + dense + RRF under a filter), and
 * the whole `Retriever.retrieve` (analysis, typo correction, query expansion, query embedding,
 * search, re-check). Chunks are synthesized by recombining sentences of `knowledge/documents`
 * (seeded), with a mix of products, jurisdictions and statuses so filters do real work.
 * Also: dense recall@10 against an exact scan under a broad and a selective filter (about a tenth
 * of the chunks pass: one product of nine), the first dense query right after the last write (it
 * must not wait for clustering) and how long the background clustering pass takes.
 * `RETRIEVAL_BENCH_SIZES=10000` (comma-separated) picks the sizes, e.g. for a short recall check.
 */
import os from 'node:os';
import { resolve } from 'node:path';
import { createRandom } from '../../src/common/seeded-random.js';
import { chunkDocument } from '../../src/knowledge/chunk-document.js';
import { defaultDenseWeight } from '../../src/knowledge/knowledge-service.js';
import { loadKnowledgeDocuments } from '../../src/knowledge/load-documents.js';
import { analyze, analyzeTerms } from '../../src/retrieval/analyzer.js';
import { EmbeddedVectorIndex } from '../../src/retrieval/embedded-vector-index.js';
import { type Embedder, HashingEmbedder } from '../../src/retrieval/embedder.js';
import { hashChunkFields, type KnowledgeChunk } from '../../src/retrieval/knowledge-chunk.js';
import { indexTextOf, Retriever } from '../../src/retrieval/retriever.js';
import { Bm25SparseEncoder } from '../../src/retrieval/sparse-encoder.js';
import { type ChunkFilter, matchesFilter } from '../../src/retrieval/vector-index.js';
import { Vocabulary } from '../../src/retrieval/vocabulary.js';
import { WordVectorEmbedder } from '../../src/retrieval/word-vector-embedder.js';
import { splitSentences } from '../../src/text/sentences.js';
import { projectRoot } from '../framework/datasets.js';
import { round, summarize } from '../framework/statistics.js';
import type { Benchmark, SuiteTable } from '../framework/types.js';

const PRODUCTS = [
  'accounts',
  'fees',
  'cards',
  'payments',
  'overdrafts',
  'disputes',
  'fraud',
  'savings',
  'lending',
];
const QUERIES = [
  'What is the fee for an international wire transfer?',
  'my card was stolen what do i do',
  'how much interest do i pay on my overdarft',
  'How long does a faster payment take to arrive?',
  'can I get my money back for a payment I did not make',
  'sending money overseas',
  'close my account',
  'what happens if I go over my arranged limit',
];

function label(size: number): string {
  return size >= 1000 ? `${size / 1000}k` : String(size);
}

function synthesize(sentences: readonly string[], count: number, seed: number): KnowledgeChunk[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, (_, position) => {
    const text = Array.from({ length: 6 + random.integer(7) }, () => random.pick(sentences)).join(' ');
    const roll = random.next();
    const fields = {
      chunkId: `synthetic-${position}#section-1`,
      documentId: `synthetic-${position}`,
      title: `Synthetic policy ${position}`,
      version: '1.0',
      section: 'Section',
      text,
      product: random.pick(PRODUCTS),
      jurisdiction: roll < 0.7 ? 'UK' : 'ALL',
      audience: roll < 0.85 ? ('retail' as const) : ('all' as const),
      status: roll < 0.9 ? ('approved' as const) : ('retired' as const),
      effectiveFrom: '2025-01-01',
      effectiveUntil: null,
      tags: [],
    };
    return { ...fields, contentHash: hashChunkFields(fields) };
  });
}

export const benchmark: Benchmark = {
  name: 'retrieval',
  description: 'Embedded index: ingest chunks/s and query p50/p95 at 1k/10k/100k synthetic chunks.',
  async run(context) {
    const documents = await loadKnowledgeDocuments(resolve(projectRoot, 'knowledge', 'documents'));
    const sentences = documents
      .flatMap((document) => chunkDocument(document))
      .flatMap((chunk) => splitSentences(chunk.text));
    const wordVectors = await WordVectorEmbedder.load({ cacheDir: resolve(projectRoot, 'data', 'models') });
    const embedder: Embedder = wordVectors ?? new HashingEmbedder({ dimensions: 100 });
    const sizes = process.env.RETRIEVAL_BENCH_SIZES
      ? process.env.RETRIEVAL_BENCH_SIZES.split(',').map(Number)
      : context.quick
        ? [1000]
        : [1000, 10_000, 100_000];
    const figures: Record<string, number> = {};
    const rows: Array<Array<string | number>> = [];
    const filter = { day: '2026-06-01', jurisdiction: 'UK', audience: 'retail' as const };
    const selective: ChunkFilter = { ...filter, products: ['cards'] };
    const recallRows: Array<Array<string | number>> = [];
    for (const size of sizes) {
      const chunks = synthesize(sentences, size, context.seed + size);
      const index = await EmbeddedVectorIndex.open({ rrfWeights: [1, defaultDenseWeight(embedder)] });
      const encoder = new Bm25SparseEncoder();
      const ingestStarted = performance.now();
      const vectors: Float32Array[] = [];
      for (let start = 0; start < chunks.length; start += 256) {
        const batch = chunks.slice(start, start + 256);
        const texts = batch.map(indexTextOf);
        const dense = await embedder.embedDocuments(texts);
        vectors.push(...dense);
        await index.upsert(
          batch.map((chunk, position) => ({
            chunk,
            sparse: encoder.encodeDocument(analyzeTerms(texts[position]!)),
            dense: dense[position],
            fingerprint: 'bench',
          })),
        );
      }
      const ingestSeconds = (performance.now() - ingestStarted) / 1000;
      const name = label(size);
      // Right after the last write, before any clustering: must answer at once (exactly).
      const probe = await embedder.embedQuery(QUERIES[1]!);
      let started = performance.now();
      index.querySync({ dense: probe, filter, limit: 10 });
      figures[`embedded.first_query_after_write_ms@${name}`] = round(performance.now() - started);
      started = performance.now();
      await index.clustersReady();
      figures[`embedded.clustering_background_s@${name}`] = round((performance.now() - started) / 1000);
      const recallQueries = [
        ...QUERIES,
        ...Array.from({ length: 24 }, (_, position) => sentences[(position * 37) % sentences.length]!),
      ];
      const recallRow: Array<string | number> = [name];
      for (const [filterName, recallFilter] of [
        ['broad', filter],
        ['selective', selective],
      ] as const) {
        const passing = chunks.flatMap((chunk, slot) => (matchesFilter(chunk, recallFilter) ? [slot] : []));
        let recall = 0;
        for (const query of recallQueries) {
          const dense = await embedder.embedQuery(query);
          const exact = passing
            .map((slot) => ({
              slot,
              score: vectors[slot]!.reduce((sum, value, at) => sum + value * dense[at]!, 0),
            }))
            .sort((left, right) => right.score - left.score)
            .slice(0, 10)
            .map((hit) => chunks[hit.slot]!.chunkId);
          const found = new Set(
            index.querySync({ dense, filter: recallFilter, limit: 10 }).map((hit) => hit.chunk.chunkId),
          );
          recall += exact.filter((chunkId) => found.has(chunkId)).length / Math.max(exact.length, 1);
        }
        figures[`embedded.dense_recall@10.${filterName}@${name}`] = round(recall / recallQueries.length, 3);
        recallRow.push(
          `${round((100 * passing.length) / size, 1)}%`,
          round(recall / recallQueries.length, 3),
        );
      }
      recallRow.push(
        figures[`embedded.first_query_after_write_ms@${name}`]!,
        figures[`embedded.clustering_background_s@${name}`]!,
      );
      recallRows.push(recallRow);
      const vocabulary = Vocabulary.fromTokenLists(chunks.map((chunk) => analyze(indexTextOf(chunk))));
      const retriever = new Retriever({ index, sparseEncoder: encoder, embedder, wordVectors, vocabulary });
      // Warm-up builds the postings and the filter mask; it is not part of the latency figures.
      await retriever.retrieve(QUERIES[0]!, { limit: 5, filter });
      const indexTimes: number[] = [];
      const endToEndTimes: number[] = [];
      const rounds = size >= 100_000 ? 25 : 100;
      // CPU time of this process, alongside wall time: on a shared machine other processes inflate
      // wall-clock percentiles, but not the CPU the search itself consumed.
      let indexCpuMicros = 0;
      for (let round = 0; round < rounds; round++) {
        for (const query of QUERIES) {
          const sparse = encoder.encodeQuery(new Map(analyzeTerms(query).map((term) => [term, 1])));
          const dense = await embedder.embedQuery(query);
          started = performance.now();
          const cpuBefore = process.cpuUsage();
          index.querySync({ sparse, dense, filter, limit: 5, prefetchLimit: 40 });
          const cpu = process.cpuUsage(cpuBefore);
          indexCpuMicros += cpu.user + cpu.system;
          indexTimes.push(performance.now() - started);
          started = performance.now();
          await retriever.retrieve(query, { limit: 5, filter });
          endToEndTimes.push(performance.now() - started);
        }
      }
      const indexSummary = summarize(indexTimes);
      const endToEnd = summarize(endToEndTimes);
      figures[`embedded.ingest.chunks_per_s@${name}`] = round(size / ingestSeconds, 0);
      figures[`embedded.query.p50_ms@${name}`] = round(indexSummary.p50);
      figures[`embedded.query.p95_ms@${name}`] = round(indexSummary.p95);
      figures[`embedded.query.cpu_mean_ms@${name}`] = round(indexCpuMicros / 1000 / indexTimes.length);
      figures[`retriever.query.p50_ms@${name}`] = round(endToEnd.p50);
      figures[`retriever.query.p95_ms@${name}`] = round(endToEnd.p95);
      rows.push([
        name,
        round(size / ingestSeconds, 0),
        round(indexSummary.p50),
        round(indexSummary.p95),
        round(endToEnd.p50),
        round(endToEnd.p95),
      ]);
      context.log(
        `${name}: ingest ${round(size / ingestSeconds, 0)} chunks/s; index p95 ${round(indexSummary.p95)} ms; retriever p95 ${round(endToEnd.p95)} ms`,
      );
    }
    const tables: SuiteTable[] = [
      {
        title: 'embedded index (sparse + dense + RRF, filtered)',
        columns: [
          'chunks',
          'ingest chunks/s',
          'index p50 ms',
          'index p95 ms',
          'retriever p50 ms',
          'retriever p95 ms',
        ],
        rows,
      },
      {
        title: 'embedded index dense recall@10 vs exact scan (after background clustering)',
        columns: [
          'chunks',
          'broad filter passes',
          'broad recall@10',
          'selective filter passes',
          'selective recall@10',
          'first query after write ms',
          'background clustering s',
        ],
        rows: recallRows,
      },
    ];
    return {
      figures,
      tables,
      environment: {
        node: process.version,
        dense: `${embedder.id} (${embedder.dimensions} dimensions)`,
        sentences: String(sentences.length),
        seed: String(context.seed),
        queries: String(QUERIES.length),
        loadAverage: os.loadavg()[0]!.toFixed(2),
      },
    };
  },
};
