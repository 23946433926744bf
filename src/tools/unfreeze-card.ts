import { z } from 'zod';
import { defineTool, ToolRefusal } from './define-tool.js';
import { cardSelectorShape, describeCard, describeCardState, selectOneCard } from './selectors.js';

/** Unfreezes a frozen card. Blocked (lost or stolen) cards stay blocked. Needs confirmation. */
export const unfreezeCardTool = defineTool({
  name: 'unfreeze_card',
  description: "Unfreeze one of the customer's frozen cards. Asks the customer to confirm first.",
  parameters: z.strictObject(cardSelectorShape),
  risk: 'write',
  async prepare(args, execution) {
    const card = await selectOneCard(execution, args, (candidate) => candidate.state === 'frozen');
    if (card.state !== 'frozen') {
      throw new ToolRefusal(
        'invalid_state',
        `Your ${describeCard(card)} is ${describeCardState(card)}, so it can't be unfrozen.`,
      );
    }
    return `unfreeze your ${describeCard(card)}`;
  },
  async execute(args, execution) {
    const card = await selectOneCard(execution, args, (candidate) => candidate.state === 'frozen');
    const updated = await execution.adapter.setCardState(execution.customerId, card.id, 'active');
    return {
      tool: 'unfreeze_card',
      status: 'ok',
      facts: [`Your ${describeCard(updated)} is active again.`],
      data: { card: { kind: updated.kind, last4: updated.last4, state: updated.state } },
    };
  },
});
