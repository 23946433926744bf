import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicyFile } from '../policy/load-policies.js';
import { policyFormat } from './policy-format.js';

const draft = `# Phrases an answer must never contain.
id: output-rules
version: '1.2'
status: draft # until someone else approves it
effective_from: "2026-01-01"
owner: compliance-team

# Kept as written, quoting and all.
banned_phrases:
  - id: advice.guarantee
    patterns: ['\\bguaranteed? returns?\\b', "\\\\brisk[- ]free\\\\b"]
    action: remove
    reason: >-
      Promising returns is not allowed;
      status: approved is not a header line here.
`;

/** Everything from the first blank line after the header: what stamping must never change. */
function rulesOf(text: string): string {
  return text.slice(text.indexOf('\n\n'));
}

describe('policyFormat.validate', () => {
  it('when a draft is one mapping with the header first then it is valid and the body is the rules', () => {
    const result = policyFormat.validate(draft, { mode: 'draft', expectedId: 'output-rules' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.parsed).toMatchObject({ id: 'output-rules', version: '1.2', status: 'draft' });
    expect(result.parsed.body.startsWith('# Kept as written')).toBe(true);
  });

  it('when the header is a document of its own (the former layout) then the --- line is reported', () => {
    const separated = draft.replace('owner: compliance-team\n\n', 'owner: compliance-team\n---\n');
    const result = policyFormat.validate(separated, { mode: 'published' });
    expect(result).toEqual({
      ok: false,
      errors: [{ line: 7, message: expect.stringMatching(/^unexpected --- \(a second YAML document\)/) }],
    });
    // The guardrails loader refuses the same file, so the two never disagree.
    expect(() => parsePolicyFile('output-rules.yaml', separated)).toThrow(/one YAML document/);
  });

  it('when a draft repeats a header key further down to sneak in approval then it is invalid YAML at that line', () => {
    const smuggled = `${draft}status: approved\napproved_by: mallory\n`;
    const result = policyFormat.validate(smuggled, { mode: 'draft', expectedId: 'output-rules' });
    expect(result.ok).toBe(false);
    expect(result.errors[0]).toMatchObject({ line: 16, message: expect.stringMatching(/^invalid YAML/) });
  });

  it('when the file is empty or only a comment then it says what a policy file looks like', () => {
    for (const text of ['', '# nothing yet\n']) {
      expect(policyFormat.validate(text, { mode: 'draft' }).errors).toEqual([
        { line: 1, message: expect.stringMatching(/^the file is empty: a policy file is one YAML mapping/) },
      ]);
    }
  });
});

describe('policyFormat.stamp', () => {
  it('when a draft is approved then only header values change and approved_by joins the header, not the rules', () => {
    const stamped = policyFormat.stamp(draft, { status: 'approved', version: '1.3', approvedBy: 'bob' });
    expect(stamped).toBe(
      draft
        .replace("version: '1.2'", "version: '1.3'")
        .replace('status: draft #', 'status: approved #')
        .replace('owner: compliance-team\n', 'owner: compliance-team\napproved_by: bob\n'),
    );
    expect(policyFormat.validate(stamped, { mode: 'published', expectedId: 'output-rules' })).toMatchObject({
      ok: true,
      parsed: { status: 'approved', version: '1.3', approvedBy: 'bob' },
    });
  });

  it('when a policy is retired then effective_until goes after effective_from and a plain version gets quoted', () => {
    const plain = draft.replace("version: '1.2'", 'version: 1.2.0');
    const stamped = policyFormat.stamp(plain, {
      status: 'retired',
      version: '1.3',
      effectiveUntil: '2026-12-01',
    });
    expect(stamped.split('\n').slice(1, 7)).toEqual([
      'id: output-rules',
      'version: "1.3"',
      'status: retired # until someone else approves it',
      'effective_from: "2026-01-01"',
      'effective_until: "2026-12-01"',
      'owner: compliance-team',
    ]);
    expect(rulesOf(stamped)).toBe(rulesOf(plain));
    expect(parsePolicyFile('output-rules.yaml', stamped).header.version).toBe('1.3');
  });

  it('when the header is not first or the file has two documents then stamping refuses instead of guessing', () => {
    const late = `${draft.replace('owner: compliance-team\n', '')}owner: compliance-team\n`;
    expect(() => policyFormat.stamp(late, { status: 'approved', version: '1.3' })).toThrow(/header first/);
    const separated = draft.replace('owner: compliance-team\n\n', 'owner: compliance-team\n---\n');
    expect(() => policyFormat.stamp(separated, { status: 'approved', version: '1.3' })).toThrow(
      /one YAML mapping/,
    );
  });

  it('when every shipped policy file is stamped then it still loads and its rules are unchanged', () => {
    const folder = join(import.meta.dirname, '../../knowledge/policies');
    const names = readdirSync(folder).filter((name) => name.endsWith('.yaml'));
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) {
      const text = readFileSync(join(folder, name), 'utf8');
      const id = name.replace(/\.yaml$/, '');
      expect(policyFormat.validate(text, { mode: 'published', expectedId: id }).errors).toEqual([]);
      const stamped = policyFormat.stamp(text, {
        status: 'retired',
        version: '9.1',
        effectiveUntil: '2027-01-01',
      });
      const firstSection = text.search(
        /^(?!(?:id|version|status|effective_from|effective_until|owner|approved_by):)[a-z_]+:/m,
      );
      expect(stamped.endsWith(text.slice(firstSection))).toBe(true);
      expect(parsePolicyFile(name, stamped).header).toMatchObject({
        status: 'retired',
        version: '9.1',
        effective_until: '2027-01-01',
      });
    }
  });
});
