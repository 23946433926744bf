import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createGuardrails } from '../../src/guardrails/create-guardrails.js';
import { loadPolicies } from '../../src/policy/load-policies.js';
import { loadConversations, replayConversation } from './conversations.js';

describe('conversations.yaml', () => {
  it('when replayed through the input rails and the handoff decision then every turn gets its expected outcome', async () => {
    const policies = loadPolicies({
      directory: fileURLToPath(new URL('../../knowledge/policies', import.meta.url)),
      day: '2026-06-01',
    });
    const guardrails = createGuardrails(policies, { findForeignPii: () => [] });
    const conversations = loadConversations();
    expect(conversations.length).toBeGreaterThanOrEqual(80);
    const failing = [];
    for (const conversation of conversations) {
      for (const turn of await replayConversation(conversation, guardrails, policies))
        if (!turn.passed) failing.push(turn);
    }
    expect(failing).toEqual([]);
  });
});
