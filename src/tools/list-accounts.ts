import { z } from 'zod';
import { defineTool } from './define-tool.js';
import { maskIdentifier } from './masking.js';

/** Lists the customer's accounts with masked numbers. */
export const listAccountsTool = defineTool({
  name: 'list_accounts',
  description: "List the customer's own accounts (name, type, currency, masked account number).",
  parameters: z.strictObject({}),
  risk: 'read',
  async execute(_args, execution) {
    const accounts = await execution.adapter.listAccounts(execution.customerId);
    return {
      tool: 'list_accounts',
      status: 'ok',
      facts:
        accounts.length === 0
          ? ['You have no accounts with us.']
          : accounts.map(
              (account) =>
                `${account.name}: ${account.kind} account ${maskIdentifier(account.accountNumber)} in ${account.currency}`,
            ),
      data: {
        accounts: accounts.map((account) => ({
          name: account.name,
          kind: account.kind,
          currency: account.currency,
          accountNumber: maskIdentifier(account.accountNumber),
        })),
      },
    };
  },
});
