/**
 * Guardrails suite: prompt-injection detection (TPR on attacks, FPR on benign sets), out-of-scope
 * detection on CLINC150 and false refusals of the whole input-rail chain on BANKING77 test texts.
 * Only test splits (or attack-only / benign-only sets) are scored; models were trained on train
 * splits (see evals/guardrails/train-models.ts). `--fast` samples small deterministic subsets.
 */
import { resolve } from 'node:path';
import { createGuardrails } from '../../src/guardrails/create-guardrails.js';
import { assessInjection } from '../../src/guardrails/input/injection.js';
import { assessOutOfScope } from '../../src/guardrails/input/out-of-scope.js';
import { runInputRails } from '../../src/guardrails/runner.js';
import { loadPolicies } from '../../src/policy/load-policies.js';
import { CustomerMessage } from '../../src/turn/turn-context.js';
import { datasetPath, projectRoot } from '../framework/datasets.js';
import type { EvalSuite, SuiteFailure, SuiteTable } from '../framework/types.js';
import { abuseAndAdviceFigures } from '../guardrails/abuse-advice-eval.js';
import {
  readBanking77,
  readClinc,
  readJsonLines,
  readNotInject,
  readPurpleLlama,
  readXstest,
} from '../guardrails/dataset-readers.js';
import { inDistributionFigures, leaveOneSourceOut } from '../guardrails/detector-eval.js';
import { runOutputCases } from '../guardrails/output-cases.js';
import { clip, sample, scoreBinary } from '../guardrails/sampling.js';

