/**
 * ConvAbuse (Cercas Curry et al., EMNLP 2021, CC BY 4.0): user turns aimed at conversational agents,
 * labelled by several annotators each. A turn is abusive when more than half of the annotators who
 * labelled it chose a severity (-1 mild, -2 strong, -3 very strong); its severity is their mean.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { declaredFile, loadDatasetDeclarations } from '../../../src/classifier/dataset-declarations.js';
import { parseCsv } from '../../../src/training/parse-csv.js';

export interface ConvAbuseRow {
  readonly text: string;
  readonly abusive: boolean;
  /** Mean severity (1..3) among annotators who called it abusive; 0 when not abusive. */
  readonly severity: number;
  /** True when most abusive votes name the system (the agent) as the target. */
  readonly atSystem: boolean;
  /** Share of the annotators who labelled the turn that called it abusive (0..1). */
  readonly abusiveShare: number;
}

const SPLIT_FILES = {
  train: 'ConvAbuseEMNLPtrain.csv',
  dev: 'ConvAbuseEMNLPvalid.csv',
  test: 'ConvAbuseEMNLPtest.csv',
};

const ROLES = { train: 'train', dev: 'dev', test: 'test' } as const;

/** One official split of ConvAbuse; refuses a file models/datasets.yaml declares for another role. */
export function readConvAbuse(folder: string, split: keyof typeof SPLIT_FILES): ConvAbuseRow[] {
  declaredFile(loadDatasetDeclarations(), 'convabuse', `2_splits/${SPLIT_FILES[split]}`, ROLES[split]);
  const [header = [], ...rows] = parseCsv(
    readFileSync(resolve(folder, '2_splits', SPLIT_FILES[split]), 'utf8'),
  );
  const column = (name: string) => header.indexOf(name);
  const annotators = [
    ...new Set(header.map((name) => /^(Annotator\d+)_is_abuse/.exec(name)?.[1]).filter(Boolean)),
  ] as string[];
  const userColumn = column('user');
  return rows.map((columns) => {
    let labelled = 0;
    let abusiveVotes = 0;
    let severityTotal = 0;
    let systemVotes = 0;
    for (const annotator of annotators) {
      const level = ['1', '0', '-1', '-2', '-3'].find(
        (value) => columns[column(`${annotator}_is_abuse.${value}`)] === '1',
      );
      if (level === undefined) continue;
      labelled += 1;
      if (Number(level) < 0) {
        abusiveVotes += 1;
        severityTotal += -Number(level);
        if (columns[column(`${annotator}_target.system`)] === '1') systemVotes += 1;
      }
    }
    const abusive = labelled > 0 && abusiveVotes > labelled / 2;
    return {
      text: columns[userColumn] ?? '',
      abusive,
      severity: abusive ? severityTotal / abusiveVotes : 0,
      atSystem: abusive && systemVotes * 2 >= abusiveVotes,
      abusiveShare: labelled > 0 ? abusiveVotes / labelled : 0,
    };
  });
}
