/**
 * Every customer ("Human:") turn of the hh-rlhf harmless pool (MIT, Anthropic), not only the first:
 * red-team conversations escalate, so later turns hold most of the violent intent the threat model
 * mines. Unlabelled; declared train in models/datasets.yaml and never used for a test figure.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';
import { declaredFile, loadDatasetDeclarations } from '../../../src/classifier/dataset-declarations.js';
import { datasetPath } from '../../framework/datasets.js';

/** Distinct customer turns of the pool, in file order. */
export function hhRlhfHumanTurns(datasetsDir: string): string[] {
  const folder = datasetPath(datasetsDir, 'hh_rlhf_harmless_test');
  if (!folder) throw new Error(`Dataset hh_rlhf_harmless_test missing under ${datasetsDir}`);
  declaredFile(loadDatasetDeclarations(), 'hh_rlhf_harmless_test', 'harmless-base/test.jsonl.gz', 'train');
  const raw = gunzipSync(readFileSync(resolve(folder, 'harmless-base', 'test.jsonl.gz'))).toString('utf8');
  const turns = new Set<string>();
  for (const line of raw.split('\n').filter(Boolean)) {
    const chosen = z.object({ chosen: z.string() }).parse(JSON.parse(line)).chosen;
    for (const match of chosen.matchAll(/Human: ([\s\S]*?)(?=\n\nAssistant:|$)/g)) {
      const turn = match[1]?.trim();
      if (turn) turns.add(turn);
    }
  }
  return [...turns];
}
