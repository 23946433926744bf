import { z } from 'zod';
import { defineTool, ToolRefusal } from './define-tool.js';
import { cardSelectorShape, describeCard, describeCardState, selectOneCard } from './selectors.js';

/** Temporarily freezes a card; reversible with `unfreeze_card`. Needs the customer's confirmation. */
export const freezeCardTool = defineTool({
  name: 'freeze_card',
  description:
    "Temporarily freeze one of the customer's cards (reversible). Asks the customer to confirm first.",
  parameters: z.strictObject(cardSelectorShape),
  risk: 'write',
  async prepare(args, execution) {
    const card = await selectOneCard(execution, args, (candidate) => candidate.state === 'active');
    if (card.state !== 'active') {
      throw new ToolRefusal(
        'invalid_state',
        `Your ${describeCard(card)} is already ${describeCardState(card)}.`,
      );
    }
    return `freeze your ${describeCard(card)}`;
  },
  async execute(args, execution) {
    const card = await selectOneCard(execution, args, (candidate) => candidate.state === 'active');
    const updated = await execution.adapter.setCardState(execution.customerId, card.id, 'frozen');
    return {
      tool: 'freeze_card',
      status: 'ok',
      facts: [`Your ${describeCard(updated)} is now frozen. You can unfreeze it at any time.`],
      data: { card: { kind: updated.kind, last4: updated.last4, state: updated.state } },
    };
  },
});
