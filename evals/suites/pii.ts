/**
 * PII suite: recall per entity on Teller's own variant corpus (evals/data/pii-variants.jsonl, see
 * pii-variants.ts), then span-level precision, recall and F1 per entity for Teller's analyzer,
 * side by side with @redactpii/node alone, on two public datasets:
 *
 * - presidio_research_pii (synth_dataset_v2.json + generated_large.json): Faker-filled sentences
 *   with labelled spans. Labels are mapped to Teller's (STREET_ADDRESS, ADDRESS and ZIP_CODE all
 *   become ADDRESS); GPE, ORGANIZATION, DATE_TIME and the like are unscored.
 * - presidio_recognizer_testcases (DERIVED_parametrized_cases.tsv): strings with the number of
 *   matches Presidio's recognizer tests expect, including invalid checksums that must give 0.
 *
 * Matching rule (research set): a predicted span matches a gold span when they overlap by at
 * least one character and carry the same mapped entity. Recall counts gold spans matched by some
 * prediction; precision counts predictions matching some gold span. A prediction matching no gold
 * span of its type but overlapping a gold span of an unscored type is neutral. Predictions of
 * types the dataset never annotates (PIN, BANK_ACCOUNT...) are not scored.
 *
 * Counting rule (test cases): per row, found = findings of the file's entity; true positives
 * min(found, expected), false positives the excess, false negatives the shortfall.
 *
 * `--fast` scores a deterministic sample of about 220 research sentences, stratified so each
 * scored entity appears (all test cases: they are few).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { sample } from '../../src/common/seeded-random.js';
import { createAnalyzer } from '../../src/privacy/analyzer.js';
import { createPrivacyGuard } from '../../src/privacy/guard.js';
import {
  createOfflineRedactor,
  findRedactPiiSpans,
  REDACTPII_LABELS,
} from '../../src/privacy/recognizers/redactpii.js';
import { datasetPath } from '../framework/datasets.js';
import type { EvalSuite, SuiteFailure, SuiteTable } from '../framework/types.js';
import { loadPiiVariants, scoreVariants } from '../privacy/pii-variants.js';

export interface LabelledSpan {
  readonly entity: string;
  readonly start: number;
  readonly end: number;
}

export interface EntityCounts {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** Gold spans matched (for recall); differs from truePositives when spans split or merge. */
  goldMatched: number;
  goldTotal: number;
}

export interface PrecisionRecall {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

const overlaps = (left: LabelledSpan, right: LabelledSpan): boolean =>
  left.start < right.end && right.start < left.end;

/** Adds one text's predictions against its gold spans into per-entity counts. */
export function scoreText(
  gold: readonly LabelledSpan[],
  unscoredGold: readonly LabelledSpan[],
  predicted: readonly LabelledSpan[],
  scored: ReadonlySet<string>,
  counts: Map<string, EntityCounts>,
): { missed: LabelledSpan[]; spurious: LabelledSpan[] } {
  const entry = (entity: string): EntityCounts => {
    let value = counts.get(entity);
    if (!value) {
      value = { truePositives: 0, falsePositives: 0, falseNegatives: 0, goldMatched: 0, goldTotal: 0 };
      counts.set(entity, value);
    }
    return value;
  };
  const missed: LabelledSpan[] = [];
  const spurious: LabelledSpan[] = [];
  for (const span of gold) {
    const value = entry(span.entity);
    value.goldTotal++;
    if (predicted.some((prediction) => prediction.entity === span.entity && overlaps(prediction, span))) {
      value.goldMatched++;
    } else {
      value.falseNegatives++;
      missed.push(span);
    }
  }
  for (const prediction of predicted) {
    if (!scored.has(prediction.entity)) continue;
    if (gold.some((span) => span.entity === prediction.entity && overlaps(prediction, span))) {
      entry(prediction.entity).truePositives++;
    } else if (!unscoredGold.some((span) => overlaps(prediction, span))) {
      entry(prediction.entity).falsePositives++;
      spurious.push(prediction);
    }
  }
  return { missed, spurious };
}

/** Precision, recall and F1 from counts (precision 1 when nothing was predicted). */
export function precisionRecall(counts: EntityCounts): PrecisionRecall {
  const predictedPositive = counts.truePositives + counts.falsePositives;
  const precision = predictedPositive === 0 ? 1 : counts.truePositives / predictedPositive;
  const recall = counts.goldTotal === 0 ? 1 : counts.goldMatched / counts.goldTotal;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, support: counts.goldTotal };
}

