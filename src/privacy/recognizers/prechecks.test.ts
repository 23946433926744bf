/**
 * Pre-checks must be necessary conditions: wherever the guarded pattern (or library rule) can
 * match, the pre-check says yes, so skipping work on a "no" never changes a result. Checked on
 * hand-written attacks and, when present, on every presidio_research_pii sentence.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasetPath, resolveDatasetsDir } from '../../../evals/framework/datasets.js';
import { lowerSameLength } from '../analyzer.js';
import { IPV6_CANDIDATE, IPV6_HINT } from './contact.js';
import { CHUNK_GREETING, createOfflineRedactor, DEFAULT_SAFETY_NET_RULES, GREETING } from './redactpii.js';

const HAND_WRITTEN = [
  'login from fe80::1ff:fe23:4567:890a yesterday',
  'server ::1 and ::ffff:192.0.2.1 and 2001:db8::',
  'Note: call me at 10:30, ratio 3:1, a::b',
  ':: alone, :::: many, 1:2:3:4:5:6:7:8',
  'Hi Jane Doe, hello Tom Baker. Dear Ann Lee\nhey there Bob Smith',
  'xhi John Smith, ahello Ann Lee; write to jane.doe@example.com',
  'HI JANE DOE, HELLO Tom Baker. hi\tMary Jones, greetings Ann Lee',
  'mail a@b.co hi Ann Lee. Hey Tom Baker <PERSON_NAME> EMAIL_ADDRESS',
  'Hello Ann Lee.\u00a0Dear Tom Baker.\n\nhi\u2028Bob Smith. Say hi Jane Doe',
];

function datasetTexts(): string[] {
  const directory = datasetPath(resolveDatasetsDir(), 'presidio_research_pii');
  if (!directory) return [];
  return ['synth_dataset_v2.json', 'generated_large.json'].flatMap((file) =>
    (JSON.parse(readFileSync(resolve(directory, file), 'utf8')) as Array<{ full_text: string }>).map(
      (record) => record.full_text,
    ),
  );
}

const dataset = datasetTexts();
if (dataset.length === 0)
  console.warn('presidio_research_pii absent: pre-checks tested on hand-written cases only');
const texts = [...HAND_WRITTEN, ...dataset];

describe('pre-checks are necessary conditions', () => {
  it('IPV6_HINT holds wherever the IPv6 pattern matches, and refuses prose colons', () => {
    let matched = 0;
    for (const text of texts) {
      IPV6_CANDIDATE.lastIndex = 0;
      if (IPV6_CANDIDATE.test(text)) {
        matched++;
        expect(IPV6_HINT.test(text), text).toBe(true);
      }
    }
    IPV6_CANDIDATE.lastIndex = 0;
    expect(matched).toBeGreaterThanOrEqual(3);
    expect(IPV6_HINT.test('Note: nothing here; time 10: 30')).toBe(false);
  });

  it('a redactor without the rule whose necessary text is absent writes the same output', () => {
    const full = createOfflineRedactor(DEFAULT_SAFETY_NET_RULES);
    const nameOnly = createOfflineRedactor({ ...DEFAULT_SAFETY_NET_RULES, EMAIL: false });
    const emailOnly = createOfflineRedactor({ ...DEFAULT_SAFETY_NET_RULES, NAME: false });
    let changed = 0;
    for (const text of texts) {
      const expected = full.redact(text);
      if (expected !== text) changed++;
      const greeting = CHUNK_GREETING.test(lowerSameLength(text));
      // The chunk pre-check is stricter than the recognizer's own gate, never looser.
      if (greeting) expect(GREETING.test(lowerSameLength(text)), text).toBe(true);
      if (!text.includes('@')) expect(nameOnly.redact(text), text).toBe(expected);
      if (!greeting) expect(emailOnly.redact(text), text).toBe(expected);
      if (!greeting && !text.includes('@')) expect(expected, text).toBe(text);
    }
    expect(changed).toBeGreaterThanOrEqual(4);
  });
});
