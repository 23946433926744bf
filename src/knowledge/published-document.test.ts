import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTemporaryDirectories } from '../testing/temporary-directories.js';
import { readPublishedDocument } from './published-document.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const temporaryDirectory = useTemporaryDirectories('teller-published-');

/** A documents folder holding the fixtures plus an approved card document that expired in 2025. */
function documentsFolder(): string {
  const directory = temporaryDirectory();
  for (const name of ['business-draft', 'card-lost', 'fees-2023', 'savings-future']) {
    copyFileSync(join(FIXTURES, `${name}.md`), join(directory, `${name}.md`));
  }
  const expired = readFileSync(join(FIXTURES, 'card-lost.md'), 'utf8')
    .replace('id: card-lost', 'id: card-expired')
    .replace('effective_from: "2024-06-01"', 'effective_from: "2024-06-01"\neffective_until: "2025-01-01"');
  writeFileSync(join(directory, 'card-expired.md'), expired);
  return directory;
}

describe('readPublishedDocument', () => {
  it('when a document is approved and in force then its title, version and body are returned', async () => {
    const document = await readPublishedDocument(documentsFolder(), 'card-lost', '2026-11-25');
    expect(document).toMatchObject({ id: 'card-lost', title: 'Lost or Stolen Cards', version: '2.1' });
    expect(document?.body).toContain('#');
    expect(document?.body).not.toContain('approved_by');
  });

  it('when an approved document is not yet in force then it is not published until its first day', async () => {
    const directory = documentsFolder();
    expect(await readPublishedDocument(directory, 'savings-future', '2026-11-25')).toBeUndefined();
    expect(await readPublishedDocument(directory, 'savings-future', '2029-12-31')).toBeUndefined();
    expect(await readPublishedDocument(directory, 'savings-future', '2030-01-01')).toMatchObject({
      id: 'savings-future',
    });
  });

  it('when an approved document has expired then it is no longer published', async () => {
    const directory = documentsFolder();
    expect(await readPublishedDocument(directory, 'card-expired', '2024-12-31')).toMatchObject({
      id: 'card-expired',
    });
    expect(await readPublishedDocument(directory, 'card-expired', '2026-11-25')).toBeUndefined();
  });

  it('when a document is a draft or retired then it is not published', async () => {
    const directory = documentsFolder();
    expect(await readPublishedDocument(directory, 'business-draft', '2026-11-25')).toBeUndefined();
    expect(await readPublishedDocument(directory, 'fees-2023', '2023-06-01')).toBeUndefined();
  });

  it('when the id is not kebab-case or names no file then nothing is read', async () => {
    const directory = documentsFolder();
    expect(await readPublishedDocument(directory, '../card-lost', '2026-11-25')).toBeUndefined();
    expect(await readPublishedDocument(directory, 'Card-Lost', '2026-11-25')).toBeUndefined();
    expect(await readPublishedDocument(directory, 'no-such-document', '2026-11-25')).toBeUndefined();
  });

  it('when a published file no longer parses then the error is thrown, not hidden as "not found"', async () => {
    const directory = documentsFolder();
    writeFileSync(join(directory, 'broken.md'), '---\nid: broken\n---\n# Broken\n');
    await expect(readPublishedDocument(directory, 'broken', '2026-11-25')).rejects.toThrow();
  });
});
