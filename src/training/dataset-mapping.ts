import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { TrainedIntent } from '../routing/intents.js';
import type { LabelledText } from '../routing/text-classifier.js';
import { parseCsv } from './parse-csv.js';

/**
 * Optional extra training data from public datasets, mapped onto Teller's intents. The datasets
 * are read from the shared datasets folder when present and never copied into the project.
 * Labels that do not fit one of our intents cleanly are left out rather than forced.
 */

/** BANKING77 label → our intent. Unlisted labels are not used. */
export const BANKING77_TO_INTENT: Readonly<Record<string, TrainedIntent>> = {
  lost_or_stolen_card: 'report_card_lost',
  card_payment_not_recognised: 'dispute_transaction',
  direct_debit_payment_not_recognised: 'dispute_transaction',
  cash_withdrawal_not_recognised: 'dispute_transaction',
  transaction_charged_twice: 'dispute_transaction',
  edit_personal_details: 'knowledge.accounts',
  compromised_card: 'knowledge.fraud',
  lost_or_stolen_phone: 'knowledge.fraud',
  card_arrival: 'knowledge.cards',
  card_delivery_estimate: 'knowledge.cards',
  card_linking: 'knowledge.cards',
  card_not_working: 'knowledge.cards',
  card_swallowed: 'knowledge.cards',
  activate_my_card: 'knowledge.cards',
  change_pin: 'knowledge.cards',
  pin_blocked: 'knowledge.cards',
  contactless_not_working: 'knowledge.cards',
  declined_card_payment: 'knowledge.cards',
  card_acceptance: 'knowledge.cards',
  getting_spare_card: 'knowledge.cards',
  get_physical_card: 'knowledge.cards',
  order_physical_card: 'knowledge.cards',
  getting_virtual_card: 'knowledge.cards',
  virtual_card_not_working: 'knowledge.cards',
  get_disposable_virtual_card: 'knowledge.cards',
  disposable_card_limits: 'knowledge.cards',
  card_about_to_expire: 'knowledge.cards',
  visa_or_mastercard: 'knowledge.cards',
  apple_pay_or_google_pay: 'knowledge.cards',
  atm_support: 'knowledge.cards',
  declined_cash_withdrawal: 'knowledge.cards',
  supported_cards_and_currencies: 'knowledge.cards',
  exchange_rate: 'knowledge.fees',
  card_payment_wrong_exchange_rate: 'knowledge.fees',
  wrong_exchange_rate_for_cash_withdrawal: 'knowledge.fees',
  exchange_charge: 'knowledge.fees',
  card_payment_fee_charged: 'knowledge.fees',
  cash_withdrawal_charge: 'knowledge.fees',
  transfer_fee_charged: 'knowledge.fees',
  extra_charge_on_statement: 'knowledge.fees',
  top_up_by_bank_transfer_charge: 'knowledge.fees',
  top_up_by_card_charge: 'knowledge.fees',
  cancel_transfer: 'knowledge.payments',
  transfer_not_received_by_recipient: 'knowledge.payments',
  declined_transfer: 'knowledge.payments',
  pending_transfer: 'knowledge.payments',
  transfer_timing: 'knowledge.payments',
  failed_transfer: 'knowledge.payments',
  transfer_into_account: 'knowledge.payments',
  receiving_money: 'knowledge.payments',
  beneficiary_not_allowed: 'knowledge.payments',
  balance_not_updated_after_bank_transfer: 'knowledge.payments',
  pending_card_payment: 'knowledge.payments',
  why_verify_identity: 'knowledge.accounts',
  unable_to_verify_identity: 'knowledge.accounts',
  verify_my_identity: 'knowledge.accounts',
  verify_source_of_funds: 'knowledge.accounts',
  terminate_account: 'knowledge.accounts',
  passcode_forgotten: 'knowledge.accounts',
  age_limit: 'knowledge.accounts',
  country_support: 'knowledge.accounts',
  balance_not_updated_after_cheque_or_cash_deposit: 'knowledge.accounts',
  request_refund: 'knowledge.disputes',
  Refund_not_showing_up: 'knowledge.disputes',
  'reverted_card_payment?': 'knowledge.disputes',
  wrong_amount_of_cash_received: 'knowledge.disputes',
};

/**
 * NLU++ banking is multi-label; a text is used only when its label set matches one rule
 * (checked in order). Everything else, including all hotel-domain texts, is ignored.
 */
