/**
 * What the compliance workflow needs from other parts of Teller, as small interfaces the
 * composition root fills in. Each has an in-memory double in `testing-doubles.ts`.
 */
import type { RetrievedPassage } from '../turn/types.js';

/**
 * Brings the retrieval index in line with one document file right after it was published or
 * retired (a retired or draft file loses its chunks). `KnowledgeService` from
 * `src/knowledge/knowledge-service.ts` satisfies this as is.
 */
export interface KnowledgeIndexer {
  reindexDocument(documentPath: string): Promise<unknown>;
}

/** Re-reads `knowledge/policies` so the guardrails use a policy as soon as it is published. */
export interface PolicyReloader {
  reloadPolicies(): Promise<void> | void;
}

/** Why a passage ranked where it did, as far as the retrieval module can say. */
export interface SearchExplanation {
  /** 1-based rank in the sparse (BM25) list, when known. */
  readonly sparseRank?: number | null;
  /** 1-based rank in the dense (embedding) list, when known. */
  readonly denseRank?: number | null;
  /** The fused (RRF) score, when both lists were used. */
  readonly fusedScore?: number | null;
  /** Free-form notes: typo corrections, unknown words, confidence. */
  readonly notes?: readonly string[];
}

/** A passage as the pipeline's retriever returns it, with why it ranked there. */
export interface SearchHit
  extends Pick<
    RetrievedPassage,
    'chunkId' | 'documentId' | 'title' | 'version' | 'section' | 'text' | 'score'
  > {
  readonly why: SearchExplanation;
}

export interface SearchRequest {
  readonly query: string;
  /** A product such as `cards` or `fees`; narrows the search to that product's documents. */
  readonly topic?: string;
  readonly limit: number;
}

/** The retrieval a compliance officer can try out: what a customer's question would retrieve. */
export type ComplianceSearch = (request: SearchRequest) => Promise<{
  readonly hits: readonly SearchHit[];
  readonly confidence?: Readonly<Record<string, unknown>>;
}>;
