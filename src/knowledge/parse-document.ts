import { LineCounter, parseDocument } from 'yaml';
import { lineOfPath } from '../text/yaml-lines.js';
import { type FrontMatter, frontMatterSchema } from './front-matter.js';

/** A policy document read from `knowledge/documents/*.md`, front matter validated. */
export interface KnowledgeDocument {
  readonly frontMatter: FrontMatter;
  /** The `# Title` line when present, otherwise the front-matter title. */
  readonly title: string;
  /** Markdown body after the front matter. */
  readonly body: string;
  /** 1-based line of the first body line in the file, so chunk problems can point at the source. */
  readonly bodyStartLine: number;
  /** Path as given to the parser, used in error messages. */
  readonly path: string;
}

/** One problem in one file, with the 1-based line it was found on. */
export interface KnowledgeIssue {
  readonly path: string;
  readonly line: number;
  readonly message: string;
}

/** Thrown when one or more documents are invalid; `issues` says where and why. */
export class KnowledgeValidationError extends Error {
  readonly issues: readonly KnowledgeIssue[];

  constructor(issues: readonly KnowledgeIssue[]) {
    super(
      `${issues.length} problem(s) in the knowledge documents:\n${issues.map(formatKnowledgeIssue).join('\n')}`,
    );
    this.name = 'KnowledgeValidationError';
    this.issues = issues;
  }
}

/** `path:line: message`, the shape editors and CI logs turn into links. */
export function formatKnowledgeIssue(issue: KnowledgeIssue): string {
  return `${issue.path}:${issue.line}: ${issue.message}`;
}

const FENCE = /^---\s*$/;

/**
 * Parses one Markdown document with YAML front matter. Throws `KnowledgeValidationError` whose
 * issues name the file and the front-matter line of each problem (zod issue paths are mapped back
 * to the YAML node that holds the value, or to the opening fence when a key is missing).
 */
export function parseKnowledgeDocument(text: string, path: string): KnowledgeDocument {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (!FENCE.test(lines[0] ?? '')) {
    throw new KnowledgeValidationError([
      { path, line: 1, message: 'missing front matter: the file must start with a `---` line' },
    ]);
  }
  const closing = lines.findIndex((line, index) => index > 0 && FENCE.test(line));
  if (closing < 0) {
    throw new KnowledgeValidationError([
      { path, line: 1, message: 'front matter is not closed: add a `---` line after it' },
    ]);
  }
  const yamlText = lines.slice(1, closing).join('\n');
  // Line 1 of the YAML text is line 2 of the file.
  const yamlLineOffset = 1;
  const lineCounter = new LineCounter();
  const yamlDocument = parseDocument(yamlText, { lineCounter, prettyErrors: false });
  if (yamlDocument.errors.length > 0) {
    throw new KnowledgeValidationError(
      yamlDocument.errors.map((error) => ({
        path,
        line: lineCounter.linePos(error.pos[0]).line + yamlLineOffset,
        message: `invalid YAML: ${error.message.split('\n')[0]}`,
      })),
    );
  }
  const result = frontMatterSchema.safeParse(yamlDocument.toJS());
  if (!result.success) {
    throw new KnowledgeValidationError(
      result.error.issues.map((issue) => {
        const line = lineOfPath(yamlDocument.contents, issue.path, lineCounter, yamlLineOffset) ?? 1;
        const field = issue.path.length > 0 ? issue.path.join('.') : 'front matter';
        return { path, line, message: `${field}: ${issue.message}` };
      }),
    );
  }
  const bodyLines = lines.slice(closing + 1);
  const body = bodyLines.join('\n');
  const heading = bodyLines.find((line) => /^#\s+\S/.test(line));
  return {
    frontMatter: result.data,
    title: heading ? heading.replace(/^#\s+/, '').trim() : result.data.title,
    body,
    bodyStartLine: closing + 2,
    path,
  };
}
