import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isInForce } from './front-matter.js';
import { parseKnowledgeDocument } from './parse-document.js';

/** A published policy document as the console shows it to anyone. */
export interface PublishedDocument {
  readonly id: string;
  readonly title: string;
  readonly version: string;
  /** Markdown body without front matter. */
  readonly body: string;
}

/** Document ids are kebab-case, which also keeps `id` from naming a path outside the folder. */
const DOCUMENT_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Reads `<documentsDir>/<id>.md` and returns it only when it is approved and in force on `day`
 * (YYYY-MM-DD); drafts, retired, future and expired documents are not published. An id that is not
 * kebab-case or names no file is simply not published; any other failure (an unreadable folder, a
 * document that no longer parses) is thrown for the caller's error handler to report, not hidden.
 */
export async function readPublishedDocument(
  documentsDir: string,
  id: string,
  day: string,
): Promise<PublishedDocument | undefined> {
  if (!DOCUMENT_ID.test(id)) return undefined;
  const path = join(documentsDir, `${id}.md`);
  let source: string;
  try {
    source = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const document = parseKnowledgeDocument(source, path);
  if (!isInForce(document.frontMatter, day)) return undefined;
  return {
    id,
    title: document.frontMatter.title,
    version: document.frontMatter.version,
    body: document.body,
  };
}
