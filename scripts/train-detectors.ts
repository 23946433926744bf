/**
 * `npm run train:detectors [-- --datasets DIR]`: trains the attack, abuse and threat detectors on
 * the shared public datasets and writes them with their manifest to models/detectors/. The work is
 * in evals/guardrails/detectors/build-detectors.ts; see docs/attacks.md.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot, resolveDatasetsDir } from '../evals/framework/datasets.js';
import { buildDetectors } from '../evals/guardrails/detectors/build-detectors.js';

const { values } = parseArgs({ options: { datasets: { type: 'string' } } });
const datasetsDir = resolveDatasetsDir(values.datasets);
if (!datasetsDir) {
  console.error('Datasets not found: pass --datasets DIR or place them at ../shared/datasets');
  process.exit(2);
}
const { models, manifest } = buildDetectors(datasetsDir);
const outDir = resolve(projectRoot, 'models', 'detectors');
mkdirSync(outDir, { recursive: true });
const hashes: Record<string, string> = {};
for (const [name, model] of Object.entries(models)) {
  const text = `${JSON.stringify(model)}\n`;
  writeFileSync(resolve(outDir, `${name}.json`), text);
  hashes[`${name}.json`] = createHash('sha256').update(text).digest('hex');
  console.log(`wrote models/detectors/${name}.json (${text.length} bytes)`);
}
writeFileSync(
  resolve(outDir, 'manifest.json'),
  `${JSON.stringify({ ...manifest, artifacts: hashes }, null, 2)}\n`,
);
console.log('wrote models/detectors/manifest.json');
