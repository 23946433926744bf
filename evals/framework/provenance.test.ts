import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprintDataset, fingerprintKnowledge } from './provenance.js';

const root = mkdtempSync(join(tmpdir(), 'teller-provenance-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('fingerprintKnowledge', () => {
  it('lists id@version from Markdown front matter and YAML policies, and hashes the contents', () => {
    mkdirSync(join(root, 'knowledge', 'documents'), { recursive: true });
    mkdirSync(join(root, 'knowledge', 'policies'), { recursive: true });
    writeFileSync(
      join(root, 'knowledge', 'documents', 'b.md'),
      '---\nid: cards-pin\nversion: "1.2"\n---\nText',
    );
    writeFileSync(
      join(root, 'knowledge', 'documents', 'a.md'),
      '---\nid: fees-tariff\nversion: 3\n---\nText',
    );
    writeFileSync(join(root, 'knowledge', 'documents', 'notes.txt'), 'ignored');
    writeFileSync(
      join(root, 'knowledge', 'policies', 'rails.yaml'),
      'id: input-rails\nversion: "2.0"\nrules: []\n',
    );
    const first = fingerprintKnowledge(join(root, 'knowledge'));
    expect(first.documents).toMatchObject({ count: 2, versions: ['fees-tariff@3', 'cards-pin@1.2'] });
    expect(first.policies.versions).toEqual(['input-rails@2.0']);
    writeFileSync(
      join(root, 'knowledge', 'documents', 'a.md'),
      '---\nid: fees-tariff\nversion: 3\n---\nChanged',
    );
    expect(fingerprintKnowledge(join(root, 'knowledge')).documents.sha256).not.toBe(first.documents.sha256);
  });

  it('when the folders are absent then reports zero files', () => {
    expect(fingerprintKnowledge(join(root, 'missing')).documents.count).toBe(0);
  });
});

describe('fingerprintDataset', () => {
  it('records every file with its size and hash', () => {
    mkdirSync(join(root, 'dataset', 'nested'), { recursive: true });
    writeFileSync(join(root, 'dataset', 'train.csv'), 'a,b\n');
    writeFileSync(join(root, 'dataset', 'nested', 'test.csv'), 'c\n');
    const fingerprint = fingerprintDataset('demo', join(root, 'dataset'));
    expect(fingerprint.files.map((file) => [file.path, file.bytes])).toEqual([
      [join('nested', 'test.csv'), 2],
      ['train.csv', 4],
    ]);
    expect(fingerprint.files[1]?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
