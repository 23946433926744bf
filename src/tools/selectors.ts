import { z } from 'zod';
import type { Account, Card } from './core-banking/types.js';
import type { ToolExecution } from './define-tool.js';
import { ToolRefusal } from './define-tool.js';
import { maskIdentifier } from './masking.js';

/**
 * Shared parameter pieces and resolvers. The model refers to accounts and cards only by kind,
 * currency or last four digits (all it ever sees), and every reference is resolved against the
 * customer's own list: anything else is refused as `not_owned` and audited.
 */

export const lastFourSchema = z.string().regex(/^\d{4}$/, 'four digits');

export const accountSelectorShape = {
  account: z.enum(['current', 'savings']).optional().describe('Which kind of account'),
  currency: z.enum(['GBP', 'EUR']).optional().describe('Account currency, e.g. EUR for the euro account'),
  accountLast4: lastFourSchema.optional().describe('Last four digits of the account number'),
};

export const cardSelectorShape = {
  card: z.enum(['debit', 'credit']).optional().describe('Which kind of card'),
  cardLast4: lastFourSchema.optional().describe('Last four digits of the card'),
};

export interface AccountSelector {
  account?: 'current' | 'savings' | undefined;
  currency?: 'GBP' | 'EUR' | undefined;
  accountLast4?: string | undefined;
}

export interface CardSelector {
  card?: 'debit' | 'credit' | undefined;
  cardLast4?: string | undefined;
}

/** "Everyday Current ••••4567". */
export function describeAccount(account: Account): string {
  return `${account.name} ${maskIdentifier(account.accountNumber)}`;
}

/** "Visa debit card ending 4821". */
export function describeCard(card: Card): string {
  return `${card.brand} ${card.kind} card ending ${card.last4}`;
}

const cardStateWords: Record<Card['state'], string> = {
  active: 'active',
  frozen: 'frozen (temporarily)',
  blocked_lost: 'permanently blocked (reported lost)',
  blocked_stolen: 'permanently blocked (reported stolen)',
  expired: 'expired',
};

export function describeCardState(card: Card): string {
  return cardStateWords[card.state];
}

/** The customer's accounts matching a selector; all of them when the selector is empty. */
export async function selectAccounts(
  execution: ToolExecution,
  selector: AccountSelector,
): Promise<Account[]> {
  const accounts = await execution.adapter.listAccounts(execution.customerId);
  const matching = accounts.filter(
    (account) =>
      (!selector.account || account.kind === selector.account) &&
      (!selector.currency || account.currency === selector.currency) &&
      (!selector.accountLast4 || account.accountNumber.endsWith(selector.accountLast4)),
  );
  if (matching.length === 0 && selector.accountLast4) {
    throw new ToolRefusal('not_owned', "I can't find that account among your accounts.");
  }
  if (matching.length === 0)
    throw new ToolRefusal('no_match', "You don't have an account like that with us.");
  return matching;
}

/**
 * Exactly one of the customer's cards. With no selector, the only usable card (or the only
 * debit card) is chosen; otherwise the customer is asked which one.
 */
export async function selectOneCard(
  execution: ToolExecution,
  selector: CardSelector,
  usable: (card: Card) => boolean = () => true,
): Promise<Card> {
  const cards = await execution.adapter.listCards(execution.customerId);
  if (selector.cardLast4) {
    const card = cards.find((candidate) => candidate.last4 === selector.cardLast4);
    if (!card) throw new ToolRefusal('not_owned', "I can't find that card among your cards.");
    return card;
  }
  const ofKind = cards.filter((card) => !selector.card || card.kind === selector.card);
  const candidates = ofKind.filter(usable).length > 0 ? ofKind.filter(usable) : ofKind;
  if (candidates.length === 0)
    throw new ToolRefusal(
      'no_match',
      selector.card ? `You don't have a ${selector.card} card with us.` : "You don't have a card with us.",
    );
  if (candidates.length === 1) return candidates[0]!;
  const debit = candidates.filter((card) => card.kind === 'debit');
  if (!selector.card && debit.length === 1) return debit[0]!;
  throw new ToolRefusal(
    'clarification_needed',
    `Which card do you mean: ${candidates.map(describeCard).join(' or ')}?`,
  );
}
