import { z } from 'zod';
import type { Transaction } from './core-banking/types.js';
import { defineTool, ToolRefusal } from './define-tool.js';
import { maskIdentifier } from './masking.js';
import { type Currency, formatMoney, parseMinorUnits, sumMoney } from './money.js';
import { accountSelectorShape, selectAccounts } from './selectors.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const decimalAmount = z.string().regex(/^\d{1,9}(\.\d{1,2})?$/, 'a plain amount such as 50 or 12.99');

/** Totals are computed over at most this many matching transactions (a 90-day statement fits). */
const MAX_SUMMARISED = 1_000;

/** A line the customer can read and refer back to for a dispute. */
export function describeTransaction(transaction: Transaction): string {
  const pending = transaction.status === 'pending' ? ' (pending)' : '';
  const name = transaction.merchant ?? transaction.description;
  return `${transaction.date} ${name} ${formatMoney(transaction.amount)}${pending}, ref ${maskIdentifier(transaction.id)}`;
}

/** Searches the customer's transactions by date, amount, merchant and direction, with paging. */
export const recentTransactionsTool = defineTool({
  name: 'recent_transactions',
  description:
    'Search the customer\'s transactions. Dates are inclusive YYYY-MM-DD; amounts are plain decimals compared by size; merchant matches the merchant or description; limit is how many to show ("last 5").',
  parameters: z.strictObject({
    ...accountSelectorShape,
    from: isoDate.optional(),
    to: isoDate.optional(),
    minAmount: decimalAmount.optional(),
    maxAmount: decimalAmount.optional(),
    // Letters, digits and the punctuation of shop names only: the value is echoed in facts the
    // model reads, so it must not be able to carry instructions or markup.
    merchant: z
      .string()
      .min(1)
      .max(60)
      .regex(/^[\p{L}\p{N}][\p{L}\p{N} '&.-]*$/u, 'a merchant name')
      .optional(),
    direction: z.enum(['in', 'out']).optional().describe('in = money received, out = money spent'),
    limit: z.number().int().min(1).max(50).optional(),
    cursor: z.string().max(200).optional().describe('Cursor from a previous page'),
  }),
  risk: 'read',
  async execute(args, execution) {
    if (args.from && args.to && args.from > args.to) {
      throw new ToolRefusal('invalid_range', 'The start date is after the end date.');
    }
    const accounts = await selectAccounts(execution, args);
    const query = {
      accountIds: accounts.map((account) => account.id),
      from: args.from,
      to: args.to,
      minAmountMinor: args.minAmount === undefined ? undefined : parseMinorUnits(args.minAmount),
      maxAmountMinor: args.maxAmount === undefined ? undefined : parseMinorUnits(args.maxAmount),
      merchant: args.merchant,
      direction: args.direction,
    };
    const page = await execution.adapter.listTransactions(execution.customerId, {
      ...query,
      limit: args.limit ?? 10,
      cursor: args.cursor,
    });
    const all: Transaction[] = [];
    let cursor: string | undefined;
    do {
      const next = await execution.adapter.listTransactions(execution.customerId, {
        ...query,
        limit: 100,
        cursor,
      });
      all.push(...next.transactions);
      cursor = next.nextCursor ?? undefined;
    } while (cursor && all.length < MAX_SUMMARISED);

    const scope = [
      args.merchant ? `matching "${args.merchant}"` : '',
      args.from || args.to
        ? `between ${args.from ?? 'the start of your history'} and ${args.to ?? 'today'}`
        : '',
    ]
      .filter(Boolean)
      .join(' ');
    if (page.total === 0) {
      return {
        tool: 'recent_transactions',
        status: 'ok',
        facts: [`No transactions found${scope ? ` ${scope}` : ''}.`],
        data: { transactions: [], total: 0, nextCursor: null },
      };
    }
    const totals: string[] = [];
    const currencies = [...new Set(all.map((transaction) => transaction.amount.currency))] as Currency[];
    for (const currency of currencies) {
      const inCurrency = all.filter((transaction) => transaction.amount.currency === currency);
      const spent = sumMoney(
        inCurrency
          .filter((transaction) => transaction.amount.minor < 0)
          .map((transaction) => ({ ...transaction.amount, minor: -transaction.amount.minor })),
        currency,
      );
      const received = sumMoney(
        inCurrency
          .filter((transaction) => transaction.amount.minor > 0)
          .map((transaction) => transaction.amount),
        currency,
      );
      if (spent.minor > 0) totals.push(`money out ${formatMoney(spent)}`);
      if (received.minor > 0) totals.push(`money in ${formatMoney(received)}`);
    }
    const shown = page.transactions.length;
    const summary = `${page.total} transaction${page.total === 1 ? '' : 's'}${scope ? ` ${scope}` : ''}: ${totals.join(', ')}${
      shown < page.total ? ` (showing ${shown})` : ''
    }`;
    return {
      tool: 'recent_transactions',
      status: 'ok',
      facts: [summary, ...page.transactions.map(describeTransaction)],
      data: {
        total: page.total,
        nextCursor: page.nextCursor,
        transactions: page.transactions.map((transaction) => ({
          ref: maskIdentifier(transaction.id),
          date: transaction.date,
          merchant: transaction.merchant ?? transaction.description,
          amount: formatMoney(transaction.amount),
          status: transaction.status,
        })),
      },
    };
  },
});
