import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPolicies } from '../../policy/load-policies.js';
import { createComplianceHarness } from '../../testing/compliance-harness.js';

type Harness = Awaited<ReturnType<typeof createComplianceHarness>>;

const base = '/v1/admin/policies';

function outputRulesDraft(extraRule = ''): string {
  return `# Phrases an answer must never contain.
id: output-rules
version: "1.2"
status: draft
effective_from: "2026-01-01"
owner: compliance-team

banned_phrases:
  - id: advice.guarantee
    patterns:
      - '\\bguaranteed? returns?\\b'
    action: remove
    reason: Promising returns is not allowed.
${extraRule}`;
}

const riskFreeRule = `  - id: advice.risk_free
    patterns:
      - '\\brisk[- ]free\\b'
    action: refuse
    reason: No investment is risk free.
`;

describe('compliance policy routes', () => {
  let harness: Harness;
  let alice: string;
  let bob: string;

  beforeEach(async () => {
    harness = await createComplianceHarness();
    [alice, bob] = await Promise.all([harness.tokenFor('alice'), harness.tokenFor('bob')]);
  });
  afterEach(() => harness.cleanup());

  it('when a policy draft is approved and published then the file keeps its comments and rules and the guardrails reload', async () => {
    const listed = await harness.call('GET', base, alice);
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([
      'guardrail-basics',
      'output-rules',
    ]);
    const saved = await harness.call('PUT', `${base}/output-rules/draft`, alice, {
      yaml: outputRulesDraft(riskFreeRule),
      expectedRevision: 0,
    });
    expect(saved.status).toBe(200);
    expect(
      (await harness.call('POST', `${base}/output-rules/approve`, alice, { expectedRevision: 1 })).status,
    ).toBe(409);
    expect(
      (await harness.call('POST', `${base}/output-rules/approve`, bob, { expectedRevision: 1 })).status,
    ).toBe(200);
    const published = await harness.call('POST', `${base}/output-rules/publish`, alice);
    expect(published.body).toMatchObject({
      version: '1.3',
      status: 'approved',
      applied: true,
      fileName: 'output-rules.yaml',
    });
    expect(harness.policyReloader.reloads).toBe(1);

    const file = readFileSync(join(harness.policiesDir, 'output-rules.yaml'), 'utf8');
    expect(file.startsWith('# Phrases an answer must never contain.\n')).toBe(true);
    expect(file).toContain(riskFreeRule);
    expect(file).toContain('approved_by: bob');
    // The guardrails' own loader accepts the folder and sees the new rule.
    const policies = loadPolicies({ directory: harness.policiesDir, day: '2026-11-25' });
    expect(policies.sources).toContain('output-rules@1.3');
    expect(policies.bannedPhrases.map((rule) => rule.id)).toContain('advice.risk_free');

    const read = await harness.call('GET', `${base}/output-rules`, alice);
    expect(read.body.published).toMatchObject({ version: '1.3', status: 'approved', errors: [] });
    expect(read.body.published.frontMatter).toMatchObject({ id: 'output-rules', approved_by: 'bob' });
    expect(read.body.published.body).toContain('advice.risk_free');
    const history = await harness.call('GET', `${base}/output-rules/history`, alice);
    expect(history.body.audit.map((entry: { action: string }) => entry.action)).toEqual([
      'policy.draft_saved',
      'policy.approval_refused',
      'policy.approved',
      'policy.published',
    ]);
  });

  it('when a policy draft has a broken pattern or header then the lines are reported', async () => {
    const brokenPattern = outputRulesDraft().replace("'\\bguaranteed? returns?\\b'", "'(unclosed'");
    const response = await harness.call('PUT', `${base}/output-rules/draft`, alice, {
      yaml: brokenPattern,
      expectedRevision: 0,
    });
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([
      { line: 11, message: expect.stringMatching(/^banned_phrases\.0\.patterns\.0: invalid pattern/) },
    ]);

    const badHeader = outputRulesDraft()
      .replace('version: "1.2"', 'version: latest')
      .replace('status: draft', 'status: approved');
    const header = await harness.call('POST', '/v1/admin/validate', alice, {
      kind: 'policy',
      yaml: badHeader,
      id: 'output-rules',
    });
    expect(header.body.ok).toBe(false);
    expect(header.body.errors).toEqual(
      expect.arrayContaining([
        { line: 3, message: expect.stringMatching(/^version: version must look like/) },
        // A missing key points at the start of the mapping (below the leading comment).
        { line: 2, message: 'approved_by: an approved policy needs approved_by' },
      ]),
    );

    const unknownSection = `${outputRulesDraft()}surprise_rules: []\n`;
    const unknown = await harness.call('POST', '/v1/admin/validate', alice, {
      kind: 'policy',
      yaml: unknownSection,
    });
    expect(unknown.body.errors).toEqual([
      { line: 14, message: expect.stringMatching(/^surprise_rules: not a header key or a rule section/) },
    ]);

    const notYaml = await harness.call('POST', '/v1/admin/validate', alice, {
      kind: 'policy',
      yaml: 'id: output-rules\nversion: [unclosed\nstatus: draft\n',
    });
    expect(notYaml.body.errors[0]).toMatchObject({
      line: expect.any(Number),
      message: expect.stringMatching(/^invalid YAML/),
    });
    expect(notYaml.body.errors[0].line).toBeGreaterThanOrEqual(2);

    // A file in the former two-document layout (header, ---, rules) no longer loads.
    const twoDocuments = outputRulesDraft().replace(
      'owner: compliance-team\n\n',
      'owner: compliance-team\n---\n',
    );
    const separated = await harness.call('PUT', `${base}/output-rules/draft`, alice, {
      yaml: twoDocuments,
      expectedRevision: 0,
    });
    expect(separated.status).toBe(400);
    expect(separated.body.error.details).toEqual([
      { line: 7, message: expect.stringMatching(/^unexpected --- .*no --- line/) },
    ]);

    const headerAfterRules = `${outputRulesDraft().replace('owner: compliance-team\n', '')}owner: compliance-team\n`;
    const misplaced = await harness.call('POST', '/v1/admin/validate', alice, {
      kind: 'policy',
      yaml: headerAfterRules,
      id: 'output-rules',
    });
    expect(misplaced.body.errors).toEqual([
      {
        line: 13,
        message: expect.stringMatching(
          /^owner: header keys come before the rule sections; move it above line 7/,
        ),
      },
    ]);

    const good = await harness.call('POST', '/v1/admin/validate', alice, {
      kind: 'policy',
      yaml: outputRulesDraft(riskFreeRule),
      id: 'output-rules',
    });
    expect(good.body).toEqual({ ok: true, errors: [] });
  });

  it('when retiring a policy would leave the folder unable to load then it is refused and nothing changes', async () => {
    const before = readFileSync(join(harness.policiesDir, 'guardrail-basics.yaml'), 'utf8');
    const refused = await harness.call('POST', `${base}/guardrail-basics/retire`, alice, {
      reason: 'tidying up',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/refuse to start.*thresholds/);
    expect(readFileSync(join(harness.policiesDir, 'guardrail-basics.yaml'), 'utf8')).toBe(before);
    expect(harness.policyReloader.reloads).toBe(0);

    const requested = await harness.call('POST', `${base}/output-rules/retire`, alice, {
      reason: 'merged into another file',
    });
    expect(requested.status).toBe(202);
    await harness.call('POST', `${base}/output-rules/approve`, bob, {
      expectedRevision: 1,
      acknowledgeGuardrailsOff: true,
    });
    const retired = await harness.call('POST', `${base}/output-rules/publish`, bob);
    expect(retired.body).toMatchObject({ status: 'retired', version: '1.2' });
    expect(loadPolicies({ directory: harness.policiesDir, day: '2026-11-25' }).sources).toEqual([
      'guardrail-basics@1.0',
    ]);
  });

  it('when one officer asks to retire a guardrail policy then the approver is told it turns the guardrail off, and it is audited', async () => {
    const before = readFileSync(join(harness.policiesDir, 'output-rules.yaml'), 'utf8');
    const requested = await harness.call('POST', `${base}/output-rules/retire`, alice, {
      reason: 'too strict',
    });
    expect(requested.status).toBe(202);
    expect(requested.body.guardrailWarnings).toEqual([
      expect.objectContaining({ guardrail: 'output_rules', before: 1, after: 0, turnsOff: true }),
    ]);
    expect(requested.body.guardrailWarnings[0].message).toMatch(/TURNS OFF output rules/);
    // Nothing happened yet: the guardrails still load the file.
    expect(readFileSync(join(harness.policiesDir, 'output-rules.yaml'), 'utf8')).toBe(before);
    expect(harness.policyReloader.reloads).toBe(0);
    // The reviewer sees the warning on the draft, and an approval that does not acknowledge it is refused.
    const read = await harness.call('GET', `${base}/output-rules`, bob);
    expect(read.body.draft).toMatchObject({ change: 'retire', reason: 'too strict' });
    expect(read.body.draft.guardrailWarnings[0].turnsOff).toBe(true);
    const unacknowledged = await harness.call('POST', `${base}/output-rules/approve`, bob, {
      expectedRevision: 1,
    });
    expect(unacknowledged.status).toBe(409);
    expect(unacknowledged.body.error.message).toMatch(/TURNS OFF output rules.*acknowledgeGuardrailsOff/);
    const approved = await harness.call('POST', `${base}/output-rules/approve`, bob, {
      expectedRevision: 1,
      acknowledgeGuardrailsOff: true,
    });
    expect(approved.status).toBe(200);
    expect((await harness.call('POST', `${base}/output-rules/publish`, alice)).status).toBe(200);
    const actions = harness.audit
      .list({ subject: 'policy:output-rules' })
      .reverse()
      .map((record) => [record.action, record.details.guardrailsTurnedOff]);
    expect(actions).toEqual([
      ['policy.retirement_requested', ['output_rules']],
      ['policy.approval_refused', ['output_rules']],
      ['policy.approved', ['output_rules']],
      ['policy.retired', ['output_rules']],
    ]);
  });

  it('when a draft empties a guardrail section then the draft says it turns that guardrail off', async () => {
    const emptied = outputRulesDraft().replace(/banned_phrases:[\s\S]*$/, 'banned_phrases: []\n');
    const saved = await harness.call('PUT', `${base}/output-rules/draft`, alice, {
      yaml: emptied,
      expectedRevision: 0,
    });
    expect(saved.status).toBe(200);
    expect(saved.body.guardrailWarnings).toEqual([
      expect.objectContaining({ guardrail: 'output_rules', turnsOff: true }),
    ]);
    const approve = await harness.call('POST', `${base}/output-rules/approve`, bob, { expectedRevision: 1 });
    expect(approve.status).toBe(409);
    // A draft that adds a rule warns about nothing.
    const stricter = await harness.call('PUT', `${base}/output-rules/draft`, alice, {
      yaml: outputRulesDraft(riskFreeRule),
      expectedRevision: 1,
    });
    expect(stricter.body.guardrailWarnings).toEqual([]);
  });

  it('when a draft raises the injection threshold to 1 then it says prompt-injection blocking is turned off', async () => {
    const path = join(harness.policiesDir, 'guardrail-basics.yaml');
    const draft = readFileSync(path, 'utf8')
      .replace('status: approved', 'status: draft')
      .replace(/^approved_by: .*\n/m, '')
      .replace('injection_score: 0.7', 'injection_score: 1');
    const saved = await harness.call('PUT', `${base}/guardrail-basics/draft`, alice, {
      yaml: draft,
      expectedRevision: 0,
    });
    expect(saved.status).toBe(200);
    expect(saved.body.guardrailWarnings).toEqual([
      expect.objectContaining({ guardrail: 'injection', turnsOff: true }),
    ]);
  });

  it('when a draft carries a YAML alias bomb then save and validate answer 400 with the line, never 500', async () => {
    const bomb = [
      'lol1: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
      'lol2: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'lol3: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'lol4: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'lol5: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
      'lol6: [*e, *e, *e, *e, *e, *e, *e, *e, *e]',
      '',
    ].join('\n');
    const policy = `${outputRulesDraft()}${bomb}`;
    const saved = await harness.call('PUT', `${base}/output-rules/draft`, alice, {
      yaml: policy,
      expectedRevision: 0,
    });
    expect(saved.status).toBe(400);
    expect(saved.body.error.details).toEqual([{ line: 15, message: expect.stringMatching(/aliases/) }]);
    const validated = await harness.call('POST', '/v1/admin/validate', alice, {
      kind: 'policy',
      yaml: policy,
      id: 'output-rules',
    });
    expect(validated.status).toBe(200);
    expect(validated.body).toMatchObject({
      ok: false,
      errors: [{ line: 15, message: expect.stringMatching(/aliases/) }],
    });

    const document = `---\nid: card-lost\n${bomb}---\n# Lost cards\n\n## Section\nText.\n`;
    const savedDocument = await harness.call('PUT', '/v1/admin/documents/card-lost/draft', alice, {
      markdown: document,
      expectedRevision: 0,
    });
    expect(savedDocument.status).toBe(400);
    expect(savedDocument.body.error.details[0]).toMatchObject({
      line: 4,
      message: expect.stringMatching(/aliases/),
    });
    const validatedDocument = await harness.call('POST', '/v1/admin/validate', alice, {
      kind: 'document',
      markdown: document,
    });
    expect(validatedDocument.status).toBe(200);
    expect(validatedDocument.body.ok).toBe(false);
  });

  it('when a document id is used under policies then it is simply not found', async () => {
    expect((await harness.call('GET', `${base}/card-lost`, alice)).status).toBe(404);
    expect((await harness.call('GET', `${base}/..%2Fdocuments%2Fcard-lost`, alice)).status).toBe(400);
  });
});
