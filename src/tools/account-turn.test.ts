import { describe, expect, it } from 'vitest';
import { createIntentRouter } from '../routing/intent-router.js';
import { createToolHarness } from '../testing/tool-harness.js';
import { handleAccountTurn } from './account-turn.js';

const router = createIntentRouter({ now: () => new Date('2026-05-20T12:00:00Z') });

describe('handleAccountTurn', () => {
  it('when a conversation freezes a card then the question, the yes and the result arrive in order', async () => {
    const harness = createToolHarness();
    const context = harness.contextFor('c_123');
    const turn = (text: string) => handleAccountTurn({ text, context, registry: harness.registry, router });

    const asked = await turn('please freeze my debit card');
    expect(asked.kind).toBe('tool');
    expect(asked.kind === 'tool' && asked.outcome.status).toBe('needs_confirmation');

    const confirmed = await turn('yes');
    expect(confirmed.kind).toBe('confirmation');
    expect(confirmed.kind === 'confirmation' && confirmed.resolution.kind).toBe('executed');
    expect((await harness.bank.listCards('c_123'))[0]!.state).toBe('frozen');
  });

  it('when a tool needs a detail the message lacks then a question comes back and nothing runs', async () => {
    const harness = createToolHarness();
    const turn = await handleAccountTurn({
      text: 'I want to dispute a charge',
      context: harness.contextFor('c_123'),
      registry: harness.registry,
      router,
    });
    expect(turn).toMatchObject({ kind: 'needs_information', tool: 'dispute_transaction' });
    expect(harness.auditEvents).toHaveLength(0);
  });

  it('when the message is a policy question then it is left to retrieval', async () => {
    const harness = createToolHarness();
    const turn = await handleAccountTurn({
      text: 'what is your complaints procedure',
      context: harness.contextFor('c_123'),
      registry: harness.registry,
      router,
    });
    expect(turn.kind).toBe('not_a_tool');
    expect(turn.kind === 'not_a_tool' && turn.route.kind).toBe('knowledge');
  });
});
