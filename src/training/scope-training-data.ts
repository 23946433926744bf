/**
 * The rows the out-of-scope model is trained and checked on. In scope: CLINC150's banking and
 * credit-card domains and its banking-adjacent intents (insurance, taxes, exchange rates, the
 * assistant's own small talk), BANKING77 train, NLU++ banking (a bank's conversations, dialogue
 * turns included) and our written examples. Out of scope: CLINC150's other domains and oos
 * queries, HWU64's non-banking intents (trivia, definitions, smart home, media, travel...) and our
 * written everyday requests. NLU++ and the written
 * examples are split by a hash of the text, one in five held out as dev.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { readClinc150 } from './public-datasets.js';
import { isDevText } from './router-training-data.js';

/** A labelled row: 1 = out of scope, 0 = banking or banking-adjacent. */
export interface ScopeRow {
  readonly text: string;
  readonly label: 0 | 1;
}

/** One text in this many of NLU++ and of the written examples is dev, never trained on. */
export const SCOPE_DEV_ONE_IN = 5;

/** Where the written examples live. */
export const SCOPE_EXAMPLES_PATH = fileURLToPath(new URL('./scope-examples.yaml', import.meta.url));

const examplesSchema = z
  .object({ in_scope: z.array(z.string().min(1)).min(50), out_of_scope: z.array(z.string().min(1)).min(30) })
  .strict();

/** The written examples, labelled, in file order. */
export function readScopeExamples(path = SCOPE_EXAMPLES_PATH): ScopeRow[] {
  const examples = examplesSchema.parse(parseYaml(readFileSync(path, 'utf8')));
  return [
    ...examples.in_scope.map((text) => ({ text, label: 0 as const })),
    ...examples.out_of_scope.map((text) => ({ text, label: 1 as const })),
  ];
}

/** True when a NLU++ or written text is in the held-out dev part. */
export function isScopeDevText(text: string): boolean {
  return isDevText(text, SCOPE_DEV_ONE_IN);
}

/** CLINC150 intents outside its banking and credit-card domains that a bank still answers. */
export const CLINC_BANKING_ADJACENT_INTENTS: ReadonlySet<string> = new Set([
  'travel_notification',
  'exchange_rate',
  'payday',
  'taxes',
  'income',
  'rollover_401k',
  'direct_deposit',
  'insurance',
  'insurance_change',
  'w2',
]);

/**
 * CLINC150's conversation with the assistant itself (greetings, yes/no, "what is your name"). Left
 * out of training and dev: policy vocabulary and the short-turn rule keep them in scope, and as
 * in-scope examples they taught the model that any question about a thing is banking.
 */
export const CLINC_CONVERSATION_INTENTS: ReadonlySet<string> = new Set([
  'greeting',
  'goodbye',
  'thank_you',
  'are_you_a_bot',
  'what_can_i_ask_you',
  'who_do_you_work_for',
  'what_is_your_name',
  'who_made_you',
  'yes',
  'no',
  'maybe',
  'cancel',
  'repeat',
]);

/**
 * Labelled rows of CLINC150 splits: banking, credit cards and the banking-adjacent intents are in
 * scope (0), every other domain and the oos queries out of scope (1); conversation intents left out.
 */
export function clincScopeRows(folder: string, splits: readonly string[]): ScopeRow[] {
  const clinc = readClinc150(folder);
  const banking = new Set([
    ...(clinc.domains.banking ?? []),
    ...(clinc.domains.credit_cards ?? []),
    ...CLINC_BANKING_ADJACENT_INTENTS,
  ]);
  return splits.flatMap((split) =>
    (clinc.splits[split] ?? [])
      .filter(([, intent]) => !CLINC_CONVERSATION_INTENTS.has(intent))
      .map(([text, intent]) => ({ text, label: banking.has(intent) ? (0 as const) : (1 as const) })),
  );
}

const nluppFoldSchema = z.array(z.object({ text: z.string().min(1) }).passthrough());

/** Every distinct NLU++ banking text (all folds, in fold order), whatever its labels. */
export function readNluppTexts(directory: string): string[] {
  const folds = readdirSync(directory)
    .filter((file) => /^fold\d+\.json$/.test(file))
    .sort((left, right) => Number(left.match(/\d+/)?.[0]) - Number(right.match(/\d+/)?.[0]));
  const texts = new Set<string>();
  for (const fold of folds)
    for (const item of nluppFoldSchema.parse(JSON.parse(readFileSync(join(directory, fold), 'utf8'))))
      texts.add(item.text.trim());
  return [...texts];
}

/**
 * HWU64 intents (file names without `.csv`) left out of the scope model: currency and stock
 * questions a bank answers, and the dialogue acts every conversation has (yes, no, stop, repeat),
 * which the policy's vocabulary and the short-turn rule keep in scope. As in-scope rows the dialogue
 * acts cost recall on open questions (dev: oos_train + oos_val held out, 0.870 -> 0.895 at 0.5).
 */
const HWU64_LEFT_OUT_INTENTS: ReadonlySet<string> = new Set([
  'qa_currency',
  'qa_stock',
  'general_affirm',
  'general_negate',
  'general_confirm',
  'general_commandstop',
  'general_dontcare',
  'general_explain',
  'general_praise',
  'general_repeat',
]);

/** HWU64 train texts of every other intent, as out of scope (1). */
export function hwu64ScopeRows(directory: string): ScopeRow[] {
  const trainDir = join(directory, 'trainset');
  return readdirSync(trainDir)
    .filter((file) => file.endsWith('.csv') && !HWU64_LEFT_OUT_INTENTS.has(file.replace(/\.csv$/, '')))
    .sort()
    .flatMap((file) =>
      readFileSync(join(trainDir, file), 'utf8')
        .split('\n')
        .slice(1)
        .flatMap((line) => {
          // Semicolon-separated; the customer's own words are the last field.
          const text = line.split(';').at(-1)?.replace(/^"|"$/g, '').trim();
          return text ? [{ text, label: 1 as const }] : [];
        }),
    );
}
