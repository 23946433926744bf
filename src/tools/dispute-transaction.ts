import { z } from 'zod';
import type { Transaction } from './core-banking/types.js';
import { defineTool, type ToolExecution, type ToolHandoffRequest, ToolRefusal } from './define-tool.js';
import { maskIdentifier } from './masking.js';
import { describeTransaction } from './recent-transactions.js';

/** Looks through the customer's own transactions for the one whose reference ends in `ref`. */
async function findOwnTransaction(execution: ToolExecution, ref: string): Promise<Transaction> {
  const matches: Transaction[] = [];
  let cursor: string | undefined;
  let scanned = 0;
  do {
    const page = await execution.adapter.listTransactions(execution.customerId, { limit: 100, cursor });
    matches.push(...page.transactions.filter((transaction) => transaction.id.endsWith(ref)));
    scanned += page.transactions.length;
    cursor = page.nextCursor ?? undefined;
  } while (cursor && scanned < 2_000);
  if (matches.length === 0) {
    throw new ToolRefusal('not_owned', "I can't find that transaction on your accounts.");
  }
  if (matches.length > 1) {
    throw new ToolRefusal(
      'clarification_needed',
      'More than one transaction has that reference; which date and amount?',
    );
  }
  return matches[0]!;
}

/**
 * Opens a dispute on one of the customer's transactions. Disputes need a person: the outcome
 * carries `data.handoff`, which the pipeline must turn into a handoff case.
 */
export const disputeTransactionTool = defineTool({
  name: 'dispute_transaction',
  description:
    "Open a dispute on one of the customer's transactions, identified by the last four digits of its reference (from recent_transactions). An agent then reviews it. Asks the customer to confirm first.",
  parameters: z.strictObject({
    transactionRef: z.string().regex(/^\d{4}$/, 'last four digits of the reference'),
    reason: z.enum([
      'not_recognised',
      'charged_twice',
      'wrong_amount',
      'goods_not_received',
      'refund_missing',
      'other',
    ]),
  }),
  risk: 'write',
  async prepare(args, execution) {
    const transaction = await findOwnTransaction(execution, args.transactionRef);
    return `open a dispute (${args.reason.replaceAll('_', ' ')}) on ${describeTransaction(transaction)}`;
  },
  async execute(args, execution) {
    const transaction = await findOwnTransaction(execution, args.transactionRef);
    const dispute = await execution.adapter.openDispute(execution.customerId, {
      transactionId: transaction.id,
      reason: args.reason,
    });
    const handoff: ToolHandoffRequest = {
      reason: 'sensitive_topic',
      priority: 'normal',
      explanation: `Dispute ${maskIdentifier(dispute.id)} opened (${args.reason}) on transaction ${maskIdentifier(transaction.id)}; needs agent review.`,
    };
    return {
      tool: 'dispute_transaction',
      status: 'ok',
      facts: [
        `Dispute opened on ${describeTransaction(transaction)}, dispute ref ${maskIdentifier(dispute.id)}.`,
        'A member of our disputes team will review it and contact you.',
      ],
      data: { dispute: { ref: maskIdentifier(dispute.id), status: dispute.status }, handoff },
    };
  },
});
