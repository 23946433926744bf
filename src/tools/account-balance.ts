import { z } from 'zod';
import { defineTool } from './define-tool.js';
import { maskIdentifier } from './masking.js';
import { formatMoney } from './money.js';
import { accountSelectorShape, describeAccount, selectAccounts } from './selectors.js';

/** Balance of one account, or of every account when none is named. */
export const accountBalanceTool = defineTool({
  name: 'account_balance',
  description:
    "Current and available balance of the customer's accounts. Optionally narrow by account type, currency or last four digits.",
  parameters: z.strictObject(accountSelectorShape),
  risk: 'read',
  async execute(args, execution) {
    const accounts = await selectAccounts(execution, args);
    const balances = await Promise.all(
      accounts.map(async (account) => ({
        account,
        balance: await execution.adapter.getBalance(execution.customerId, account.id),
      })),
    );
    return {
      tool: 'account_balance',
      status: 'ok',
      facts: balances.map(({ account, balance }) => {
        const available =
          balance.available.minor === balance.booked.minor
            ? ''
            : `, available ${formatMoney(balance.available)}`;
        return `${describeAccount(account)}: balance ${formatMoney(balance.booked)}${available}`;
      }),
      data: {
        balances: balances.map(({ account, balance }) => ({
          account: maskIdentifier(account.accountNumber),
          name: account.name,
          booked: formatMoney(balance.booked),
          available: formatMoney(balance.available),
          asOf: balance.asOf,
        })),
      },
    };
  },
});
