/**
 * Ordinary customer requests that mention a person ("can someone call me back", "my son needs a
 * guarantor"): hard negatives for the threat model. The mined hh-rlhf positives pair a verb of
 * violence with a person, so without these the model learnt "someone", "him" or "my son" as threat
 * words and sent plain requests for help to an urgent threat handoff. Read from the train splits
 * declared in models/datasets.yaml (BANKING77 train.csv, CLINC150 train, HWU64 trainset); the dev
 * part (BANKING77 rows the detectors keep for dev, CLINC150 val) sets the benign false-positive cap.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { datasetPath } from '../../framework/datasets.js';
import { readBanking77, readClinc } from '../dataset-readers.js';

/** A person, a pronoun for one, or a relative: the words the violent-intent mining keys on. */
const MENTIONS_A_PERSON =
  /\b(?:someone|somebody|anyone|anybody|person|people|human|him|her|them|they|he|she|my (?:son|daughter|wife|husband|partner|mother|mum|mom|father|dad|brother|sister|friend|child|kids?|children|boss|neighbou?r)|a (?:man|woman|friend|relative|family member))\b/i;

export function mentionsAPerson(text: string): boolean {
  return MENTIONS_A_PERSON.test(text);
}

function hwu64Train(folder: string): string[] {
  const trainDir = join(folder, 'trainset');
  return readdirSync(trainDir)
    .filter((file) => file.endsWith('.csv'))
    .sort()
    .flatMap((file) =>
      readFileSync(join(trainDir, file), 'utf8')
        .split('\n')
        .slice(1)
        .filter(Boolean)
        // Semicolon-separated; the customer's own words are the last field.
        .map((line) => line.split(';').at(-1)?.replace(/^"|"$/g, '').trim() ?? '')
        .filter(Boolean),
    );
}

function required(datasetsDir: string, name: string): string {
  const folder = datasetPath(datasetsDir, name);
  if (!folder) throw new Error(`Dataset ${name} missing under ${datasetsDir}`);
  return folder;
}

/**
 * Person-mentioning requests: `train` from train splits only; `dev` from BANKING77 train.csv rows
 * with index mod 10 = 9 (the detectors' BANKING77 dev) and CLINC150 val.
 */
export function personRequests(datasetsDir: string): { train: string[]; dev: string[] } {
  const banking = readBanking77(required(datasetsDir, 'banking77'), 'train');
  const clinc = readClinc(required(datasetsDir, 'clinc150_oos')).splits;
  const train = [
    ...banking.filter((_, index) => index % 10 !== 9).map((row) => row.text),
    ...[...(clinc.train ?? []), ...(clinc.oos_train ?? [])].map(([text]) => text),
    ...hwu64Train(required(datasetsDir, 'hwu64_nlu_evaluation')),
  ].filter(mentionsAPerson);
  const dev = [
    ...banking.filter((_, index) => index % 10 === 9).map((row) => row.text),
    ...[...(clinc.val ?? []), ...(clinc.oos_val ?? [])].map(([text]) => text),
  ].filter(mentionsAPerson);
  return { train: [...new Set(train)], dev: [...new Set(dev)] };
}
