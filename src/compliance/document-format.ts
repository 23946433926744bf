import { parseDocument } from 'yaml';
import { KnowledgeValidationError, parseKnowledgeDocument } from '../knowledge/parse-document.js';
import {
  type ArtifactFormat,
  draftHeaderIssues,
  type LineIssue,
  type StampFields,
  sortIssues,
  type ValidationResult,
} from './artifact-format.js';
import { aliasBombIssue, quoted, yamlOutputOptions } from './yaml-lines.js';

const FENCE = /^---\s*$/;

/**
 * Knowledge documents (`knowledge/documents/<id>.md`): front matter validated by the knowledge
 * parser (which reports lines), plus the structure chunking relies on — a `# Title` and `##`
 * sections that each have text.
 */
export const documentFormat: ArtifactFormat = {
  kind: 'document',
  fileName: (id) => `${id}.md`,

  validate(text, { mode, expectedId }): ValidationResult {
    const frontMatterLines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
    const fenceEnd = frontMatterLines.findIndex((line, index) => index > 0 && FENCE.test(line));
    if (FENCE.test(frontMatterLines[0] ?? '') && fenceEnd > 0) {
      // Front matter starts on line 2 of the file.
      const bomb = aliasBombIssue(frontMatterLines.slice(1, fenceEnd).join('\n'), 1);
      if (bomb) return { ok: false, errors: [bomb] };
    }
    let document: ReturnType<typeof parseKnowledgeDocument>;
    try {
      document = parseKnowledgeDocument(text, `${expectedId ?? 'draft'}.md`);
    } catch (error) {
      if (!(error instanceof KnowledgeValidationError)) throw error;
      return {
        ok: false,
        errors: sortIssues(error.issues.map(({ line, message }) => ({ line, message }))),
      };
    }
    const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
    const closing = lines.findIndex((line, index) => index > 0 && FENCE.test(line));
    const lineOf = (key: string) => {
      const index = lines.slice(0, closing).findIndex((line) => new RegExp(`^${key}\\s*:`).test(line));
      return index >= 0 ? index + 1 : 1;
    };
    const issues: LineIssue[] = [];
    if (mode === 'draft') {
      issues.push(...draftHeaderIssues(document.frontMatter, expectedId, lineOf));
      issues.push(...structureIssues(lines, document.bodyStartLine));
    }
    if (issues.length > 0) return { ok: false, errors: sortIssues(issues) };
    const { frontMatter } = document;
    return {
      ok: true,
      errors: [],
      parsed: {
        id: frontMatter.id,
        title: frontMatter.title,
        product: frontMatter.product,
        status: frontMatter.status,
        version: frontMatter.version,
        effectiveFrom: frontMatter.effective_from,
        effectiveUntil: frontMatter.effective_until ?? null,
        owner: frontMatter.owner,
        approvedBy: frontMatter.approved_by ?? null,
        frontMatter: { ...frontMatter },
        body: document.body,
      },
    };
  },

  stamp(text: string, fields: StampFields): string {
    const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
    const closing = lines.findIndex((line, index) => index > 0 && FENCE.test(line));
    if (!FENCE.test(lines[0] ?? '') || closing < 0)
      throw new Error('stamp needs a document with front matter');
    const yaml = parseDocument(lines.slice(1, closing).join('\n'));
    setHeaderFields(yaml, fields);
    const header = yaml.toString(yamlOutputOptions);
    return ['---', header.replace(/\n$/, ''), '---', ...lines.slice(closing + 1)].join('\n');
  },
};

/** Writes the workflow's header fields into a parsed YAML header. */
export function setHeaderFields(
  yaml: { set(key: unknown, value: unknown): void },
  fields: StampFields,
): void {
  yaml.set('version', quoted(fields.version));
  yaml.set('status', fields.status);
  if (fields.approvedBy !== undefined) yaml.set('approved_by', fields.approvedBy);
  if (fields.effectiveUntil !== undefined) yaml.set('effective_until', quoted(fields.effectiveUntil));
}

/**
 * What chunking needs to produce citable passages: a `# Title`, at least one `##` section, and
 * text under every section heading. Lines are file lines.
 */
function structureIssues(lines: readonly string[], bodyStartLine: number): LineIssue[] {
  const issues: LineIssue[] = [];
  const body = lines.slice(bodyStartLine - 1);
  const titleIndex = body.findIndex((line) => /^#\s+\S/.test(line));
  if (titleIndex < 0) {
    issues.push({ line: bodyStartLine, message: 'the body needs a `# Title` heading' });
  }
  const sections = body.map((line, index) => ({ line, index })).filter(({ line }) => /^##\s+\S/.test(line));
  if (sections.length === 0) {
    issues.push({
      line: bodyStartLine + Math.max(titleIndex, 0),
      message: 'the body needs at least one `## Section` heading with text under it',
    });
  }
  sections.forEach(({ line, index }, position) => {
    const end = sections[position + 1]?.index ?? body.length;
    const text = body.slice(index + 1, end).filter((candidate) => !/^#{1,6}\s/.test(candidate));
    if (text.every((candidate) => candidate.trim() === '')) {
      issues.push({
        line: bodyStartLine + index,
        message: `section "${line.replace(/^##\s+/, '').trim()}" has no text`,
      });
    }
  });
  return issues;
}
