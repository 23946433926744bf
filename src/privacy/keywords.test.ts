import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasetPath, resolveDatasetsDir } from '../../evals/framework/datasets.js';
import { createKeywordPresence, createKeywordScanner, RECOGNIZER_KEYWORDS } from './keywords.js';

function datasetTexts(): string[] {
  const directory = datasetPath(resolveDatasetsDir(), 'presidio_research_pii');
  if (!directory) return [];
  return ['synth_dataset_v2.json', 'generated_large.json'].flatMap((file) =>
    (JSON.parse(readFileSync(resolve(directory, file), 'utf8')) as Array<{ full_text: string }>).map(
      (record) => record.full_text.toLowerCase(),
    ),
  );
}

const OVERLAPS = [
  'my passcode is 1234',
  'pinpass a/cc cvv2 csc cid',
  'one-time code, p.o. box 12, po apo, corner office',
  'd.o.b born birthday zip postal sorting legend lastly accounting verification security',
  'endlast passwordpwd memorablecode',
  '',
];

describe('keyword presence', () => {
  it('answers exactly as includes does, keyword by keyword, on overlapping and dataset texts', () => {
    const texts = [...OVERLAPS, ...datasetTexts()];
    let present = 0;
    for (const text of texts) {
      const presence = createKeywordPresence(text);
      for (const keyword of RECOGNIZER_KEYWORDS) {
        expect(presence.has(keyword), `${keyword} in ${text}`).toBe(text.includes(keyword));
        if (text.includes(keyword)) present++;
      }
      expect(presence.has('not a keyword')).toBe(text.includes('not a keyword'));
    }
    expect(present).toBeGreaterThan(10);
  });

  it('finds keywords nested in and overlapping one another', () => {
    const scanner = createKeywordScanner(['pass', 'passcode', 'code', 'ode', 'sco']);
    expect([...scanner.scan('passcode')].sort()).toEqual(['code', 'ode', 'pass', 'passcode', 'sco']);
    expect([...scanner.scan('pas code')].sort()).toEqual(['code', 'ode']);
  });
});
