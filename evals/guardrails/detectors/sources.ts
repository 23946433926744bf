/**
 * Labelled rows for the attack detector, one function per public source, each row carrying the split
 * declared in `splits.ts`. Nothing here decides what the model learns from; `corpus.ts` does, so the
 * trainer and the leave-one-source-out eval read the data the same way.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { parseCsv } from '../../../src/training/parse-csv.js';
import { datasetPath } from '../../framework/datasets.js';
import { readBanking77, readJsonLines, readPurpleLlama, readXstest } from '../dataset-readers.js';
import { TELLER_BANKING_ATTACKS } from './banking-attacks.js';
import { type DetectorSplit, splitByHash, splitByIndex } from './splits.js';

/** One labelled text: `label` 1 is an attack on the assistant, 0 is benign. */
export interface SourceRow {
  readonly source: string;
  readonly split: DetectorSplit;
  readonly text: string;
  readonly label: 0 | 1;
}

function need(datasetsDir: string, name: string): string {
  const folder = datasetPath(datasetsDir, name);
  if (!folder) throw new Error(`Dataset ${name} missing under ${datasetsDir}`);
  return folder;
}

function deepset(datasetsDir: string): SourceRow[] {
  const folder = need(datasetsDir, 'deepset_prompt_injections');
  const rows = (file: string, split: (text: string) => DetectorSplit) =>
    readJsonLines(resolve(folder, file)).map((row) => ({
      source: 'deepset',
      split: split(row.text),
      text: row.text,
      label: row.label === 1 ? (1 as const) : (0 as const),
    }));
  // The upstream test split stays test; a hashed sixth of the train split is dev.
  return [
    ...rows('DERIVED_train.jsonl', (text) => (splitByHash(text, 0.85, 1) === 'train' ? 'train' : 'dev')),
    ...rows('DERIVED_test.jsonl', () => 'test'),
  ];
}

function purpleLlama(datasetsDir: string): SourceRow[] {
  return readPurpleLlama(need(datasetsDir, 'purplellama_prompt_injection')).map((entry) => ({
    source: 'purplellama',
    split: splitByHash(entry.text, 0.6, 0.8),
    text: entry.text,
    label: 1,
  }));
}

const artifactSchema = z.object({
  parameters: z.object({ method: z.string() }),
  jailbreaks: z.array(z.object({ index: z.coerce.number(), prompt: z.string().nullable() })),
});

/** JailbreakBench attack methods, each its own source so each can be left out. */
export const JAILBREAK_METHODS = {
  PAIR: 'jbb_pair',
  GCG: 'jbb_gcg',
  DSN: 'jbb_dsn',
  adaptive_random_search: 'jbb_random_search',
} as const;

/** The JailbreakBench artifact files read, relative to `attack-artifacts/`. */
export const ARTIFACT_FILES = [
  'DSN/white_box/vicuna-13b-v1.5.json',
  'DSN/white_box/llama-2-7b-chat-hf.json',
  'GCG/transfer/gpt-3.5-turbo-1106.json',
  'GCG/transfer/gpt-4-0125-preview.json',
  'GCG/white_box/llama-2-7b-chat-hf.json',
  'GCG/white_box/vicuna-13b-v1.5.json',
  'PAIR/black_box/gpt-3.5-turbo-1106.json',
  'PAIR/black_box/gpt-4-0125-preview.json',
  'PAIR/black_box/llama-2-7b-chat-hf.json',
  'PAIR/black_box/vicuna-13b-v1.5.json',
  'prompt_with_random_search/black_box/gpt-3.5-turbo-1106.json',
  'prompt_with_random_search/black_box/gpt-4-0125-preview.json',
  'prompt_with_random_search/black_box/llama-2-7b-chat-hf.json',
  'prompt_with_random_search/black_box/vicuna-13b-v1.5.json',
];

function jailbreakArtifacts(datasetsDir: string): SourceRow[] {
  const folder = resolve(need(datasetsDir, 'jailbreakbench_artifacts'), 'attack-artifacts');
  const seen = new Set<string>();
  const rows: SourceRow[] = [];
  for (const file of ARTIFACT_FILES) {
    const artifact = artifactSchema.parse(JSON.parse(readFileSync(resolve(folder, file), 'utf8')));
    const source = JAILBREAK_METHODS[artifact.parameters.method as keyof typeof JAILBREAK_METHODS];
    if (!source) throw new Error(`Unknown JailbreakBench method ${artifact.parameters.method} in ${file}`);
    for (const jailbreak of artifact.jailbreaks) {
      if (!jailbreak.prompt || seen.has(jailbreak.prompt)) continue;
      seen.add(jailbreak.prompt);
      // By goal index, so one goal never sits in two splits.
      rows.push({ source, split: splitByIndex(jailbreak.index), text: jailbreak.prompt, label: 1 });
    }
  }
  return rows;
}

function jailbreakBenign(datasetsDir: string): SourceRow[] {
  const [, ...lines] = readCsvRows(
    resolve(need(datasetsDir, 'jailbreakbench_behaviors'), 'benign-behaviors.csv'),
  );
  return lines.map((columns) => ({
    source: 'jbb_benign',
    split: splitByIndex(Number(columns[0])),
    text: columns[1] ?? '',
    label: 0 as const,
  }));
}

function readCsvRows(file: string): string[][] {
  // Small CSVs with quoted commas; the router's parser handles quotes.
  return parseCsv(readFileSync(file, 'utf8'));
}

const bipiaAttacks = z.record(z.string(), z.array(z.string()));
const bipiaEmail = z.object({ context: z.string() });

