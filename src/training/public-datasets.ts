/**
 * Readers for the public datasets the scope and emotion steps train on, validated with zod. The
 * data is read from the shared datasets folder and never copied into the project.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const clincSchema = z.record(z.string(), z.array(z.tuple([z.string(), z.string()])));
const domainsSchema = z.record(z.string(), z.array(z.string()));

/** CLINC150 `data_full.json` splits and its domain → intents table. */
export function readClinc150(folder: string): {
  readonly splits: Record<string, Array<[string, string]>>;
  readonly domains: Record<string, string[]>;
} {
  return {
    splits: clincSchema.parse(JSON.parse(readFileSync(join(folder, 'data_full.json'), 'utf8'))),
    domains: domainsSchema.parse(JSON.parse(readFileSync(join(folder, 'domains.json'), 'utf8'))),
  };
}

/** GoEmotions rows of one split with their label names (the emotion step trains on train and dev; the handoff eval reads test). */
export function readGoEmotionsSplit(
  folder: string,
  split: 'train' | 'dev' | 'test',
): Array<{ readonly text: string; readonly labels: string[] }> {
  const names = readFileSync(join(folder, 'emotions.txt'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return readFileSync(join(folder, `${split}.tsv`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [text, ids] = line.split('\t');
      const labels = z
        .string()
        .parse(ids)
        .split(',')
        .map((id) => {
          const name = names[Number(id)];
          if (!name) throw new Error(`GoEmotions: unknown label id ${id}`);
          return name;
        });
      return { text: z.string().parse(text), labels };
    });
}

/** GoEmotions labels that count as an emotional cue for handoff. */
export const UPSET_EMOTIONS: ReadonlySet<string> = new Set([
  'anger',
  'annoyance',
  'disappointment',
  'sadness',
  'fear',
  'grief',
]);
