import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KnowledgeValidationError, parseKnowledgeDocument } from './parse-document.js';

const valid = readFileSync(join(import.meta.dirname, 'fixtures', 'overdraft-basics.md'), 'utf8');

function issuesOf(text: string) {
  try {
    parseKnowledgeDocument(text, 'docs/example.md');
  } catch (error) {
    if (error instanceof KnowledgeValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected a validation error');
}

describe('parseKnowledgeDocument', () => {
  it('when the document is valid then it returns front matter, title and body', () => {
    const document = parseKnowledgeDocument(valid, 'overdraft-basics.md');
    expect(document.frontMatter.id).toBe('overdraft-basics');
    expect(document.title).toBe('How Overdrafts Work');
    expect(document.body).toContain('## Unarranged borrowing');
    expect(document.bodyStartLine).toBe(14);
  });

  it('when a field is invalid then the issue names the file and the line of that field', () => {
    const broken = valid.replace('version: "1.0"', 'version: "one"');
    const [issue, ...rest] = issuesOf(broken);
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ path: 'docs/example.md', line: 7 });
    expect(issue?.message).toMatch(/^version: version must look like/);
  });

  it('when a list item is of the wrong type then the line of that item is reported', () => {
    const broken = valid.replace('tags: [overdraft, borrowing]', 'tags:\n  - overdraft\n  - 85000');
    expect(issuesOf(broken)).toEqual([
      { path: 'docs/example.md', line: 14, message: expect.stringMatching(/^tags\.1: .*expected string/) },
    ]);
  });

  it('when several fields are wrong then every one is reported with its own line', () => {
    const broken = valid
      .replace('status: approved', 'status: published')
      .replace('audience: retail', 'audience: everyone');
    expect(issuesOf(broken).map((issue) => issue.line)).toEqual([6, 8]);
  });

  it('when an unknown key is present then the strict schema rejects it', () => {
    const broken = valid.replace('owner: lending-policy', 'owner: lending-policy\nreviewer: someone');
    expect(issuesOf(broken)[0]?.message).toMatch(/reviewer/);
  });

  it('when the YAML itself is malformed then the YAML error line is reported', () => {
    const broken = valid.replace(
      'approved_by: compliance-board',
      'approved_by: compliance-board\nowner: again',
    );
    const [issue] = issuesOf(broken);
    expect(issue?.message).toMatch(/^invalid YAML/);
    expect(issue?.line).toBe(12);
  });

  it('when the front matter is missing or unclosed then line 1 is blamed', () => {
    expect(issuesOf('# Title only\n')[0]).toMatchObject({
      line: 1,
      message: expect.stringMatching(/missing front matter/),
    });
    expect(issuesOf('---\nid: x\n# never closed\n')[0]?.message).toMatch(/not closed/);
  });
});
