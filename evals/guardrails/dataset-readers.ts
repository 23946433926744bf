/**
 * Readers for the shared public datasets used by the guardrails and handoff suites and by the
 * offline trainer. Each takes the dataset folder (from `datasetPath`) and validates rows with zod.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { readBanking77Csv } from '../../src/training/dataset-mapping.js';
import { parseCsv } from '../../src/training/parse-csv.js';

/** BANKING77 rows through the router's reader, so both read the dataset the same way. */
export function readBanking77(folder: string, split: 'train' | 'test'): { text: string; category: string }[] {
  return readBanking77Csv(resolve(folder, `${split}.csv`)).map(({ text, label }) => ({
    text,
    category: label,
  }));
}

const clincSchema = z.record(z.string(), z.array(z.tuple([z.string(), z.string()])));

export function readClinc(folder: string): {
  splits: Record<string, [string, string][]>;
  domains: Record<string, string[]>;
} {
  const splits = clincSchema.parse(JSON.parse(readFileSync(resolve(folder, 'data_full.json'), 'utf8')));
  const domains = z
    .record(z.string(), z.array(z.string()))
    .parse(JSON.parse(readFileSync(resolve(folder, 'domains.json'), 'utf8')));
  return { splits, domains };
}

/** GoEmotions labels counted as an emotional cue for handoff. */
export const NEGATIVE_EMOTION_LABELS: ReadonlySet<string> = new Set([
  'anger',
  'annoyance',
  'disappointment',
  'sadness',
  'fear',
  'grief',
]);

export function readJsonLines(file: string): { text: string; label: number }[] {
  const row = z.object({ text: z.string(), label: z.number() });
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => row.parse(JSON.parse(line)));
}

export function readPurpleLlama(
  folder: string,
): { text: string; variant: string; type: string; language: string }[] {
  const row = z.object({
    user_input: z.string(),
    injection_variant: z.string(),
    injection_type: z.string(),
    speaking_language: z.string(),
  });
  return z
    .array(row)
    .parse(JSON.parse(readFileSync(resolve(folder, 'prompt_injection.json'), 'utf8')))
    .map((entry) => ({
      text: entry.user_input,
      variant: entry.injection_variant,
      type: entry.injection_type,
      language: entry.speaking_language,
    }));
}

export function readNotInject(folder: string): string[] {
  const row = z.object({ prompt: z.string() });
  return ['NotInject_one.json', 'NotInject_two.json', 'NotInject_three.json'].flatMap((name) =>
    z
      .array(row)
      .parse(JSON.parse(readFileSync(resolve(folder, name), 'utf8')))
      .map((entry) => entry.prompt),
  );
}

export function readXstest(folder: string): { prompt: string; label: string; type: string }[] {
  const [, ...rows] = parseCsv(readFileSync(resolve(folder, 'xstest_prompts.csv'), 'utf8'));
  return rows.map((columns) => ({
    prompt: columns[1] ?? '',
    type: columns[2] ?? '',
    label: columns[3] ?? '',
  }));
}
