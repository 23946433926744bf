import { z } from 'zod';
import { defineTool, ToolRefusal } from './define-tool.js';
import { cardSelectorShape, describeCard, describeCardState } from './selectors.js';

/** States of the customer's cards (all, or one by kind or last four). */
export const cardStatusTool = defineTool({
  name: 'card_status',
  description: "Status of the customer's cards (active, frozen, blocked, expired) and expiry dates.",
  parameters: z.strictObject(cardSelectorShape),
  risk: 'read',
  async execute(args, execution) {
    const cards = (await execution.adapter.listCards(execution.customerId)).filter(
      (card) => (!args.card || card.kind === args.card) && (!args.cardLast4 || card.last4 === args.cardLast4),
    );
    if (cards.length === 0 && args.cardLast4) {
      throw new ToolRefusal('not_owned', "I can't find that card among your cards.");
    }
    return {
      tool: 'card_status',
      status: 'ok',
      facts:
        cards.length === 0
          ? ["You don't have a card like that with us."]
          : cards.map((card) => `${describeCard(card)}: ${describeCardState(card)}, expires ${card.expires}`),
      data: {
        cards: cards.map((card) => ({
          kind: card.kind,
          brand: card.brand,
          last4: card.last4,
          state: card.state,
          expires: card.expires,
        })),
      },
    };
  },
});
