/**
 * The attack detector measured the way issue 15 asks: the shipped model on every source's test split
 * (in distribution), then leave-one-source-out: for each attack source a model trained on all the
 * others (same settings) is tested on every row
 * of the source it never saw, with its false-positive rate on benign banking traffic. Each fold is
 * calibrated on dev benign traffic by the shipped model's rule (the same dev false-positive budget
 * mapped onto the same fixed threshold), so no fold's threshold is chosen on test. Model only:
 * patterns are not part of these figures. LOSO trains eight models, so it runs only without --fast.
 */
import { committedDetector } from '../../src/classifier/detector-models.js';
import { createLinearClassifier } from '../../src/classifier/linear-classifier.js';
import { windowedScore } from '../../src/classifier/windowed-score.js';
import type { SuiteTable } from '../framework/types.js';
import { ATTACK_SOURCES, SHIPPED_THRESHOLD, trainCalibratedAttackModel } from './detectors/corpus.js';
import { readDetectorSources, type SourceRow } from './detectors/sources.js';

/** The benign traffic the false-positive rate is measured on (test rows only). */
export const BENIGN_TEST_SOURCES = [
  'banking77',
  'dstc11_banking',
  'notinject',
  'xstest_safe',
  'jbb_benign',
] as const;

export interface DetectorFigures {
  readonly metrics: Record<string, number>;
  readonly tables: SuiteTable[];
}

function rate(score: (text: string) => number, texts: readonly string[]): number {
  if (texts.length === 0) return 0;
  return texts.filter((text) => score(text) >= SHIPPED_THRESHOLD).length / texts.length;
}

function benignTest(rows: readonly SourceRow[]): string[] {
  const benign = new Set<string>(BENIGN_TEST_SOURCES);
  return rows
    .filter((row) => row.split === 'test' && row.label === 0 && benign.has(row.source))
    .map((row) => row.text);
}

/** In-distribution figures of the committed model. */
export function inDistributionFigures(datasetsDir: string): DetectorFigures & { rows: SourceRow[] } {
  const rows = readDetectorSources(datasetsDir);
  const { classifier } = committedDetector('attack');
  const score = (text: string) => windowedScore(classifier, text);
  const metrics: Record<string, number> = {};
  const tableRows: (string | number)[][] = [];
  const attacks = rows.filter((row) => row.split === 'test' && row.label === 1);
  for (const source of ATTACK_SOURCES) {
    const texts = attacks.filter((row) => row.source === source).map((row) => row.text);
    metrics[`detector.test.tpr.${source}`] = rate(score, texts);
    tableRows.push([source, 'attack', texts.length, metrics[`detector.test.tpr.${source}`]!.toFixed(3)]);
  }
  metrics['detector.test.tpr.all'] = rate(
    score,
    attacks.map((row) => row.text),
  );
  for (const source of BENIGN_TEST_SOURCES) {
    const texts = rows
      .filter((row) => row.split === 'test' && row.label === 0 && row.source === source)
      .map((row) => row.text);
    metrics[`detector.test.fpr.${source}`] = rate(score, texts);
    tableRows.push([source, 'benign', texts.length, metrics[`detector.test.fpr.${source}`]!.toFixed(3)]);
  }
  metrics['detector.test.fpr.benign_banking_traffic'] = rate(score, benignTest(rows));
  return {
    rows,
    metrics,
    tables: [
      {
        title: `attack detector alone, test splits (threshold ${SHIPPED_THRESHOLD}; all attacks ${metrics['detector.test.tpr.all']!.toFixed(3)}, pooled benign FPR ${metrics['detector.test.fpr.benign_banking_traffic']!.toFixed(3)})`,
        columns: ['source', 'kind', 'n', 'rate'],
        rows: tableRows,
      },
    ],
  };
}

/** Leave-one-source-out folds; `log` reports progress (each fold trains a model). */
export function leaveOneSourceOut(rows: readonly SourceRow[], log: (line: string) => void): DetectorFigures {
  const benign = benignTest(rows);
  const metrics: Record<string, number> = {};
  const tableRows: (string | number)[][] = [];
  let minimumTpr = 1;
  let maximumFpr = 0;
  for (const source of ATTACK_SOURCES) {
    log(`leave-one-source-out: training without ${source}`);
    // Each fold's threshold is set on dev benign traffic by the shipped model's rule.
    const { model } = trainCalibratedAttackModel(rows, { leaveOut: source });
    const classifier = createLinearClassifier(model);
    const score = (text: string) => windowedScore(classifier, text);
    const held = rows.filter((row) => row.source === source && row.label === 1).map((row) => row.text);
    const tpr = rate(score, held);
    const fpr = rate(score, benign);
    metrics[`loso.${source}.tpr`] = tpr;
    metrics[`loso.${source}.fpr_benign`] = fpr;
    minimumTpr = Math.min(minimumTpr, tpr);
    maximumFpr = Math.max(maximumFpr, fpr);
    tableRows.push([source, held.length, tpr.toFixed(3), benign.length, fpr.toFixed(3)]);
  }
  metrics['loso.min_tpr'] = minimumTpr;
  metrics['loso.max_fpr_benign'] = maximumFpr;
  return {
    metrics,
    tables: [
      {
        title: `leave-one-source-out, model alone at the fixed threshold ${SHIPPED_THRESHOLD} (target: TPR >= 0.90 at FPR <= 0.02)`,
        columns: ['held-out source', 'attacks', 'TPR', 'benign', 'FPR'],
        rows: tableRows,
      },
    ],
  };
}
