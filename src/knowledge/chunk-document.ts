import { hashChunkFields, type KnowledgeChunk } from '../retrieval/knowledge-chunk.js';
import { splitSentences } from '../text/sentences.js';
import type { KnowledgeDocument } from './parse-document.js';

export type { KnowledgeChunk } from '../retrieval/knowledge-chunk.js';

export interface ChunkingOptions {
  /** A section longer than this (in words) is split at paragraph, then sentence boundaries. */
  readonly maxWords?: number;
  /** Pieces are grown to at least this many words before a split is accepted. */
  readonly minWords?: number;
  /** Words of overlap carried from the end of one piece into the next (at most one sentence). */
  readonly overlapWords?: number;
}

interface Section {
  readonly heading: string;
  readonly paragraphs: string[];
}

/**
 * Splits a document by `##` headings; a long section is split further by paragraphs (and by
 * sentences when one paragraph is too long), each piece after the first starting with the last
 * sentence of the previous one so a fact that straddles the boundary stays retrievable.
 */
export function chunkDocument(document: KnowledgeDocument, options: ChunkingOptions = {}): KnowledgeChunk[] {
  const { maxWords = 350, minWords = 120, overlapWords = 40 } = options;
  const chunks: KnowledgeChunk[] = [];
  const slugCounts = new Map<string, number>();
  for (const section of splitSections(document)) {
    const pieces = splitSection(section.paragraphs, { maxWords, minWords, overlapWords });
    const baseSlug = slugify(section.heading) || 'section';
    const seen = slugCounts.get(baseSlug) ?? 0;
    slugCounts.set(baseSlug, seen + 1);
    const slug = seen === 0 ? baseSlug : `${baseSlug}-${seen + 1}`;
    pieces.forEach((text, index) => {
      chunks.push(
        buildChunk(document, section.heading, text, `${document.frontMatter.id}#${slug}-${index + 1}`),
      );
    });
  }
  return chunks;
}

function buildChunk(
  document: KnowledgeDocument,
  section: string,
  text: string,
  chunkId: string,
): KnowledgeChunk {
  const { frontMatter } = document;
  const fields = {
    chunkId,
    documentId: frontMatter.id,
    title: document.title,
    version: frontMatter.version,
    section,
    text,
    product: frontMatter.product,
    jurisdiction: frontMatter.jurisdiction,
    audience: frontMatter.audience,
    status: frontMatter.status,
    effectiveFrom: frontMatter.effective_from,
    effectiveUntil: frontMatter.effective_until ?? null,
    tags: [...frontMatter.tags],
  };
  return { ...fields, contentHash: hashChunkFields(fields) };
}

function splitSections(document: KnowledgeDocument): Section[] {
  const sections: Section[] = [];
  let current: Section = { heading: 'Overview', paragraphs: [] };
  let paragraph: string[] = [];
  const flushParagraph = () => {
    const joined = paragraph.join(' ').replace(/\s+/g, ' ').trim();
    if (joined) current.paragraphs.push(joined);
    paragraph = [];
  };
  for (const line of document.body.split(/\r?\n/)) {
    if (/^#\s+/.test(line)) continue; // the title is carried as metadata
    const heading = /^#{2,3}\s+(.*)$/.exec(line);
    if (heading?.[1] && line.startsWith('## ')) {
      flushParagraph();
      if (current.paragraphs.length > 0) sections.push(current);
      current = { heading: heading[1].trim(), paragraphs: [] };
    } else if (line.trim() === '') {
      flushParagraph();
    } else {
      paragraph.push(line.trim());
    }
  }
  flushParagraph();
  if (current.paragraphs.length > 0) sections.push(current);
  return sections;
}

function splitSection(
  paragraphs: readonly string[],
  limits: { maxWords: number; minWords: number; overlapWords: number },
): string[] {
  const total = paragraphs.reduce((sum, paragraph) => sum + countWords(paragraph), 0);
  if (total <= limits.maxWords) return [paragraphs.join('\n\n')];
  // Units are paragraphs, or the sentences of a paragraph that alone exceeds the limit.
  const units = paragraphs.flatMap((paragraph) =>
    countWords(paragraph) > limits.maxWords ? splitSentences(paragraph) : [paragraph],
  );
  const pieces: string[] = [];
  let current: string[] = [];
  let currentWords = 0;
  let overlapUnits = 0;
  for (const unit of units) {
    const words = countWords(unit);
    if (currentWords >= limits.minWords && currentWords + words > limits.maxWords) {
      pieces.push(current.join('\n\n'));
      const overlap = lastSentence(current[current.length - 1] ?? '', limits.overlapWords);
      current = overlap ? [overlap] : [];
      overlapUnits = current.length;
      currentWords = countWords(overlap);
    }
    current.push(unit);
    currentWords += words;
  }
  if (current.length > 0) {
    // A short tail is folded into the previous piece rather than left as a fragment.
    const tail = current.join('\n\n');
    if (pieces.length > 0 && currentWords < limits.minWords / 2) {
      pieces[pieces.length - 1] =
        `${pieces[pieces.length - 1]}\n\n${current.slice(overlapUnits).join('\n\n')}`;
    } else {
      pieces.push(tail);
    }
  }
  return pieces;
}

function lastSentence(text: string, maxWords: number): string {
  const sentences = splitSentences(text);
  const last = sentences[sentences.length - 1] ?? '';
  if (countWords(last) <= maxWords) return last;
  return last.split(/\s+/).slice(-maxWords).join(' ');
}

/** Whitespace-separated word count. */
export function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed ? trimmed.split(/\s+/).length : 0;
}

function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}