/** Sums counts over entities (micro average). */
export function totalCounts(counts: Iterable<EntityCounts>): EntityCounts {
  const total: EntityCounts = {
    truePositives: 0,
    falsePositives: 0,
    falseNegatives: 0,
    goldMatched: 0,
    goldTotal: 0,
  };
  for (const value of counts) {
    total.truePositives += value.truePositives;
    total.falsePositives += value.falsePositives;
    total.falseNegatives += value.falseNegatives;
    total.goldMatched += value.goldMatched;
    total.goldTotal += value.goldTotal;
  }
  return total;
}

/** presidio-research labels → Teller entities. Labels not listed are unscored (see the suite). */
export const RESEARCH_LABELS: Readonly<Record<string, string>> = {
  PERSON: 'PERSON',
  CREDIT_CARD: 'CREDIT_CARD',
  IBAN_CODE: 'IBAN_CODE',
  US_SSN: 'US_SSN',
  EMAIL_ADDRESS: 'EMAIL_ADDRESS',
  PHONE_NUMBER: 'PHONE_NUMBER',
  IP_ADDRESS: 'IP_ADDRESS',
  STREET_ADDRESS: 'ADDRESS',
  ADDRESS: 'ADDRESS',
  ZIP_CODE: 'ADDRESS',
};

/** Labels present in presidio-research that Teller does not score (not PII in our sense, or not detected). */
export const UNSCORED_RESEARCH_LABELS = [
  'GPE',
  'LOCATION',
  'ORGANIZATION',
  'DATE_TIME',
  'TITLE',
  'AGE',
  'NRP',
  'DOMAIN_NAME',
  'US_DRIVER_LICENSE',
  'PREFIX',
];

const recordSchema = z.object({
  full_text: z.string(),
  spans: z.array(
    z.object({ entity_type: z.string(), start_position: z.number().int(), end_position: z.number().int() }),
  ),
});

export interface ResearchRecord {
  readonly id: string;
  readonly text: string;
  readonly gold: LabelledSpan[];
  readonly unscored: LabelledSpan[];
}

/** Reads one presidio-research JSON file. */
export function readResearchFile(directory: string, file: string): ResearchRecord[] {
  const raw = z.array(recordSchema).parse(JSON.parse(readFileSync(resolve(directory, file), 'utf8')));
  return raw.map((record, index) => {
    const gold: LabelledSpan[] = [];
    const unscored: LabelledSpan[] = [];
    for (const span of record.spans) {
      const entity = RESEARCH_LABELS[span.entity_type];
      const target = entity ? gold : unscored;
      target.push({ entity: entity ?? span.entity_type, start: span.start_position, end: span.end_position });
    }
    return { id: `${file}#${index}`, text: record.full_text, gold, unscored };
  });
}

/** presidio recognizer test files → the Teller entity they test. Files not listed are not scored. */
export const TESTCASE_FILES: Readonly<Record<string, string>> = {
  'test_aba_routing_recognizer.py': 'US_ROUTING_NUMBER',
  'test_credit_card_recognizer.py': 'CREDIT_CARD',
  'test_email_recognizer.py': 'EMAIL_ADDRESS',
  'test_iban_recognizer.py': 'IBAN_CODE',
  'test_phone_recognizer.py': 'PHONE_NUMBER',
  'test_us_ssn_recognizer.py': 'US_SSN',
  // Scored since Teller detects UK_NINO; used as a test split only (the recognizer was written from
  // HMRC's published format rules, not from these rows).
  'test_uk_nino_recognizer.py': 'UK_NINO',
};

/** Test files whose negative cases are invalid checksums or invalid number rules. */
export const CHECKSUM_FILES = new Set([
  'test_aba_routing_recognizer.py',
  'test_credit_card_recognizer.py',
  'test_iban_recognizer.py',
  'test_us_ssn_recognizer.py',
  'test_uk_nino_recognizer.py',
]);

