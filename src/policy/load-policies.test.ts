import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPolicies, mergePolicies, PolicyLoadError, parsePolicyFile } from './load-policies.js';

const directory = fileURLToPath(new URL('../../knowledge/policies', import.meta.url));

const header = (overrides: string) => `id: sample
version: "1.0"
status: approved
effective_from: "2026-01-01"
owner: compliance
approved_by: head-of-compliance
${overrides}`;

function issuesOf(action: () => unknown): PolicyLoadError['issues'] {
  try {
    action();
  } catch (error) {
    if (error instanceof PolicyLoadError) return error.issues;
    throw error;
  }
  throw new Error('expected a PolicyLoadError');
}

describe('loadPolicies', () => {
  it('when the committed policies load then every section is populated', () => {
    const policies = loadPolicies({ directory, day: '2026-06-01' });
    expect(policies.sources.length).toBeGreaterThanOrEqual(7);
    expect(policies.regulatedAdvice.length).toBeGreaterThan(0);
    expect(policies.requiredDisclosures.map((rule) => rule.id)).toContain('disclosure.savings');
    expect(policies.thresholds.injection_score).toBeGreaterThan(0);
  });

  it('when a pattern is not a valid regular expression then the error names file and path', () => {
    const text = `${header('')}\nbanned_phrases:\n  - id: bad.rule\n    reason: broken pattern\n    patterns: ['(unclosed']\n`;
    const issues = issuesOf(() => parsePolicyFile('bad.yaml', text));
    expect(issues[0]).toMatchObject({ file: 'bad.yaml', path: 'banned_phrases.0.patterns.0' });
  });

  it('when an approved file has no approver then the header path is reported', () => {
    const text = `id: sample\nversion: "1.0"\nstatus: approved\neffective_from: "2026-01-01"\nowner: x1\n`;
    expect(issuesOf(() => parsePolicyFile('p.yaml', text))[0]).toMatchObject({ path: 'approved_by' });
  });

  it('when a file is split into several YAML documents or is not a mapping then it says how to fix it', () => {
    const split = issuesOf(() => parsePolicyFile('p.yaml', `${header('')}---\nthresholds: {}\n`));
    expect(split[0]?.message).toMatch(/one YAML document/);
    expect(issuesOf(() => parsePolicyFile('p.yaml', '- a\n- b\n'))[0]?.message).toMatch(/mapping/);
  });

  it('when header fields are missing then each is reported by name', () => {
    const paths = issuesOf(() => parsePolicyFile('p.yaml', 'thresholds: {}\n')).map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['id', 'version', 'status', 'effective_from', 'owner']));
  });

  it('when a body key is unknown then it is rejected rather than silently ignored', () => {
    const issues = issuesOf(() => parsePolicyFile('p.yaml', `${header('')}\nbaned_phrases: []\n`));
    expect(issues[0]?.path).toBe('');
    expect(issues[0]?.message).toMatch(/baned_phrases/);
  });

  it('when drafts, retired and future files exist then only approved in-force ones apply, newest version first', () => {
    const folder = mkdtempSync(join(tmpdir(), 'policies-'));
    const base = loadPolicies({ directory, day: '2026-06-01' });
    for (const [name, status, version, from, value] of [
      ['a.yaml', 'approved', '1.0', '2026-01-01', 0.5],
      ['b.yaml', 'approved', '1.1', '2026-03-01', 0.55],
      ['c.yaml', 'draft', '2.0', '2026-04-01', 0.9],
      ['d.yaml', 'approved', '3.0', '2027-01-01', 0.95],
      ['e.yaml', 'retired', '4.0', '2026-05-01', 0.99],
    ] as const) {
      writeFileSync(
        join(folder, name),
        `id: guardrail-thresholds\nversion: "${version}"\nstatus: ${status}\neffective_from: "${from}"\nowner: compliance\napproved_by: head\nthresholds:\n  injection_score: ${value}\n  groundedness_minimum: 0.6\n  sentence_support_minimum: 0.5\n  handoff_confidence: 0.3\n  out_of_scope_score: 0.7\n  emotion_score: 0.8\n  rephrase_similarity: 0.6\n`,
      );
    }
    const referral = Object.entries(base.referralTexts)
      .map(([key, value]) => `  ${key}: ${JSON.stringify(value)}`)
      .join('\n');
    writeFileSync(
      join(folder, 'r.yaml'),
      `${header('').replace('id: sample', 'id: referral-texts')}\nreferral_texts:\n${referral}\n`,
    );
    const policies = loadPolicies({ directory: folder, day: '2026-06-01' });
    expect(policies.thresholds.injection_score).toBe(0.55);
    expect(policies.sources).toContain('guardrail-thresholds@1.1');
  });

  it('when no in-force policy sets a threshold then merging fails and lists it', () => {
    const parsed = parsePolicyFile('only.yaml', `${header('')}\nthresholds:\n  injection_score: 0.5\n`);
    const issues = issuesOf(() => mergePolicies([parsed], '2026-06-01'));
    expect(issues.map((issue) => issue.path)).toContain('thresholds.groundedness_minimum');
    expect(issues.map((issue) => issue.path)).toContain('referral_texts.out_of_scope');
  });
});
