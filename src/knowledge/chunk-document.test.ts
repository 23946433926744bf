import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunkDocument, countWords } from './chunk-document.js';
import { parseKnowledgeDocument } from './parse-document.js';

const fixture = readFileSync(join(import.meta.dirname, 'fixtures', 'overdraft-basics.md'), 'utf8');

function sentence(index: number): string {
  return `Sentence number ${index} explains one more rule about the account in plain words for customers.`;
}

describe('chunkDocument', () => {
  it('when sections are short then there is one chunk per ## section with the metadata copied', () => {
    const chunks = chunkDocument(parseKnowledgeDocument(fixture, 'overdraft-basics.md'));
    expect(chunks.map((chunk) => chunk.section)).toEqual([
      'What an arranged overdraft is',
      'Unarranged borrowing',
    ]);
    expect(chunks[0]).toMatchObject({
      chunkId: 'overdraft-basics#what-an-arranged-overdraft-is-1',
      documentId: 'overdraft-basics',
      title: 'How Overdrafts Work',
      version: '1.0',
      product: 'overdrafts',
      jurisdiction: 'UK',
      audience: 'retail',
      status: 'approved',
      effectiveFrom: '2025-01-01',
      effectiveUntil: null,
      tags: ['overdraft', 'borrowing'],
    });
    expect(chunks[0]?.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('when a section is long then it is split by paragraphs within the size bounds, with one sentence of overlap', () => {
    const paragraphs = Array.from({ length: 12 }, (_, paragraph) =>
      Array.from({ length: 4 }, (_, index) => sentence(paragraph * 4 + index)).join(' '),
    );
    const text = fixture.replace(
      '## Unarranged borrowing',
      `## Long section\n${paragraphs.join('\n\n')}\n\n## Unarranged borrowing`,
    );
    const chunks = chunkDocument(parseKnowledgeDocument(text, 'long.md')).filter(
      (chunk) => chunk.section === 'Long section',
    );
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) {
      expect(countWords(chunk.text)).toBeGreaterThanOrEqual(60);
      expect(countWords(chunk.text)).toBeLessThanOrEqual(350 + 40);
    }
    chunks.slice(1).forEach((chunk, position) => {
      const previous = chunks[position]!.text;
      const firstSentence = chunk.text.split(/(?<=\.)\s/)[0]!;
      expect(previous.endsWith(firstSentence)).toBe(true);
    });
    const all = chunks.map((chunk) => chunk.text).join(' ');
    for (let index = 0; index < 48; index++) expect(all).toContain(`number ${index} `);
    expect(new Set(chunks.map((chunk) => chunk.chunkId)).size).toBe(chunks.length);
  });

  it('when only metadata that matters changes then the content hash changes, and not otherwise', () => {
    const before = chunkDocument(parseKnowledgeDocument(fixture, 'a.md'));
    const same = chunkDocument(parseKnowledgeDocument(fixture, 'b.md'));
    const retired = chunkDocument(
      parseKnowledgeDocument(fixture.replace('status: approved', 'status: retired'), 'a.md'),
    );
    const edited = chunkDocument(parseKnowledgeDocument(fixture.replace('39.9%', '35.9%'), 'a.md'));
    expect(same.map((chunk) => chunk.contentHash)).toEqual(before.map((chunk) => chunk.contentHash));
    expect(retired[0]?.contentHash).not.toBe(before[0]?.contentHash);
    expect(edited[0]?.contentHash).not.toBe(before[0]?.contentHash);
    expect(edited[1]?.contentHash).toBe(before[1]?.contentHash);
  });
});
