import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirectoryPublishedFiles, isArtifactId } from './published-files.js';

describe('DirectoryPublishedFiles', () => {
  let root: string;
  let files: DirectoryPublishedFiles;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'teller-published-'));
    files = new DirectoryPublishedFiles({
      documentsDir: join(root, 'documents'),
      policiesDir: join(root, 'policies'),
    });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('when a file is written then it replaces the old one and leaves no temporary file', async () => {
    const path = await files.write('document', 'card-lost', 'first');
    await files.write('document', 'card-lost', 'second');
    expect(readFileSync(path, 'utf8')).toBe('second');
    expect(readdirSync(join(root, 'documents'))).toEqual(['card-lost.md']);
    expect(await files.read('document', 'card-lost')).toBe('second');
    expect(await files.read('document', 'missing')).toBeUndefined();
  });

  it('when the folder holds other files then only valid ids of the kind are listed', async () => {
    await files.write('document', 'card-lost', 'x');
    writeFileSync(join(root, 'documents', 'Not An Id.md'), 'x');
    writeFileSync(join(root, 'documents', '.card-lost.abc.tmp'), 'x');
    writeFileSync(join(root, 'documents', 'notes.txt'), 'x');
    expect((await files.list('document')).map((file) => file.id)).toEqual(['card-lost']);
    expect(await files.list('policy').catch((error: NodeJS.ErrnoException) => error.code)).toBe('ENOENT');
  });

  it.each([
    '../../etc/passwd',
    '..',
    'card-lost/../../x',
    '/etc/passwd',
    'a\u0000b',
    'Card',
    'x'.repeat(101),
    '',
  ])('when the id is %j then every file operation refuses it', async (id) => {
    expect(isArtifactId(id)).toBe(false);
    await expect(files.read('document', id)).rejects.toThrow(/invalid document id/);
    await expect(files.write('policy', id, 'x')).rejects.toThrow(/invalid policy id/);
  });
});
