/**
 * `npx tsx scripts/scope-dev.ts [--model FILE] [--policies DIR] [--threshold N] [--show SET ...] [--datasets DIR]`:
 * the out-of-scope rail's refusal rate on each dev set (src/training/scope-dev-figures.ts), with the
 * committed policies and model unless a candidate model file or threshold is given.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createLinearClassifier, linearModelSchema } from '../src/classifier/linear-classifier.js';
import { defaultOutOfScopeClassifier } from '../src/guardrails/input/out-of-scope.js';
import { loadPolicies } from '../src/policy/load-policies.js';
import { scopeDevSets, scopeRefusalRates } from '../src/training/scope-dev-figures.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    threshold: { type: 'string' },
    show: { type: 'string', multiple: true },
    datasets: { type: 'string', default: '../shared/datasets' },
    policies: { type: 'string', default: 'knowledge/policies' },
  },
});
const committed = loadPolicies({ directory: resolve(values.policies) });
const policies =
  values.threshold === undefined
    ? committed
    : { ...committed, thresholds: { ...committed.thresholds, out_of_scope_score: Number(values.threshold) } };
const classifier = values.model
  ? createLinearClassifier(linearModelSchema.parse(JSON.parse(readFileSync(values.model, 'utf8'))))
  : defaultOutOfScopeClassifier();
console.log(`threshold ${policies.thresholds.out_of_scope_score}`);
for (const row of scopeRefusalRates(scopeDevSets(resolve(values.datasets)), policies, classifier)) {
  console.log(`${row.name.padEnd(32)} n=${String(row.count).padStart(5)}  refused ${row.refused.toFixed(3)}`);
  if (values.show?.includes(row.name)) for (const line of row.wrong) console.log(`    ${line}`);
}
