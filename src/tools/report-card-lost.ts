import { z } from 'zod';
import { defineTool, ToolRefusal } from './define-tool.js';
import { cardSelectorShape, describeCard, describeCardState, selectOneCard } from './selectors.js';

const usable = (state: string) => state === 'active' || state === 'frozen';

/** Permanently blocks a lost or stolen card. Irreversible, so it needs step-up and confirmation. */
export const reportCardLostTool = defineTool({
  name: 'report_card_lost',
  description:
    "Report one of the customer's cards as lost or stolen: blocks it permanently (cannot be undone). Needs recent re-authentication and confirmation.",
  parameters: z.strictObject({
    ...cardSelectorShape,
    circumstance: z.enum(['lost', 'stolen']).default('lost'),
  }),
  risk: 'step_up',
  async prepare(args, execution) {
    const card = await selectOneCard(execution, args, (candidate) => usable(candidate.state));
    if (!usable(card.state)) {
      throw new ToolRefusal(
        'invalid_state',
        `Your ${describeCard(card)} is already ${describeCardState(card)}.`,
      );
    }
    return `permanently block your ${describeCard(card)} as ${args.circumstance} (this can't be undone)`;
  },
  async execute(args, execution) {
    const card = await selectOneCard(execution, args, (candidate) => usable(candidate.state));
    const state = args.circumstance === 'stolen' ? 'blocked_stolen' : 'blocked_lost';
    const updated = await execution.adapter.setCardState(execution.customerId, card.id, state);
    return {
      tool: 'report_card_lost',
      status: 'ok',
      facts: [
        `Your ${describeCard(updated)} is now permanently blocked as ${args.circumstance}. It can't be used again.`,
      ],
      data: { card: { kind: updated.kind, last4: updated.last4, state: updated.state } },
    };
  },
});
