import { z } from 'zod';
import { currencySchema, moneySchema } from '../money.js';

/**
 * Domain records a core banking system returns. Full identifiers live here; tools mask them
 * before anything reaches the model or the customer. Schemas double as the validation of
 * upstream responses in `HttpCoreBankingAdapter`.
 */

export const accountSchema = z.object({
  id: z.string().min(1),
  customerId: z.string().min(1),
  kind: z.enum(['current', 'savings']),
  name: z.string(),
  /** Eight-digit account number; masked to last four before leaving the tools. */
  accountNumber: z.string(),
  sortCode: z.string(),
  currency: currencySchema,
});
export type Account = z.infer<typeof accountSchema>;

export const balanceSchema = z.object({
  accountId: z.string(),
  /** Booked balance. */
  booked: moneySchema,
  /** Booked balance minus pending debits plus any arranged overdraft headroom not included. */
  available: moneySchema,
  asOf: z.string(),
});
export type Balance = z.infer<typeof balanceSchema>;

export const transactionSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  /** ISO date (YYYY-MM-DD) the transaction was booked or authorised. */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  description: z.string(),
  merchant: z.string().nullable(),
  category: z.string(),
  /** Negative for money out, positive for money in. */
  amount: moneySchema,
  status: z.enum(['booked', 'pending']),
});
export type Transaction = z.infer<typeof transactionSchema>;

export const transactionQuerySchema = z.object({
  accountIds: z.array(z.string()).optional(),
  /** Inclusive ISO dates. */
  from: z.string().optional(),
  to: z.string().optional(),
  /** Bounds on the absolute amount in minor units, inclusive. */
  minAmountMinor: z.number().int().optional(),
  maxAmountMinor: z.number().int().optional(),
  /** Case-insensitive match on merchant or description. */
  merchant: z.string().optional(),
  direction: z.enum(['in', 'out']).optional(),
  limit: z.number().int().min(1).max(100).default(20),
  /** Opaque cursor from a previous page. */
  cursor: z.string().optional(),
});
export type TransactionQuery = z.input<typeof transactionQuerySchema>;

export const transactionPageSchema = z.object({
  transactions: z.array(transactionSchema),
  nextCursor: z.string().nullable(),
  /** Total number of matching transactions across all pages. */
  total: z.number().int().min(0),
});
export type TransactionPage = z.infer<typeof transactionPageSchema>;

export const cardStateSchema = z.enum(['active', 'frozen', 'blocked_lost', 'blocked_stolen', 'expired']);
export type CardState = z.infer<typeof cardStateSchema>;

export const cardSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  accountId: z.string().nullable(),
  kind: z.enum(['debit', 'credit']),
  brand: z.string(),
  last4: z.string().regex(/^\d{4}$/),
  state: cardStateSchema,
  expires: z.string().regex(/^\d{2}\/\d{2}$/),
});
export type Card = z.infer<typeof cardSchema>;

export const standingOrderSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  payee: z.string(),
  amount: moneySchema,
  frequency: z.enum(['weekly', 'monthly', 'yearly']),
  nextDate: z.string(),
});
export type StandingOrder = z.infer<typeof standingOrderSchema>;

export const directDebitSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  payee: z.string(),
  reference: z.string(),
  lastAmount: moneySchema.nullable(),
  lastDate: z.string().nullable(),
});
export type DirectDebit = z.infer<typeof directDebitSchema>;

export const contactDetailsSchema = z.object({
  customerId: z.string(),
  fullName: z.string(),
  email: z.string(),
  phone: z.string(),
  postcode: z.string(),
});
export type ContactDetails = z.infer<typeof contactDetailsSchema>;

export const disputeSchema = z.object({
  id: z.string(),
  transactionId: z.string(),
  status: z.enum(['opened']),
  openedAt: z.string(),
});
export type Dispute = z.infer<typeof disputeSchema>;
