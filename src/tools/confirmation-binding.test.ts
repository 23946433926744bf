import { describe, expect, it } from 'vitest';
import { createToolHarness } from '../testing/tool-harness.js';
import type { ToolContext } from './define-tool.js';
import { classifyConfirmationReply } from './pending-actions.js';
import { executeToolCall, resolvePendingAction } from './registry.js';

/** The last message the customer saw, as the conversation store records it. */
const questionShown = (at: string) => [
  { author: 'customer' as const, createdAt: at, metadata: {} },
  { author: 'assistant' as const, createdAt: at, metadata: { outcome: 'confirmation_required' } },
];
const answerShown = (at: string) => [
  ...questionShown(at),
  { author: 'customer' as const, createdAt: at, metadata: {} },
  { author: 'assistant' as const, createdAt: at, metadata: { outcome: 'refusal' } },
];

async function cardStates(harness: ReturnType<typeof createToolHarness>, customer: string) {
  return Object.fromEntries((await harness.bank.listCards(customer)).map((card) => [card.last4, card.state]));
}

describe('confirmation replies are a yes and nothing else', () => {
  it.each([
    'yes',
    'Yes please',
    'yes, please go ahead',
    'confirm',
    'go ahead',
    'do it',
    'ok',
    'sure, do it',
    'yep that is right',
    'please',
  ])('when "%s" then it confirms', (text) =>
    expect(classifyConfirmationReply(text, 'freeze_card')).toBe('confirm'),
  );

  it.each([
    'please freeze my credit card ending 7734',
    'ok what is my balance?',
    'Right, show my last 5 transactions',
    'sure, and what about my savings',
    'yes?',
    'okay so how much is in my account',
    'yes unfreeze it',
    'yes, no wait',
  ])('when "%s" then it is not a yes', (text) =>
    expect(classifyConfirmationReply(text, 'freeze_card')).toBe('unclear'),
  );
});

describe('a pending action is bound to the question shown', () => {
  const at = '2099-01-01T00:00:00.000Z';

  async function askToFreezeDebit(harness: ReturnType<typeof createToolHarness>): Promise<ToolContext> {
    const context = harness.contextFor('c_123');
    const asked = await executeToolCall(
      { name: 'freeze_card', arguments: { card: 'debit' } },
      context,
      harness.registry,
    );
    expect(asked.message).toContain('ending 4821');
    return context;
  }

  it('when the reply asks to freeze another card then the pending freeze does not run and is withdrawn', async () => {
    const harness = createToolHarness();
    const context = await askToFreezeDebit(harness);
    const reply = await resolvePendingAction(
      { text: 'please freeze my credit card ending 7734' },
      { ...context, history: questionShown(at) },
      harness.registry,
    );
    expect(reply.kind).toBe('none');
    expect(await cardStates(harness, 'c_123')).toEqual({ '4821': 'active', '7734': 'active' });
    expect(await harness.pendingActions.latestFor(context.conversationId)).toBeUndefined();
    expect(harness.auditEvents.at(-1)).toMatchObject({
      type: 'tool.confirmation_cleared',
      reason: 'not_an_answer',
    });
  });

  it.each(['ok what is my balance?', 'Right, show my last 5 transactions'])(
    'when "%s" follows the question then a later yes runs nothing',
    async (text) => {
      const harness = createToolHarness();
      const context = await askToFreezeDebit(harness);
      const unrelated = await resolvePendingAction({ text }, context, harness.registry);
      expect(unrelated.kind).toBe('none');
      const later = await resolvePendingAction({ text: 'yes' }, context, harness.registry);
      expect(later.kind).toBe('none');
      expect(await cardStates(harness, 'c_123')).toEqual({ '4821': 'active', '7734': 'active' });
    },
  );

  it('when another turn came between the question and the yes (one the tools never saw) then the yes is refused', async () => {
    const harness = createToolHarness();
    const context = await askToFreezeDebit(harness);
    const reply = await resolvePendingAction(
      { text: 'yes' },
      { ...context, history: answerShown(at) },
      harness.registry,
    );
    expect(reply.kind).toBe('refused');
    expect(reply.kind !== 'none' && reply.outcome.confirmation).toBe('refused');
    expect(await cardStates(harness, 'c_123')).toEqual({ '4821': 'active', '7734': 'active' });
  });

  it('when the yes comes right after the question then exactly that card is frozen and the outcome is marked', async () => {
    const harness = createToolHarness();
    const context = await askToFreezeDebit(harness);
    const reply = await resolvePendingAction(
      { text: 'yes please' },
      { ...context, history: questionShown(at) },
      harness.registry,
    );
    expect(reply.kind).toBe('executed');
    expect(reply.kind !== 'none' && reply.outcome.confirmation).toBe('executed');
    expect(await cardStates(harness, 'c_123')).toEqual({ '4821': 'frozen', '7734': 'active' });
  });

  it('when the card the question named is no longer the one the call would act on then nothing runs', async () => {
    const harness = createToolHarness();
    const context = harness.contextFor('c_123');
    // No card named: the question names the only active card... until that changes.
    await harness.bank.setCardState('c_123', (await harness.bank.listCards('c_123'))[1]!.id, 'frozen');
    const asked = await executeToolCall({ name: 'freeze_card', arguments: {} }, context, harness.registry);
    expect(asked.message).toContain('ending 4821');
    const cards = await harness.bank.listCards('c_123');
    await harness.bank.setCardState('c_123', cards[0]!.id, 'frozen');
    await harness.bank.setCardState('c_123', cards[1]!.id, 'active');
    const reply = await resolvePendingAction({ text: 'yes' }, context, harness.registry);
    expect(reply.kind).toBe('executed');
    expect(reply.kind === 'executed' && reply.outcome.status).toBe('refused');
    expect(await cardStates(harness, 'c_123')).toEqual({ '4821': 'frozen', '7734': 'active' });
  });
});
