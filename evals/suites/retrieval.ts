/**
 * Retrieval quality on `evals/retrieval/questions.yaml`: recall@1, recall@5, MRR and nDCG@10 at
 * document level. `hybrid.*` is the retriever Teller ships, taken from Teller built by the
 * composition root (`buildShippedTeller`): BM25 + word-vector query expansion fused by weighted
 * RRF with the dense list. For information only, `alternative.*` shows sparse-only (BM25 with typo
 * correction), dense-only (offline word vectors, when installed) and unweighted RRF, each in an
 * embedded index built in memory from `knowledge/documents`; no threshold judges them.
 * Also measures the low-confidence signal: how often in-domain questions are flagged (should be
 * rare) and how often out-of-scope CLINC150 queries are (should be common).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { shuffle } from '../../src/common/seeded-random.js';
import { ingestKnowledge } from '../../src/knowledge/ingest.js';
import { EmbeddedVectorIndex } from '../../src/retrieval/embedded-vector-index.js';
import type { Embedder } from '../../src/retrieval/embedder.js';
import { type RetrievalMode, Retriever } from '../../src/retrieval/retriever.js';
import { Bm25SparseEncoder } from '../../src/retrieval/sparse-encoder.js';
import { WordVectorEmbedder } from '../../src/retrieval/word-vector-embedder.js';
import { datasetPath, projectRoot } from '../framework/datasets.js';
import { buildShippedTeller } from '../framework/shipped-teller.js';
import type { EvalSuite, SuiteFailure, SuiteTable } from '../framework/types.js';

const questionSchema = z.object({
  id: z.string().min(1),
  text: z.string().min(1),
  relevant: z.array(z.string().min(1)).min(1),
  kind: z.enum(['direct', 'paraphrase', 'misspelling', 'colloquial', 'multi']),
});
const questionFileSchema = z
  .object({ version: z.literal(1), questions: z.array(questionSchema).min(1) })
  .strict();
type Question = z.infer<typeof questionSchema>;

const clincSchema = z.object({ oos_test: z.array(z.tuple([z.string(), z.string()])) }).loose();

/** Document ids in rank order, duplicates (several chunks of one document) removed. */
function rankedDocuments(documentIds: readonly string[]): string[] {
  return [...new Set(documentIds)];
}

function recallAt(ranked: readonly string[], relevant: readonly string[], k: number): number {
  const top = new Set(ranked.slice(0, k));
  return relevant.filter((id) => top.has(id)).length / relevant.length;
}

function reciprocalRank(ranked: readonly string[], relevant: readonly string[]): number {
  const position = ranked.findIndex((id) => relevant.includes(id));
  return position < 0 ? 0 : 1 / (position + 1);
}

function ndcgAt(ranked: readonly string[], relevant: readonly string[], k: number): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((id, position) => {
    if (relevant.includes(id)) dcg += 1 / Math.log2(position + 2);
  });
  let ideal = 0;
  for (let position = 0; position < Math.min(relevant.length, k); position++)
    ideal += 1 / Math.log2(position + 2);
  return ideal > 0 ? dcg / ideal : 0;
}

