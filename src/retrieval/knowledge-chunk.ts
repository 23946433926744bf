import { createHash } from 'node:crypto';

/**
 * A retrievable piece of a policy document with everything the filters and citations need. The
 * metadata is copied onto every chunk so an index can filter without joining back to documents.
 */
export interface KnowledgeChunk {
  /** Stable across re-ingests: `<documentId>#<section-slug>-<n>`. */
  readonly chunkId: string;
  readonly documentId: string;
  readonly title: string;
  readonly version: string;
  readonly section: string;
  /** The passage as shown to the customer (and cited). */
  readonly text: string;
  readonly product: string;
  readonly jurisdiction: string;
  readonly audience: 'retail' | 'business' | 'all';
  readonly status: 'draft' | 'approved' | 'retired';
  readonly effectiveFrom: string;
  /** Null when the document has no end date. */
  readonly effectiveUntil: string | null;
  readonly tags: readonly string[];
  /** sha256 of the text and of every field that changes what is indexed or returned. */
  readonly contentHash: string;
}

/** sha256 over a canonical JSON of the chunk fields (key order fixed), hex. */
export function hashChunkFields(fields: Omit<KnowledgeChunk, 'contentHash'>): string {
  const canonical = JSON.stringify([
    fields.chunkId,
    fields.documentId,
    fields.title,
    fields.version,
    fields.section,
    fields.text,
    fields.product,
    fields.jurisdiction,
    fields.audience,
    fields.status,
    fields.effectiveFrom,
    fields.effectiveUntil,
    fields.tags,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
