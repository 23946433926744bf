import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import {
  type KnowledgeDocument,
  type KnowledgeIssue,
  KnowledgeValidationError,
  parseKnowledgeDocument,
} from './parse-document.js';

/**
 * Reads and validates every `*.md` file in a directory (not recursive). All problems across all
 * files are collected before throwing, so one run of the ingest shows every broken file at once.
 * Duplicate document ids are an error: the id is the key of everything downstream.
 */
export async function loadKnowledgeDocuments(
  knowledgeDir: string,
  options: { readonly displayRoot?: string } = {},
): Promise<KnowledgeDocument[]> {
  const names = (await readdir(knowledgeDir)).filter((name) => name.endsWith('.md')).sort();
  const documents: KnowledgeDocument[] = [];
  const issues: KnowledgeIssue[] = [];
  const firstPathById = new Map<string, string>();
  for (const name of names) {
    const absolute = join(knowledgeDir, name);
    const shown = options.displayRoot ? relative(options.displayRoot, absolute) : absolute;
    try {
      const text = await readFile(absolute, 'utf8');
      const document = parseKnowledgeDocument(text, shown);
      const earlier = firstPathById.get(document.frontMatter.id);
      if (earlier) {
        const line = text.split(/\r?\n/).findIndex((candidate) => /^id\s*:/.test(candidate)) + 1;
        const message = `id "${document.frontMatter.id}" is already used by ${earlier}`;
        issues.push({ path: shown, line: Math.max(line, 1), message });
        continue;
      }
      firstPathById.set(document.frontMatter.id, shown);
      documents.push(document);
    } catch (error) {
      if (error instanceof KnowledgeValidationError) issues.push(...error.issues);
      else throw error;
    }
  }
  if (issues.length > 0) throw new KnowledgeValidationError(issues);
  return documents;
}