interface Scores {
  recall1: number;
  recall5: number;
  mrr: number;
  ndcg10: number;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

export const suite: EvalSuite = {
  name: 'retrieval',
  description:
    'Document-level recall@1/@5, MRR and nDCG@10 for sparse, dense and hybrid retrieval; low-confidence rates.',
  async run(context) {
    const questionsPath = resolve(projectRoot, 'evals', 'retrieval', 'questions.yaml');
    let questions: Question[];
    try {
      questions = questionFileSchema.parse(parseYaml(readFileSync(questionsPath, 'utf8'))).questions;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return { metrics: {}, failures: [], skipped: `no question set at ${questionsPath}` };
      }
      throw error;
    }
    const knowledgeDir = resolve(projectRoot, 'knowledge', 'documents');
    const shipped = await buildShippedTeller();
    const wordVectors = await WordVectorEmbedder.load({ cacheDir: resolve(projectRoot, 'data', 'models') });
    const embedder: Embedder | undefined = wordVectors;
    if (!embedder) context.log('word vectors not installed: hybrid is sparse-only (see docs/retrieval.md)');
    // alternative, not shipped: an unweighted index for the sparse, dense and plain-RRF columns.
    const index = await EmbeddedVectorIndex.open();
    const sparseEncoder = new Bm25SparseEncoder();
    const { corpus, summary } = await ingestKnowledge({ knowledgeDir, index, sparseEncoder, embedder });
    context.log(
      `indexed ${summary.chunks} chunks of ${summary.indexedDocuments} documents in ${summary.milliseconds.toFixed(0)} ms`,
    );
    const day = shipped.day;
    const knownIds = new Set(corpus.documents.map((document) => document.frontMatter.id));
    const unknown = questions.flatMap((question) =>
      question.relevant.filter((id) => !knownIds.has(id)).map((id) => `${question.id}:${id}`),
    );
    if (unknown.length > 0) context.log(`questions name documents that do not exist: ${unknown.join(', ')}`);

    const alternativeModes: RetrievalMode[] = embedder ? ['sparse', 'dense', 'hybrid'] : ['sparse', 'hybrid'];
    const candidates: Array<{ name: string; retriever: Retriever }> = [
      { name: 'hybrid', retriever: shipped.teller.knowledge.retriever },
      ...alternativeModes.map((mode) => ({
        name: `alternative.${mode === 'hybrid' ? 'unweighted_hybrid' : mode}`,
        // alternative, not shipped: one signal alone, or both fused without the shipped weights.
        retriever: new Retriever({
          index,
          sparseEncoder,
          embedder,
          wordVectors: mode === 'hybrid' ? wordVectors : undefined,
          vocabulary: corpus.vocabulary,
          mode,
        }),
      })),
    ];
    const metrics: Record<string, number> = {};
    const failures: SuiteFailure[] = [];
    const perKind = new Map<string, Scores[]>();
    const hybridConfidence: Array<{ low: boolean; score: number }> = [];
    const hybridRetriever = shipped.teller.knowledge.retriever;
    for (const { name, retriever } of candidates) {
      const isShipped = name === 'hybrid';
      const scores: Scores[] = [];
      for (const [position, question] of questions.entries()) {
        const result = await retriever.retrieve(question.text, { limit: 30, filter: { day } });
        const ranked = rankedDocuments(result.passages.map((passage) => passage.documentId));
        const score = {
          recall1: recallAt(ranked, question.relevant, 1),
          recall5: recallAt(ranked, question.relevant, 5),
          mrr: reciprocalRank(ranked, question.relevant),
          ndcg10: ndcgAt(ranked, question.relevant, 10),
        };
        scores.push(score);
        if (isShipped) {
          const bucket = perKind.get(question.kind) ?? [];
          bucket.push(score);
          perKind.set(question.kind, bucket);
          hybridConfidence.push({ low: result.confidence.lowConfidence, score: result.confidence.score });
          if (score.recall5 < 1) {
            failures.push({
              id: question.id,
              input: question.text,
              expected: question.relevant,
              actual: ranked.slice(0, 5),
              note: `${question.kind}; recall@5 ${score.recall5.toFixed(2)}${result.confidence.corrections.length ? `; corrected ${result.confidence.corrections.join(', ')}` : ''}`,
            });
          }
        }
        context.progress(position + 1, questions.length);
      }
      metrics[`${name}.recall@1`] = mean(scores.map((score) => score.recall1));
      metrics[`${name}.recall@5`] = mean(scores.map((score) => score.recall5));
      metrics[`${name}.mrr`] = mean(scores.map((score) => score.mrr));
      metrics[`${name}.ndcg@10`] = mean(scores.map((score) => score.ndcg10));
    }
    metrics['confidence.low_rate_in_domain'] = mean(hybridConfidence.map((entry) => (entry.low ? 1 : 0)));

    const tables: SuiteTable[] = [
      {
        title: 'hybrid by question kind',
        columns: ['kind', 'questions', 'recall@1', 'recall@5', 'MRR', 'nDCG@10'],
        rows: [...perKind.entries()].map(([kind, scores]) => [
          kind,
          scores.length,
          mean(scores.map((score) => score.recall1)).toFixed(3),
          mean(scores.map((score) => score.recall5)).toFixed(3),
          mean(scores.map((score) => score.mrr)).toFixed(3),
          mean(scores.map((score) => score.ndcg10)).toFixed(3),
        ]),
      },
    ];

    // Out-of-scope queries (CLINC150 oos_test) should mostly be flagged low-confidence.
    const clincFolder = datasetPath(context.datasetsDir, 'clinc150_oos');
    if (clincFolder) {
      const data = clincSchema.parse(JSON.parse(readFileSync(join(clincFolder, 'data_full.json'), 'utf8')));
      const sample = shuffle(data.oos_test, context.seed).slice(0, context.fast ? 100 : 500);
      const outOfScope: Array<{ low: boolean; score: number }> = [];
      for (const [text] of sample) {
        const { confidence } = await hybridRetriever.retrieve(text, { limit: 5, filter: { day } });
        outOfScope.push({ low: confidence.lowConfidence, score: confidence.score });
      }
      metrics['confidence.low_rate_out_of_scope'] = mean(outOfScope.map((entry) => (entry.low ? 1 : 0)));
      // What other thresholds would do, so the handoff threshold can be chosen knowingly.
      const rate = (entries: Array<{ score: number }>, threshold: number) =>
        mean(entries.map((entry) => (entry.score < threshold ? 1 : 0))).toFixed(3);
      tables.push({
        title: `low-confidence rate by threshold (in-domain questions vs ${sample.length} CLINC150 out-of-scope queries)`,
        columns: ['threshold', 'in-domain flagged', 'out-of-scope flagged'],
        rows: [0.2, 0.3, 0.35, 0.4, 0.45, 0.5].map((threshold) => [
          threshold,
          rate(hybridConfidence, threshold),
          rate(outOfScope, threshold),
        ]),
      });
    } else {
      context.log('clinc150_oos dataset absent: out-of-scope confidence rate not measured');
    }

    await shipped.close();
    const column = (name: string) => (metric: string) => metrics[`${name}.${metric}`]?.toFixed(3) ?? 'n/a';
    tables.unshift({
      title: 'shipped retriever and alternatives (information only)',
      columns: ['metric', 'shipped (weighted hybrid)', 'unweighted hybrid', 'sparse only', 'dense only'],
      rows: ['recall@1', 'recall@5', 'mrr', 'ndcg@10'].map((metric) => [
        metric,
        column('hybrid')(metric),
        column('alternative.unweighted_hybrid')(metric),
        column('alternative.sparse')(metric),
        column('alternative.dense')(metric),
      ]),
    });
    return {
      metrics,
      failures,
      tables,
      provenance: {
        questions: `${questions.length} questions (evals/retrieval/questions.yaml)`,
        documents: `${summary.documents} documents, ${summary.chunks} chunks`,
        day,
        dense: embedder?.id ?? 'none',
        sparse: sparseEncoder.fingerprint,
      },
    };
  },
};