export interface RecognizerCase {
  readonly file: string;
  readonly entity: string;
  readonly text: string;
  readonly expected: number;
}

/**
 * Reads DERIVED_parametrized_cases.tsv. Rows whose text appears twice in one file with different
 * expected counts (phone "leniency" variants that depend on a Presidio parameter) are ambiguous
 * and dropped; their number is returned.
 */
export function readRecognizerCases(directory: string): {
  cases: RecognizerCase[];
  ambiguous: number;
  unsupported: number;
} {
  const lines = readFileSync(resolve(directory, 'DERIVED_parametrized_cases.tsv'), 'utf8')
    .split('\n')
    .slice(1);
  const rows = lines
    .filter((line) => line.length > 0)
    .map((line) => {
      const [file = '', , text = '', expected = '0'] = line.split('\t');
      return { file, text, expected: Number(expected) };
    });
  const expectations = new Map<string, Set<number>>();
  for (const row of rows) {
    const key = `${row.file}\t${row.text}`;
    expectations.set(key, (expectations.get(key) ?? new Set()).add(row.expected));
  }
  let ambiguous = 0;
  let unsupported = 0;
  const cases: RecognizerCase[] = [];
  for (const row of rows) {
    const entity = TESTCASE_FILES[row.file];
    if (!entity) {
      unsupported++;
      continue;
    }
    if ((expectations.get(`${row.file}\t${row.text}`)?.size ?? 0) > 1) {
      ambiguous++;
      continue;
    }
    cases.push({ file: row.file, entity, text: row.text, expected: row.expected });
  }
  return { cases, ambiguous, unsupported };
}

/** Entities scored on the research set. */
const RESEARCH_ENTITIES = [...new Set(Object.values(RESEARCH_LABELS))];

type Detector = (text: string) => LabelledSpan[];

/** Teller's analyzer with its default configuration. */
function tellerDetector(): Detector {
  const analyzer = createAnalyzer();
  return (text) => analyzer.analyze(text).map(({ entity, start, end }) => ({ entity, start, end }));
}

/** @redactpii/node alone, default rules, spans recovered from its output, labels mapped. */
function redactPiiDetector(): Detector {
  const redactor = createOfflineRedactor();
  return (text) =>
    findRedactPiiSpans(redactor, text).map((span) => ({
      entity: REDACTPII_LABELS[span.label] ?? span.label,
      start: span.start,
      end: span.end,
    }));
}

const format = (value: number): string => value.toFixed(3);

interface SystemRun {
  readonly counts: Map<string, EntityCounts>;
  readonly failures: SuiteFailure[];
}

function runResearch(records: readonly ResearchRecord[], detect: Detector, system: string): SystemRun {
  const counts = new Map<string, EntityCounts>();
  const failures: SuiteFailure[] = [];
  const scored = new Set(RESEARCH_ENTITIES);
  for (const record of records) {
    const predicted = detect(record.text);
    const { missed, spurious } = scoreText(record.gold, record.unscored, predicted, scored, counts);
    if (system === 'teller' && (missed.length > 0 || spurious.length > 0)) {
      failures.push({
        id: record.id,
        input: record.text,
        expected: missed.map((span) => `${span.entity}:${record.text.slice(span.start, span.end)}`),
        actual: spurious.map((span) => `${span.entity}:${record.text.slice(span.start, span.end)}`),
        note: 'expected = missed gold spans, actual = spurious predictions',
      });
    }
  }
  return { counts, failures };
}

