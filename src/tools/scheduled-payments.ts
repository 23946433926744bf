import { z } from 'zod';
import { defineTool } from './define-tool.js';
import { formatMoney } from './money.js';

/** The customer's standing orders and direct debits. */
export const scheduledPaymentsTool = defineTool({
  name: 'scheduled_payments',
  description: "List the customer's standing orders and/or direct debits.",
  parameters: z.strictObject({
    kind: z.enum(['standing_orders', 'direct_debits', 'all']).default('all'),
  }),
  risk: 'read',
  async execute(args, execution) {
    const facts: string[] = [];
    const standingOrders =
      args.kind === 'direct_debits' ? [] : await execution.adapter.listStandingOrders(execution.customerId);
    const directDebits =
      args.kind === 'standing_orders' ? [] : await execution.adapter.listDirectDebits(execution.customerId);
    for (const order of standingOrders) {
      facts.push(
        `Standing order to ${order.payee}: ${formatMoney(order.amount)} ${order.frequency}, next on ${order.nextDate}`,
      );
    }
    for (const debit of directDebits) {
      const last = debit.lastAmount
        ? `, last paid ${formatMoney(debit.lastAmount)} on ${debit.lastDate}`
        : '';
      facts.push(`Direct debit to ${debit.payee}${last}`);
    }
    if (facts.length === 0) facts.push('You have no standing orders or direct debits set up.');
    return {
      tool: 'scheduled_payments',
      status: 'ok',
      facts,
      data: {
        standingOrders: standingOrders.map((order) => ({
          payee: order.payee,
          amount: formatMoney(order.amount),
          frequency: order.frequency,
          nextDate: order.nextDate,
        })),
        directDebits: directDebits.map((debit) => ({
          payee: debit.payee,
          lastAmount: debit.lastAmount ? formatMoney(debit.lastAmount) : null,
          lastDate: debit.lastDate,
        })),
      },
    };
  },
});