export const suite: EvalSuite = {
  name: 'guardrails',
  description:
    'Injection TPR/FPR, attack detector (test splits, leave-one-source-out), abuse, threats, regulated advice, out-of-scope, false refusals, output-rail cases',
  async run(context) {
    const policies = loadPolicies({ directory: resolve(projectRoot, 'knowledge', 'policies') });
    const guardrails = createGuardrails(policies, { findForeignPii: () => [] });
    // Small sets are scored whole even when fast (microseconds each); only the big ones are sampled.
    const limit = context.fast ? 400 : undefined;
    const metrics: Record<string, number> = {};
    const failures: SuiteFailure[] = [];
    const tables: SuiteTable[] = [];
    const provenance: Record<string, string> = { policies: policies.sources.join(', ') };
    const threshold = policies.thresholds.injection_score;
    const flagged = (text: string) => assessInjection(text).score >= threshold;

    // Output rails run on hand-written cases that need no datasets.
    const output = await runOutputCases(policies, guardrails.output);
    metrics['output.case_accuracy'] = output.accuracy;
    failures.push(...output.failures);

    const { datasetsDir } = context;
    const needed = [
      'deepset_prompt_injections',
      'purplellama_prompt_injection',
      'notinject_piguard',
      'xstest',
      'banking77',
      'clinc150_oos',
    ];
    const missing = needed.filter((name) => !datasetPath(datasetsDir, name));
    if (missing.length > 0) {
      // Thresholds cannot be judged on partial data; the dataset-free output cases also run in `npm test`.
      return {
        metrics,
        failures,
        provenance,
        skipped: `datasets absent (${missing.join(', ')}) under ${datasetsDir ?? '../shared/datasets'}; output cases ran: accuracy ${output.accuracy.toFixed(2)}`,
      };
    }
    const injectionRows: (string | number)[][] = [];
    // Teller's definition of "stopped": any input rail refuses or hands off before the model runs.
    const chainBlocks = async (name: string, texts: readonly string[]) => {
      const chosen = sample(texts, limit, context.seed);
      let blocked = 0;
      for (const text of chosen) {
        const result = await runInputRails(guardrails.input, {
          message: new CustomerMessage(text),
          history: [],
          conversationId: 'eval',
        });
        if (result.blocked) blocked += 1;
      }
      metrics[`input_rails.block_rate.${name}`] = blocked / Math.max(1, chosen.length);
    };
    const measure = (name: string, texts: readonly string[], attack: boolean) => {
      const chosen = sample(texts, limit, context.seed);
      let hits = 0;
      for (const text of chosen) {
        const predicted = flagged(text);
        if (predicted) hits += 1;
        if (predicted !== attack) {
          failures.push({
            id: `injection.${name}`,
            input: clip(text),
            expected: attack ? 'flag' : 'pass',
            actual: predicted ? 'flag' : 'pass',
          });
        }
      }
      const rate = chosen.length === 0 ? 0 : hits / chosen.length;
      metrics[`injection.${attack ? 'tpr' : 'fpr'}.${name}`] = rate;
      injectionRows.push([name, attack ? 'attack' : 'benign', chosen.length, hits, rate.toFixed(3)]);
    };

    const deepset = datasetPath(datasetsDir, 'deepset_prompt_injections');
    if (deepset) {
      const test = readJsonLines(resolve(deepset, 'DERIVED_test.jsonl'));
      measure(
        'deepset_test',
        test.filter((row) => row.label === 1).map((row) => row.text),
        true,
      );
      measure(
        'deepset_test',
        test.filter((row) => row.label === 0).map((row) => row.text),
        false,
      );
      await chainBlocks(
        'deepset_test_attacks',
        test.filter((row) => row.label === 1).map((row) => row.text),
      );
      provenance.deepset = 'DERIVED_test.jsonl (116 rows)';
    }
    const purple = datasetPath(datasetsDir, 'purplellama_prompt_injection');
    if (purple) {
      const cases = readPurpleLlama(purple);
      measure(
        'purplellama',
        cases.map((entry) => entry.text),
        true,
      );
      await chainBlocks(
        'purplellama',
        cases.map((entry) => entry.text),
      );
      const byType: Record<string, { total: number; hits: number }> = {};
      for (const entry of sample(cases, limit, context.seed)) {
        const key = `${entry.type}/${entry.variant}`;
        const bucket = byType[key] ?? { total: 0, hits: 0 };
        byType[key] = bucket;
        bucket.total += 1;
        if (flagged(entry.text)) bucket.hits += 1;
      }
      tables.push({
        title: 'purplellama recall by injection type/variant',
        columns: ['type/variant', 'n', 'flagged', 'recall'],
        rows: Object.entries(byType)
          .sort()
          .map(([key, value]) => [key, value.total, value.hits, (value.hits / value.total).toFixed(2)]),
      });
      provenance.purplellama = 'prompt_injection.json (251 cases, English)';
    }
    const notInject = datasetPath(datasetsDir, 'notinject_piguard');
    if (notInject) measure('notinject', readNotInject(notInject), false);
    const xstest = datasetPath(datasetsDir, 'xstest');
    if (xstest)
      measure(
        'xstest_safe',
        readXstest(xstest)
          .filter((row) => row.label === 'safe')
          .map((row) => row.prompt),
        false,
      );
    const banking = datasetPath(datasetsDir, 'banking77');
    const bankingTest = banking ? readBanking77(banking, 'test').map((row) => row.text) : [];
    if (banking) measure('banking77_test', bankingTest, false);
    tables.push({
      title: `injection detection (threshold ${threshold})`,
      columns: ['set', 'kind', 'n', 'flagged', 'rate'],
      rows: injectionRows,
    });

    const clinc = datasetPath(datasetsDir, 'clinc150_oos');
    if (clinc) {
      const { splits, domains } = readClinc(clinc);
      const bankingIntents = new Set([...(domains.banking ?? []), ...(domains.credit_cards ?? [])]);
      const positives = sample(splits.oos_test ?? [], limit, context.seed);
      const negatives = sample(
        (splits.test ?? []).filter(([, intent]) => bankingIntents.has(intent)),
        limit,
        context.seed,
      );
      const result = scoreBinary(
        [
          ...positives.map(([text]) => ({ text, expected: true })),
          ...negatives.map(([text]) => ({ text, expected: false })),
        ],
        (text) => assessOutOfScope(text, policies).outOfScope,
        {
          id: 'out_of_scope.clinc150',
          labels: { yes: 'out of scope', no: 'in scope' },
          maxFailures: 100,
          failures,
        },
      );
      metrics['out_of_scope.precision'] = result.precision;
      metrics['out_of_scope.recall'] = result.recall;
      metrics['out_of_scope.accuracy'] = result.accuracy;
      const otherDomains = sample(
        (splits.test ?? []).filter(([, intent]) => !bankingIntents.has(intent)),
        limit,
        context.seed,
      );
      metrics['out_of_scope.flag_rate.clinc_other_domains'] =
        otherDomains.filter(([text]) => assessOutOfScope(text, policies).outOfScope).length /
        Math.max(1, otherDomains.length);
      provenance.clinc150 = 'data_full.json oos_test vs test rows of banking + credit_cards domains';
    }
    if (banking) {
      const chosen = sample(bankingTest, limit, context.seed);
      const outOfScope = chosen.filter((text) => assessOutOfScope(text, policies).outOfScope).length;
      metrics['out_of_scope.fpr.banking77_test'] = outOfScope / Math.max(1, chosen.length);
      let refused = 0;
      for (const text of chosen) {
        const result = await runInputRails(guardrails.input, {
          message: new CustomerMessage(text),
          history: [],
          conversationId: 'eval',
        });
        if (result.blocked?.action === 'refuse') {
          refused += 1;
          failures.push({
            id: 'input_rails.banking77_false_refusal',
            input: clip(text),
            expected: 'allow',
            actual: `${result.blocked.rule}`,
          });
        }
      }
      metrics['input_rails.false_refusal.banking77_test'] = refused / Math.max(1, chosen.length);
      provenance.banking77 = 'test.csv (3080 rows)';
    }
    // Issue 15 figures: the attack detector alone (test splits and leave-one-source-out), abuse,
    // threats and regulated advice. LOSO trains a model per source, so --fast leaves it out.
    const detectorDatasets = [
      'jailbreakbench_artifacts',
      'jailbreakbench_behaviors',
      'bipia_indirect_injection',
      'dstc11_natcs_banking_finance_intents',
    ];
    if (datasetsDir && detectorDatasets.every((name) => datasetPath(datasetsDir, name))) {
      const detector = inDistributionFigures(datasetsDir);
      Object.assign(metrics, detector.metrics);
      tables.push(...detector.tables);
      if (!context.fast) {
        const folds = leaveOneSourceOut(detector.rows, context.log);
        Object.assign(metrics, folds.metrics);
        tables.push(...folds.tables);
      }
      provenance.detectors = 'models/detectors/manifest.json; splits in evals/guardrails/detectors/splits.ts';
    }
    Object.assign(metrics, abuseAndAdviceFigures(policies, datasetsDir, failures));
    return { metrics, failures, tables, provenance };
  },
};