function runCases(cases: readonly RecognizerCase[], detect: Detector, system: string) {
  const counts = new Map<string, EntityCounts>();
  const failures: SuiteFailure[] = [];
  let invalidFlagged = 0;
  let passed = 0;
  for (const testCase of cases) {
    const found = detect(testCase.text).filter((span) => span.entity === testCase.entity).length;
    let value = counts.get(testCase.entity);
    if (!value) {
      value = { truePositives: 0, falsePositives: 0, falseNegatives: 0, goldMatched: 0, goldTotal: 0 };
      counts.set(testCase.entity, value);
    }
    value.truePositives += Math.min(found, testCase.expected);
    value.goldMatched += Math.min(found, testCase.expected);
    value.goldTotal += testCase.expected;
    value.falsePositives += Math.max(0, found - testCase.expected);
    value.falseNegatives += Math.max(0, testCase.expected - found);
    if (found === testCase.expected) passed++;
    else if (system === 'teller') {
      failures.push({
        id: `${testCase.file}: ${testCase.text}`,
        input: testCase.text,
        expected: testCase.expected,
        actual: found,
      });
    }
    if (testCase.expected === 0 && found > 0 && CHECKSUM_FILES.has(testCase.file)) invalidFlagged++;
  }
  return { counts, failures, invalidFlagged, accuracy: cases.length === 0 ? 1 : passed / cases.length };
}

function entityTable(
  title: string,
  entities: readonly string[],
  teller: Map<string, EntityCounts>,
  baseline: Map<string, EntityCounts>,
): SuiteTable {
  const rows: (string | number)[][] = [];
  const empty: EntityCounts = {
    truePositives: 0,
    falsePositives: 0,
    falseNegatives: 0,
    goldMatched: 0,
    goldTotal: 0,
  };
  for (const entity of [...entities, 'overall']) {
    const ours = precisionRecall(
      entity === 'overall' ? totalCounts(teller.values()) : (teller.get(entity) ?? empty),
    );
    const theirs = precisionRecall(
      entity === 'overall' ? totalCounts(baseline.values()) : (baseline.get(entity) ?? empty),
    );
    rows.push([
      entity,
      ours.support,
      format(ours.precision),
      format(ours.recall),
      format(ours.f1),
      format(theirs.precision),
      format(theirs.recall),
      format(theirs.f1),
    ]);
  }
  return {
    title,
    columns: [
      'entity',
      'support',
      'teller P',
      'teller R',
      'teller F1',
      'redactpii P',
      'redactpii R',
      'redactpii F1',
    ],
    rows,
  };
}

function addMetrics(
  metrics: Record<string, number>,
  prefix: string,
  counts: Map<string, EntityCounts>,
  entities: readonly string[],
): void {
  for (const entity of entities) {
    const value = counts.get(entity);
    if (!value || value.goldTotal === 0) continue;
    const scores = precisionRecall(value);
    metrics[`${prefix}.${entity}.precision`] = scores.precision;
    metrics[`${prefix}.${entity}.recall`] = scores.recall;
    metrics[`${prefix}.${entity}.f1`] = scores.f1;
  }
  const overall = precisionRecall(totalCounts(counts.values()));
  metrics[`${prefix}.overall.precision`] = overall.precision;
  metrics[`${prefix}.overall.recall`] = overall.recall;
  metrics[`${prefix}.overall.f1`] = overall.f1;
}

/**
 * The `--fast` subset: 150 sentences at random plus up to 10 for each scored entity, so every
 * thresholded metric exists whatever the seed. Deterministic for a given seed.
 */
function fastSample(records: readonly ResearchRecord[], seed: number): ResearchRecord[] {
  const chosen = new Set(sample(records, 150, seed));
  for (const entity of RESEARCH_ENTITIES) {
    const holding = records.filter((record) => record.gold.some((span) => span.entity === entity));
    for (const record of sample(holding, 10, seed)) chosen.add(record);
  }
  return records.filter((record) => chosen.has(record));
}

/**
 * Teller's PII variant corpus through the guard as the service uses it (`redactMessage`, one
 * conversation per message): per entity, the share of raw values that vanished; near misses kept.
 */
