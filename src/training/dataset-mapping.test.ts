import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTrainedIntent } from '../routing/intents.js';
import { BANKING77_TO_INTENT, readBanking77Csv } from './dataset-mapping.js';

describe('readBanking77Csv', () => {
  it('when fields are quoted with commas, doubled quotes and line breaks then each row is read whole', () => {
    const folder = mkdtempSync(join(tmpdir(), 'teller-b77-'));
    const path = join(folder, 'train.csv');
    writeFileSync(
      path,
      'text,category\r\nplain text,card_arrival\n"with, comma",exchange_rate\n"said ""hi""",age_limit\n"two\nlines\n",card_not_working\n',
    );
    expect(readBanking77Csv(path)).toEqual([
      { text: 'plain text', label: 'card_arrival' },
      { text: 'with, comma', label: 'exchange_rate' },
      { text: 'said "hi"', label: 'age_limit' },
      { text: 'two lines', label: 'card_not_working' },
    ]);
  });
});

describe('BANKING77_TO_INTENT', () => {
  it('when a label is mapped then it maps onto a trained intent', () => {
    for (const intent of Object.values(BANKING77_TO_INTENT)) expect(isTrainedIntent(intent)).toBe(true);
  });
});
