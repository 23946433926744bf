/**
 * `npm run models -- status | gate vN [suite ...] [--fast] [--tolerance X] | rollback`: which models
 * version Teller serves, the activation gate for a candidate built by
 * `npm run train -- --with-approved`, and rollback. The service reads the pointer at start-up:
 * restart it after an activation or a rollback. See README "Learning loop".
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runActivationGate } from '../evals/framework/model-gate.js';
import {
  activateModels,
  listModelsVersions,
  modelsVersionDir,
  readActivePointer,
  rollbackModels,
} from '../src/classifier/active-models.js';
import { readManifest } from '../src/classifier/model-manifest.js';
import { openServiceState } from '../src/composition/state-backend.js';
import { loadConfig } from '../src/config/config.js';
import { createJsonLogger } from '../src/observability/logger.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    fast: { type: 'boolean', default: false },
    tolerance: { type: 'string', default: '0.005' },
    datasets: { type: 'string' },
    seed: { type: 'string', default: '7' },
    actor: { type: 'string', default: process.env.USER ?? 'operator' },
  },
});
const [command, ...rest] = positionals;

/** Records an activation or rollback in the service's audit log. */
async function audit(action: string, details: Record<string, unknown>): Promise<void> {
  const config = loadConfig(process.env);
  const { state } = await openServiceState(config, () => new Date(), createJsonLogger('warn'));
  try {
    await state.stores.audit.record({ actor: values.actor, action, subject: 'models', details });
  } finally {
    await state.close();
  }
}

if (command === 'status') {
  const pointer = readActivePointer();
  console.log(
    `active: ${pointer.version}${pointer.reason ? ` (${pointer.reason}, ${pointer.activatedAt})` : ''}`,
  );
  console.log(`rollback to: ${pointer.previous.at(-1) ?? 'none'}`);
  for (const version of listModelsVersions()) {
    const manifest = readManifest(`${modelsVersionDir(version)}/manifest.json`);
    const router = manifest.steps.find((step) => step.name === 'intent-router');
    console.log(`${version}: ${JSON.stringify(router?.metrics ?? {})}`);
  }
} else if (command === 'gate' && rest[0]) {
  const config = loadConfig(process.env);
  const run = runActivationGate({
    candidate: rest[0],
    suites: rest.slice(1),
    fast: values.fast,
    tolerance: Number(values.tolerance),
    seed: Number(values.seed),
    ...(values.datasets && { datasets: values.datasets }),
    // Where `npm run train -- --with-approved` exported the examples the candidate learnt from.
    agentLabelledDir: join(config.paths.dataDir, 'training'),
    log: (line) => console.log(line),
  });
  for (const regression of run.verdict.regressions) {
    console.log(
      `regression ${regression.suite}.${regression.metric}: ${regression.active} → ${regression.candidate} (${regression.why})`,
    );
  }
  const details = {
    from: run.active,
    to: run.candidate,
    suites: run.suites,
    compared: run.verdict.compared,
    regressions: run.verdict.regressions.length,
    routerDev: { active: run.routerDev.active.measured, candidate: run.routerDev.candidate.measured },
  };
  if (run.verdict.activate) {
    activateModels(run.candidate, {
      reason: `gate passed: ${run.verdict.compared} thresholded figures compared`,
    });
    await audit('models.activated', details);
    console.log(`activated ${run.candidate} (was ${run.active}); restart the service to serve it`);
  } else {
    await audit('models.refused', details);
    console.log(
      `${run.candidate} not activated: ${run.verdict.regressions.length} regression(s); ${run.active} stays`,
    );
    process.exitCode = 1;
  }
} else if (command === 'rollback') {
  const before = readActivePointer().version;
  const pointer = rollbackModels();
  await audit('models.rolled_back', { from: before, to: pointer.version });
  console.log(`rolled back from ${before} to ${pointer.version}; restart the service to serve it`);
} else {
  console.error(
    'Usage: npm run models -- status | gate vN [suite ...] [--fast] [--tolerance 0.005] | rollback',
  );
  process.exitCode = 2;
}