async function runVariants(): Promise<{
  metrics: Record<string, number>;
  failures: SuiteFailure[];
  table: SuiteTable;
}> {
  const guard = createPrivacyGuard();
  const corpus = loadPiiVariants();
  const scores = await scoreVariants(corpus, (text) =>
    guard.redactMessage(`variant_${text.length}_${text}`, text),
  );
  const metrics: Record<string, number> = {};
  const rows: (string | number)[][] = [];
  let vanished = 0;
  let total = 0;
  for (const [entity, counts] of scores.recall) {
    metrics[`variants.${entity}.recall`] = counts.vanished / counts.total;
    rows.push([
      entity,
      counts.total,
      format(counts.vanished / counts.total),
      format(counts.typed / counts.total),
    ]);
    vanished += counts.vanished;
    total += counts.total;
  }
  metrics['variants.overall.recall'] = total === 0 ? 1 : vanished / total;
  metrics['variants.near_misses_redacted'] = scores.keepViolations;
  rows.push(['overall', total, format(metrics['variants.overall.recall']), '']);
  rows.push(['near misses redacted', scores.keepTotal, String(scores.keepViolations), '']);
  return {
    metrics,
    failures: scores.failures.map((failure) => ({
      ...failure,
      note: 'expected = problems, actual = redacted text',
    })),
    table: {
      title: `Teller PII variants (${corpus.length} messages of our own: spacing, separators, words, case, context)`,
      columns: ['entity', 'values', 'vanished', 'vanished with the right type'],
      rows,
    },
  };
}

/** The research files scored, in order. */
export const RESEARCH_FILES = ['synth_dataset_v2.json', 'generated_large.json'];

export const suite: EvalSuite = {
  name: 'pii',
  description:
    'PII detection precision/recall/F1 per entity vs @redactpii/node; invalid checksums never flagged',
  async run(context) {
    const variants = await runVariants();
    const research = datasetPath(context.datasetsDir, 'presidio_research_pii');
    const testcases = datasetPath(context.datasetsDir, 'presidio_recognizer_testcases');
    if (!research || !testcases) {
      return {
        metrics: variants.metrics,
        failures: variants.failures,
        tables: [variants.table],
        skipped: 'presidio_research_pii or presidio_recognizer_testcases not found under ../shared/datasets',
      };
    }
    const teller = tellerDetector();
    const baseline = redactPiiDetector();
    const metrics: Record<string, number> = { ...variants.metrics };
    const tables: SuiteTable[] = [variants.table];

    let records = RESEARCH_FILES.flatMap((file) => readResearchFile(research, file));
    if (context.fast) records = fastSample(records, context.seed);
    context.log(`research sentences: ${records.length}`);
    const ours = runResearch(records, teller, 'teller');
    const theirs = runResearch(records, baseline, 'redactpii');
    addMetrics(metrics, 'teller', ours.counts, RESEARCH_ENTITIES);
    addMetrics(metrics, 'redactpii', theirs.counts, RESEARCH_ENTITIES);
    metrics['teller.overall.f1_gain_over_redactpii'] =
      metrics['teller.overall.f1']! - metrics['redactpii.overall.f1']!;
    tables.push(
      entityTable(
        `presidio_research_pii (${records.length} sentences, overlap match, same type)`,
        RESEARCH_ENTITIES,
        ours.counts,
        theirs.counts,
      ),
    );

    const { cases, ambiguous, unsupported } = readRecognizerCases(testcases);
    const caseEntities = [...new Set(Object.values(TESTCASE_FILES))];
    const ourCases = runCases(cases, teller, 'teller');
    const theirCases = runCases(cases, baseline, 'redactpii');
    addMetrics(metrics, 'cases.teller', ourCases.counts, caseEntities);
    addMetrics(metrics, 'cases.redactpii', theirCases.counts, caseEntities);
    metrics['cases.teller.row_accuracy'] = ourCases.accuracy;
    metrics['cases.redactpii.row_accuracy'] = theirCases.accuracy;
    metrics['teller.invalid_checksum_flagged'] = ourCases.invalidFlagged;
    metrics['redactpii.invalid_checksum_flagged'] = theirCases.invalidFlagged;
    tables.push(
      entityTable(
        `presidio_recognizer_testcases (${cases.length} rows; ${ambiguous} ambiguous and ${unsupported} unsupported-entity rows left out)`,
        caseEntities,
        ourCases.counts,
        theirCases.counts,
      ),
    );

    return {
      metrics,
      failures: [...variants.failures, ...ourCases.failures, ...ours.failures],
      tables,
      provenance: {
        variants_file: 'evals/data/pii-variants.jsonl',
        research_files: RESEARCH_FILES.join(', '),
        testcases_file: 'DERIVED_parametrized_cases.tsv',
        matching: 'overlap >= 1 char, same mapped entity; unscored-label overlaps neutral',
      },
    };
  },
};