export const NLUPP_RULES: ReadonlyArray<{
  readonly when: readonly string[];
  readonly not?: readonly string[];
  readonly intent: TrainedIntent;
}> = [
  { when: ['handoff'], intent: 'handoff_request' },
  { when: ['lost_stolen', 'card'], intent: 'report_card_lost' },
  {
    when: ['balance'],
    not: ['how', 'why', 'when', 'wrong_notworking_notshowing'],
    intent: 'account_balance',
  },
  {
    when: ['standing_order'],
    not: ['make_open_apply_setup_get_activate', 'change', 'cancel_close_leave_freeze', 'how'],
    intent: 'scheduled_payments',
  },
  {
    when: ['direct_debit'],
    not: ['make_open_apply_setup_get_activate', 'change', 'cancel_close_leave_freeze', 'how'],
    intent: 'scheduled_payments',
  },
  { when: ['overdraft'], intent: 'knowledge.overdrafts' },
  { when: ['fees_interests'], intent: 'knowledge.fees' },
  { when: ['refund'], intent: 'knowledge.disputes' },
  { when: ['pin'], intent: 'knowledge.cards' },
  { when: ['greet'], not: ['request_info', 'how', 'handoff'], intent: 'greeting' },
  { when: ['thank'], not: ['request_info', 'how', 'handoff'], intent: 'greeting' },
];

/** Reads a CSV with header `text,category` (BANKING77's format). */
export function readBanking77Csv(path: string): LabelledText[] {
  const records = parseCsv(readFileSync(path, 'utf8'));
  return records
    .slice(1)
    .filter((fields) => fields.length === 2 && fields[1]!.trim() !== '')
    .map(([text, label]) => ({ text: text!.replace(/\s+/g, ' ').trim(), label: label!.trim() }));
}

const nluppFoldSchema = z.array(z.object({ text: z.string(), intents: z.array(z.string()).optional() }));

/**
 * BANKING77 train texts mapped onto our intents, at most `perIntent` each. Source labels are
 * interleaved first, so a broad intent such as `knowledge.cards` samples all of its source labels.
 */
export function banking77Examples(directory: string, perIntent = 80): LabelledText[] {
  const bySource = new Map<string, LabelledText[]>();
  for (const row of readBanking77Csv(join(directory, 'train.csv'))) {
    const intent = BANKING77_TO_INTENT[row.label];
    if (!intent) continue;
    const group = bySource.get(row.label) ?? [];
    group.push({ text: row.text, label: intent });
    bySource.set(row.label, group);
  }
  const interleaved: LabelledText[] = [];
  const groups = [...bySource.values()];
  for (let round = 0; groups.some((group) => round < group.length); round += 1) {
    for (const group of groups) if (round < group.length) interleaved.push(group[round]!);
  }
  return capPerLabel(interleaved, perIntent);
}

/** NLU++ banking texts whose labels match one of `NLUPP_RULES`. */
export function nluppExamples(directory: string, perIntent = 60): LabelledText[] {
  const examples: LabelledText[] = [];
  const folds = readdirSync(directory)
    .filter((file) => /^fold\d+\.json$/.test(file))
    .sort();
  for (const fold of folds) {
    for (const item of nluppFoldSchema.parse(JSON.parse(readFileSync(join(directory, fold), 'utf8')))) {
      const labels = new Set(item.intents ?? []);
      const rule = NLUPP_RULES.find(
        (candidate) =>
          candidate.when.every((label) => labels.has(label)) &&
          !(candidate.not ?? []).some((label) => labels.has(label)),
      );
      if (rule) examples.push({ text: item.text, label: rule.intent });
    }
  }
  return capPerLabel(examples, perIntent);
}

function capPerLabel(examples: readonly LabelledText[], perLabel: number): LabelledText[] {
  const counts = new Map<string, number>();
  return examples.filter((example) => {
    const count = counts.get(example.label) ?? 0;
    counts.set(example.label, count + 1);
    return count < perLabel;
  });
}

/**
 * CLINC150 banking and credit-card intents → Teller intents, for the learning-loop demonstration
 * (`npm run learning:demo`): their train texts stand in for customer messages agents label after
 * handoffs. Only labels with one clear Teller intent are mapped; account freezes, credit limits,
 * rewards, APR and interest rates are left out rather than forced.
 */
export const CLINC150_TO_INTENT: Readonly<Record<string, TrainedIntent>> = {
  balance: 'account_balance',
  transactions: 'recent_transactions',
  spending_history: 'recent_transactions',
  report_lost_card: 'report_card_lost',
  report_fraud: 'knowledge.fraud',
  card_declined: 'knowledge.cards',
  damaged_card: 'knowledge.cards',
  new_card: 'knowledge.cards',
  replacement_card_duration: 'knowledge.cards',
  international_fees: 'knowledge.fees',
  transfer: 'knowledge.payments',
  routing: 'knowledge.accounts',
  direct_deposit: 'knowledge.accounts',
};
