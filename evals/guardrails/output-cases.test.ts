import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createGuardrails } from '../../src/guardrails/create-guardrails.js';
import { loadPolicies } from '../../src/policy/load-policies.js';
import { runOutputCases } from './output-cases.js';

describe('output-cases.yaml', () => {
  it('when every hand-written draft runs through the output rails then each meets its expectation', async () => {
    const policies = loadPolicies({
      directory: fileURLToPath(new URL('../../knowledge/policies', import.meta.url)),
      day: '2026-06-01',
    });
    const result = await runOutputCases(
      policies,
      createGuardrails(policies, { findForeignPii: () => [] }).output,
    );
    expect(result.failures).toEqual([]);
  });
});
