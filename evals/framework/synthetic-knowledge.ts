/**
 * Grows a knowledge directory to a given size for scale benchmarks: the real documents and
 * policies are copied into a temporary directory and synthetic approved documents are added, ten
 * `##` sections each (one chunk per section), written with words drawn from the real corpus so
 * term statistics and embeddings look like policy text.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRandom } from '../../src/common/seeded-random.js';

/**
 * Copies `sourceKnowledgeDir` (its `documents/` and `policies/`) into `directory` and adds
 * synthetic approved documents until about `chunks` extra sections exist. Deterministic per seed.
 */
export function writeSyntheticKnowledge(
  sourceKnowledgeDir: string,
  directory: string,
  chunks: number,
  seed: number,
): { documents: number; sections: number } {
  const sourceDocuments = join(sourceKnowledgeDir, 'documents');
  mkdirSync(join(directory, 'documents'), { recursive: true });
  cpSync(sourceDocuments, join(directory, 'documents'), { recursive: true });
  const sourcePolicies = join(sourceKnowledgeDir, 'policies');
  if (existsSync(sourcePolicies)) cpSync(sourcePolicies, join(directory, 'policies'), { recursive: true });
  const words = readdirSync(sourceDocuments)
    .filter((name) => name.endsWith('.md'))
    .flatMap(
      (name) =>
        readFileSync(join(sourceDocuments, name), 'utf8')
          .replace(/^---[\s\S]*?---/, '')
          .toLowerCase()
          .match(/[a-z]{3,}/g) ?? [],
    );
  const random = createRandom(seed);
  const products = [
    'accounts',
    'fees',
    'cards',
    'payments',
    'overdrafts',
    'disputes',
    'fraud',
    'complaints',
    'savings',
  ];
  const sectionsPerDocument = 10;
  const documents = Math.ceil(chunks / sectionsPerDocument);
  const sentence = () => {
    const length = 10 + random.integer(10);
    const text = Array.from({ length }, () => random.pick(words)).join(' ');
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
  };
  for (let documentIndex = 0; documentIndex < documents; documentIndex++) {
    const id = `synthetic-${String(documentIndex).padStart(5, '0')}`;
    const sections = Array.from({ length: sectionsPerDocument }, (_, sectionIndex) => {
      const paragraph = Array.from({ length: 4 }, sentence).join(' ');
      return `## ${random.pick(words)} ${random.pick(words)} ${sectionIndex + 1}\n${paragraph}\n`;
    });
    writeFileSync(
      join(directory, 'documents', `${id}.md`),
      [
        '---',
        `id: ${id}`,
        `title: Synthetic policy ${documentIndex}`,
        `product: ${products[documentIndex % products.length]}`,
        'jurisdiction: UK',
        'audience: retail',
        'version: "1.0"',
        'status: approved',
        'effective_from: "2020-01-01"',
        'effective_until: null',
        'owner: benchmark',
        'approved_by: benchmark',
        'tags: [synthetic]',
        '---',
        `# Synthetic policy ${documentIndex}`,
        '',
        ...sections,
      ].join('\n'),
    );
  }
  return { documents, sections: documents * sectionsPerDocument };
}
