/**
 * CFPB consumer complaint narratives, split three ways by a hash of the narrative so the split is
 * fixed without a list: six in ten train the complaint model, two in ten are its dev data, two in
 * ten are held out for `npm run eval` (models/datasets.yaml declares the three parts). Identical
 * narratives (the sample holds a few repeats) always land in the same part.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from './parse-csv.js';

/** The file of the dataset folder and its declared parts (`complaints_sample.csv#train` …). */
export const CFPB_FILE = 'complaints_sample.csv';
export type CfpbPart = 'train' | 'dev' | 'test';

/** Which part a narrative (whitespace already collapsed) belongs to: SHA-256 first word mod 10. */
export function cfpbPartOf(narrative: string): CfpbPart {
  const bucket = createHash('sha256').update(narrative).digest().readUInt32BE(0) % 10;
  if (bucket < 6) return 'train';
  return bucket < 8 ? 'dev' : 'test';
}

/**
 * Every narrative, whitespace collapsed, by part, in file order. Rows without a narrative (most of
 * the export) and stubs of 40 characters or fewer are left out.
 */
export function readCfpbNarrativesByPart(folder: string): Record<CfpbPart, string[]> {
  const rows = parseCsv(readFileSync(join(folder, CFPB_FILE), 'utf8'));
  const column = (rows[0] ?? []).indexOf('Consumer complaint narrative');
  if (column < 0)
    throw new Error(`cfpb_complaints_sample: no "Consumer complaint narrative" column in ${CFPB_FILE}`);
  const parts: Record<CfpbPart, string[]> = { train: [], dev: [], test: [] };
  for (const row of rows.slice(1)) {
    const text = (row[column] ?? '').replace(/\s+/g, ' ').trim();
    if (text.length > 40) parts[cfpbPartOf(text)].push(text);
  }
  return parts;
}

/** The narratives of one part (see `readCfpbNarrativesByPart`). */
export function readCfpbNarratives(folder: string, part: CfpbPart): string[] {
  return readCfpbNarrativesByPart(folder)[part];
}
