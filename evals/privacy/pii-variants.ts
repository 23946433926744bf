/**
 * Teller's own PII variant corpus (`evals/data/pii-variants.jsonl`, written for Teller: every
 * message is our phrasing, values are generated, none comes from a dataset). Each message lists
 * the raw values that must vanish when it is redacted, with their entity, and the near misses that
 * must stay readable (amounts, dates, references). Shared by the pii suite and the at-rest test.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { EntityType } from '../../src/privacy/types.js';
import { entityTypeSchema } from '../../src/privacy/types.js';
import { projectRoot } from '../framework/datasets.js';

const variantSchema = z
  .object({
    id: z.string().min(1),
    text: z.string().min(1),
    values: z.array(z.object({ entity: entityTypeSchema, value: z.string().min(1) }).strict()),
    keep: z.array(z.string().min(1)),
  })
  .strict()
  .refine((row) => row.values.every(({ value }) => row.text.includes(value)), {
    message: 'every value must occur in its text',
  });
export type PiiVariant = z.infer<typeof variantSchema>;

/** The corpus file. */
export const VARIANTS_PATH = resolve(projectRoot, 'evals', 'data', 'pii-variants.jsonl');

/** Reads and validates the corpus (throws with the line number on a bad row). */
export function loadPiiVariants(path: string = VARIANTS_PATH): PiiVariant[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line, index) => {
      const parsed = variantSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${path}:${index + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
}

/** Whether `value` still appears in `text`, ignoring case (a lower-cased copy is still a leak). */
export function stillPresent(text: string, value: string): boolean {
  return text.toLowerCase().includes(value.toLowerCase());
}

export interface VariantScores {
  /** Per entity: values that vanished / values. */
  readonly recall: ReadonlyMap<EntityType, { vanished: number; total: number; typed: number }>;
  readonly keepViolations: number;
  readonly keepTotal: number;
  readonly failures: Array<{ id: string; input: string; expected: string[]; actual: string }>;
}

/**
 * Redacts every message and scores it: a value counts as recalled when no copy of it is left in
 * the redacted text; "typed" when a finding of its own entity covered it too. A near miss counts
 * as violated when it is no longer in the redacted text.
 */
export async function scoreVariants(
  variants: readonly PiiVariant[],
  redact: (text: string) => Promise<{
    redactedText: string;
    findings: ReadonlyArray<{ entity: string; start: number; end: number }>;
  }>,
): Promise<VariantScores> {
  const recall = new Map<EntityType, { vanished: number; total: number; typed: number }>();
  const failures: VariantScores['failures'] = [];
  let keepViolations = 0;
  let keepTotal = 0;
  for (const variant of variants) {
    const { redactedText, findings } = await redact(variant.text);
    const problems: string[] = [];
    for (const { entity, value } of variant.values) {
      const entry = recall.get(entity) ?? { vanished: 0, total: 0, typed: 0 };
      recall.set(entity, entry);
      entry.total++;
      if (stillPresent(redactedText, value)) {
        problems.push(`${entity} left: ${value}`);
        continue;
      }
      entry.vanished++;
      const start = variant.text.indexOf(value);
      const end = start + value.length;
      if (findings.some((finding) => finding.entity === entity && finding.start < end && start < finding.end))
        entry.typed++;
    }
    for (const kept of variant.keep) {
      keepTotal++;
      if (!redactedText.includes(kept)) {
        keepViolations++;
        problems.push(`near miss redacted: ${kept}`);
      }
    }
    if (problems.length > 0)
      failures.push({ id: variant.id, input: variant.text, expected: problems, actual: redactedText });
  }
  return { recall, keepViolations, keepTotal, failures };
}
