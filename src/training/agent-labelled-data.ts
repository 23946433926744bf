/**
 * Agent-labelled examples as a training source: the approved candidates (redacted customer
 * messages with the intent an agent gave them, approved by a second person) exported from the
 * store into a JSON-lines file the training step reads. The file lives in the data directory,
 * never in the repository, and is declared in models/datasets.yaml as the `agent_labelled`
 * dataset: one text in five (by a hash of the text) is held aside as dev, so a retrained
 * router is measured on labelled messages it never saw.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { TRAINED_INTENTS } from '../routing/intents.js';
import type { LabelledText } from '../routing/text-classifier.js';
import type { TrainingExampleRepository } from '../store/ports.js';
import { isDevText } from './router-training-data.js';

/** The dataset's name in models/datasets.yaml. */
export const AGENT_LABELLED_DATASET = 'agent_labelled';
/** The exported file inside the dataset's folder. */
export const AGENT_LABELLED_FILE = 'approved.jsonl';
/** One text in this many is held aside as dev. */
export const AGENT_LABELLED_DEV_ONE_IN = 5;
/** Approved agent-labelled texts (customers' own words, few of them) are counted this many times. */
export const AGENT_LABELLED_EXAMPLE_WEIGHT = 3;
/** Most approved examples one export reads. */
const EXPORT_LIMIT = 100_000;

const lineSchema = z
  .object({ id: z.string().min(1), text: z.string().min(1), intent: z.enum(TRAINED_INTENTS) })
  .strict();

/** Writes every approved example that has an intent to `directory/approved.jsonl`. */
export async function exportApprovedExamples(
  repository: TrainingExampleRepository,
  directory: string,
): Promise<{ readonly file: string; readonly count: number }> {
  const approved = await repository.list({ status: 'approved', limit: EXPORT_LIMIT });
  const lines = approved.flatMap((example) => {
    const parsed = lineSchema.safeParse({ id: example.id, text: example.text, intent: example.intent });
    return parsed.success ? [JSON.stringify(parsed.data)] : [];
  });
  mkdirSync(directory, { recursive: true });
  const file = join(directory, AGENT_LABELLED_FILE);
  writeFileSync(`${file}.tmp`, lines.map((line) => `${line}\n`).join(''));
  renameSync(`${file}.tmp`, file);
  return { file, count: lines.length };
}

/** Reads an export and divides it into training and held-aside dev texts. */
export function readAgentLabelled(directory: string): {
  readonly train: LabelledText[];
  readonly dev: LabelledText[];
} {
  const file = join(directory, AGENT_LABELLED_FILE);
  const train: LabelledText[] = [];
  const dev: LabelledText[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (!line.trim()) return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new Error(`${file}:${index + 1}: not JSON`);
      }
      const parsed = lineSchema.safeParse(value);
      if (!parsed.success) throw new Error(`${file}:${index + 1}: ${parsed.error.issues[0]?.message}`);
      const row = { text: parsed.data.text, label: parsed.data.intent };
      (isDevText(row.text, AGENT_LABELLED_DEV_ONE_IN) ? dev : train).push(row);
    });
  return { train, dev };
}

/**
 * The router's training texts with agent-labelled ones added, each counted `weight` times: few
 * against thousands of public texts, they are the bank's own customers' words.
 */
export function withAgentLabelled(
  train: readonly LabelledText[],
  agentLabelled: readonly LabelledText[],
  weight: number,
): LabelledText[] {
  return [...train, ...Array.from({ length: weight }, () => agentLabelled).flat()];
}
