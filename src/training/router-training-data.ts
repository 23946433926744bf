/**
 * The data the shipped intent router is trained and checked on, read from the public datasets
 * folder (never copied into the project). BANKING77's train split is divided once, by a hash of
 * each text, into a training part and a dev part, so the dev figure in the manifest is on texts
 * the model never saw and the split does not move when rows are added elsewhere.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainedIntent } from '../routing/intents.js';
import type { LabelledText } from '../routing/text-classifier.js';
import { BANKING77_TO_INTENT, nluppExamples, readBanking77Csv } from './dataset-mapping.js';

/** One part in this many of BANKING77 train is kept aside as dev. */
const DEV_ONE_IN = 10;

/**
 * True when a text belongs to the dev part (stable: a hash of the text): one in ten of BANKING77
 * train, or one in `oneIn` of another source.
 */
export function isDevText(text: string, oneIn = DEV_ONE_IN): boolean {
  const digest = createHash('sha256').update(text).digest();
  return digest.readUInt32BE(0) % oneIn === 0;
}

/**
 * At most `perIntent` texts per Teller intent, taking the source labels in turn so a broad intent
 * (`knowledge.cards` gathers 24 BANKING77 labels) keeps every kind of question without drowning
 * the intents BANKING77 lacks (balance, transactions: our own examples only).
 */
export function balancedByIntent(
  rows: ReadonlyArray<LabelledText & { readonly source: string }>,
  perIntent: number,
): LabelledText[] {
  const bySource = new Map<string, LabelledText[]>();
  for (const row of rows) {
    const group = bySource.get(row.source) ?? [];
    group.push({ text: row.text, label: row.label });
    bySource.set(row.source, group);
  }
  const groups = [...bySource.values()];
  const counts = new Map<string, number>();
  const kept: LabelledText[] = [];
  for (let round = 0; groups.some((group) => round < group.length); round += 1) {
    for (const group of groups) {
      const row = group[round];
      if (!row) continue;
      const count = counts.get(row.label) ?? 0;
      if (count >= perIntent) continue;
      counts.set(row.label, count + 1);
      kept.push(row);
    }
  }
  return kept;
}

/** BANKING77 train rows mapped onto Teller intents, divided into training and dev parts. */
export function banking77TrainAndDev(directory: string): {
  readonly train: Array<LabelledText & { readonly source: string }>;
  readonly dev: LabelledText[];
} {
  const train: Array<LabelledText & { source: string }> = [];
  const dev: LabelledText[] = [];
  for (const row of readBanking77Csv(join(directory, 'train.csv'))) {
    const intent = BANKING77_TO_INTENT[row.label];
    if (!intent) continue;
    if (isDevText(row.text)) dev.push({ text: row.text, label: intent });
    else train.push({ text: row.text, label: intent, source: row.label });
  }
  return { train, dev };
}

/** BANKING77 test rows whose label maps onto a Teller intent (a test figure only). */
export function banking77MappedTest(directory: string): LabelledText[] {
  return readBanking77Csv(join(directory, 'test.csv')).flatMap((row) => {
    const intent = BANKING77_TO_INTENT[row.label];
    return intent ? [{ text: row.text, label: intent }] : [];
  });
}

/**
 * HWU64 scenarios that are plainly not banking, used as `out_of_scope` examples. Currency and
 * stock questions, and the dialogue acts (yes, no, stop, repeat), are left out: a bank answers
 * the first and a conversation needs the second.
 */
const HWU64_OUT_OF_SCOPE_SCENARIOS: ReadonlySet<string> = new Set([
  'alarm',
  'audio',
  'calendar',
  'cooking',
  'iot',
  'lists',
  'music',
  'news',
  'play',
  'recommendation',
  'social',
  'takeaway',
  'transport',
  'weather',
]);

/** HWU64 train texts from non-banking scenarios, labelled `out_of_scope`, at most `limit`. */
export function hwu64OutOfScope(directory: string, limit: number): LabelledText[] {
  const trainDir = join(directory, 'trainset');
  const files = readdirSync(trainDir)
    .filter((file) => file.endsWith('.csv'))
    .filter((file) => HWU64_OUT_OF_SCOPE_SCENARIOS.has(file.split('_')[0]!))
    .sort();
  const perFile = Math.max(1, Math.floor(limit / Math.max(1, files.length)));
  const examples: LabelledText[] = [];
  for (const file of files) {
    const lines = readFileSync(join(trainDir, file), 'utf8').split('\n').slice(1).filter(Boolean);
    for (const line of lines.slice(0, perFile)) {
      // Semicolon-separated; the customer's own words are the last field.
      const text = line.split(';').at(-1)?.replace(/^"|"$/g, '').trim();
      if (text) examples.push({ text, label: 'out_of_scope' satisfies TrainedIntent });
    }
  }
  return examples.slice(0, limit);
}

/** NLU++ banking texts mapped by rule (see dataset-mapping.ts), at most `perIntent` per intent. */
export function nluppTrain(directory: string, perIntent: number): LabelledText[] {
  return nluppExamples(directory, perIntent);
}

/**
 * DSTC11 NatCS banking labels → Teller intents. Branch and ATM finding, branch hours and
 * withdrawal limits have no Teller intent (no tool and no topic of their own) and are left out
 * rather than forced.
 */
export const DSTC11_BANKING_TO_INTENT: Readonly<Record<string, TrainedIntent>> = {
  DisputeCharge: 'dispute_transaction',
  CloseBankAccount: 'knowledge.accounts',
  CheckAccountBalance: 'account_balance',
  InternalFundsTransfer: 'knowledge.payments',
  ExternalWireTransfer: 'knowledge.payments',
  OpenBankingAccount: 'knowledge.accounts',
  AskAboutTransferTime: 'knowledge.payments',
  ReportLostStolenCard: 'report_card_lost',
  UpdatePhoneNumber: 'knowledge.accounts',
  UpdateEmail: 'knowledge.accounts',
  UpdateStreetAddress: 'knowledge.accounts',
  SetUpOnlineBanking: 'knowledge.security',
  CheckTransactionHistory: 'recent_transactions',
  AskAboutCashDeposits: 'knowledge.accounts',
};

/** Reads a DSTC11 utterances file (JSON lines `{ utterance, intent }`). */
export function readDstc11Utterances(
  file: string,
): Array<{ readonly text: string; readonly intent: string }> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const row = JSON.parse(line) as { utterance?: unknown; intent?: unknown };
      if (typeof row.utterance !== 'string' || typeof row.intent !== 'string')
        throw new Error(`${file}: a line lacks utterance or intent`);
      return { text: row.utterance, intent: row.intent };
    });
}

/** DSTC11 banking test utterances mapped onto Teller intents (a test figure only). */
export function dstc11BankingMappedTest(directory: string): LabelledText[] {
  return readDstc11Utterances(join(directory, 'test-banking', 'test-utterances.jsonl')).flatMap((row) => {
    const intent = DSTC11_BANKING_TO_INTENT[row.intent];
    return intent ? [{ text: row.text, label: intent }] : [];
  });
}
