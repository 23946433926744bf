import { accountBalanceTool } from './account-balance.js';
import { cardStatusTool } from './card-status.js';
import { contactDetailsTool } from './contact-details.js';
import type { ToolDefinition } from './define-tool.js';
import { disputeTransactionTool } from './dispute-transaction.js';
import { freezeCardTool } from './freeze-card.js';
import { listAccountsTool } from './list-accounts.js';
import { recentTransactionsTool } from './recent-transactions.js';
import { ToolRegistry } from './registry.js';
import { reportCardLostTool } from './report-card-lost.js';
import { scheduledPaymentsTool } from './scheduled-payments.js';
import { unfreezeCardTool } from './unfreeze-card.js';

/**
 * Every account tool Teller offers. The cast widens each tool's precise argument type to the
 * registry's general one; `executeToolCall` re-establishes it by parsing with the tool's schema.
 */
export const accountTools: readonly ToolDefinition[] = [
  listAccountsTool,
  accountBalanceTool,
  recentTransactionsTool,
  cardStatusTool,
  freezeCardTool,
  unfreezeCardTool,
  reportCardLostTool,
  disputeTransactionTool,
  scheduledPaymentsTool,
  contactDetailsTool,
] as unknown as readonly ToolDefinition[];

/** The registry of all account tools. */
export function createDefaultToolRegistry(): ToolRegistry {
  return new ToolRegistry(accountTools);
}