/**
 * BIPIA: the attack strings are only instructions; an indirect injection is one of them hidden in an
 * e-mail. Each attack is placed in two e-mails of the same split (start, middle or end, by a hash),
 * and the untouched e-mails are the negatives. Train attacks meet train e-mails, test meets test.
 */
function bipia(datasetsDir: string): SourceRow[] {
  const folder = need(datasetsDir, 'bipia_indirect_injection');
  const rows: SourceRow[] = [];
  for (const split of ['train', 'test'] as const) {
    const emails = readFileSync(resolve(folder, 'email', `${split}.jsonl`), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => bipiaEmail.parse(JSON.parse(line)).context);
    const attacks = ['text', 'code'].flatMap((kind) =>
      Object.values(
        bipiaAttacks.parse(JSON.parse(readFileSync(resolve(folder, `${kind}_attack_${split}.json`), 'utf8'))),
      ).flat(),
    );
    attacks.forEach((attack, attackIndex) => {
      for (const offset of [0, 17]) {
        const email = emails[(attackIndex * 7 + offset) % emails.length]!;
        const sentences = email.split(/(?<=[.!?])\s+/);
        const at =
          (attackIndex + offset) % 3 === 0
            ? 0
            : (attackIndex + offset) % 3 === 1
              ? sentences.length
              : Math.floor(sentences.length / 2);
        const text = [...sentences.slice(0, at), attack, ...sentences.slice(at)].join(' ');
        const rowSplit = split === 'test' ? 'test' : splitByHash(text, 0.85, 1) === 'train' ? 'train' : 'dev';
        rows.push({ source: 'bipia', split: rowSplit, text, label: 1 });
      }
    });
    for (const email of emails)
      rows.push({
        source: 'bipia_emails',
        split: split === 'test' ? 'test' : 'train',
        text: email,
        label: 0,
      });
  }
  return rows;
}

function notInject(datasetsDir: string): SourceRow[] {
  const folder = need(datasetsDir, 'notinject_piguard');
  const row = z.object({ prompt: z.string() });
  return ['NotInject_one.json', 'NotInject_two.json', 'NotInject_three.json'].flatMap((name) =>
    z
      .array(row)
      .parse(JSON.parse(readFileSync(resolve(folder, name), 'utf8')))
      .map((entry) => ({
        source: 'notinject',
        split: splitByHash(entry.prompt, 0.4, 0.5),
        text: entry.prompt,
        label: 0 as const,
      })),
  );
}

function xstestSafe(datasetsDir: string): SourceRow[] {
  return readXstest(need(datasetsDir, 'xstest'))
    .filter((row) => row.label === 'safe')
    .map((row) => ({
      source: 'xstest_safe',
      split: splitByHash(row.prompt, 0.4, 0.5),
      text: row.prompt,
      label: 0 as const,
    }));
}

function banking77(datasetsDir: string): SourceRow[] {
  const folder = need(datasetsDir, 'banking77');
  const rows: SourceRow[] = [];
  readBanking77(folder, 'train').forEach((row, index) => {
    // Every third train text is enough to teach banking wording; a tenth is dev for the threshold.
    const split: DetectorSplit | undefined = index % 10 === 9 ? 'dev' : index % 3 === 0 ? 'train' : undefined;
    if (split) rows.push({ source: 'banking77', split, text: row.text, label: 0 });
  });
  for (const row of readBanking77(folder, 'test'))
    rows.push({ source: 'banking77', split: 'test', text: row.text, label: 0 });
  return rows;
}

function dstc11(datasetsDir: string): SourceRow[] {
  const folder = need(datasetsDir, 'dstc11_natcs_banking_finance_intents');
  const utterances = (path: string) =>
    readFileSync(resolve(folder, path), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => z.object({ utterance: z.string() }).parse(JSON.parse(line)).utterance);
  return [
    ...utterances('test-banking/test-utterances.jsonl').map((text) => ({
      source: 'dstc11_banking',
      split: 'test' as const,
      text,
      label: 0 as const,
    })),
    ...utterances('test-finance/test-utterances.jsonl').map((text) => ({
      source: 'dstc11_finance',
      split: 'dev' as const,
      text,
      label: 0 as const,
    })),
  ];
}

/** First customer turns of the hh-rlhf harmless pool: unlabelled, mined by the trainer. */
export function hhRlhfOpenings(datasetsDir: string): string[] {
  const folder = need(datasetsDir, 'hh_rlhf_harmless_test');
  const raw = gunzipSync(readFileSync(resolve(folder, 'harmless-base', 'test.jsonl.gz'))).toString('utf8');
  const openings = new Set<string>();
  for (const line of raw.split('\n').filter(Boolean)) {
    const chosen = z.object({ chosen: z.string() }).parse(JSON.parse(line)).chosen;
    const opening = /Human: ([\s\S]*?)\n\nAssistant:/.exec(chosen)?.[1]?.trim();
    if (opening) openings.add(opening);
  }
  return [...openings];
}

function tellerBanking(): SourceRow[] {
  return TELLER_BANKING_ATTACKS.map((text, index) => ({
    source: 'teller_banking',
    split: index % 10 < 6 ? 'train' : index % 10 < 7 ? 'dev' : 'test',
    text,
    label: 1 as const,
  }));
}

/** Every labelled row of every source. */
export function readDetectorSources(datasetsDir: string): SourceRow[] {
  return [
    ...deepset(datasetsDir),
    ...purpleLlama(datasetsDir),
    ...jailbreakArtifacts(datasetsDir),
    ...bipia(datasetsDir),
    ...tellerBanking(),
    ...jailbreakBenign(datasetsDir),
    ...notInject(datasetsDir),
    ...xstestSafe(datasetsDir),
    ...banking77(datasetsDir),
    ...dstc11(datasetsDir),
  ];
}
