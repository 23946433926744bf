/**
 * `npm run learning:demo [-- --per-label N] [--every-text] [--fast] [--keep] [--datasets DIR]`:
 * the learning loop end to end, as the bank would run it, on a throwaway data directory.
 *
 * 1. Teller is built as `npm start` builds it. CLINC150 train texts of banking labels with one
 *    clear Teller intent (`CLINC150_TO_INTENT`; CLINC150 train is declared `train` in
 *    models/datasets.yaml) stand in for customer messages. Agents label the cases Teller did not
 *    handle, so by default the texts are those the active router does not route to their intent
 *    (`--every-text`: all of them), at most N per label. For each, a customer writes it and asks
 *    for a person; agent `agent_demo`
 *    claims the handoff and resolves it labelling that message with the intent; officer
 *    `officer_demo` approves each candidate (the four-eyes rule refuses the proposing agent).
 *    Everything goes through the HTTP routes.
 * 2. `npm run train -- --with-approved --step intent-router` exports the approved examples and
 *    writes the next version folder (the other models carried over byte for byte).
 * 3. `npm run models -- gate vN` measures both versions and activates the candidate only if
 *    nothing regressed.
 * 4. The held-aside fifth of the labelled texts is scored with the active and the new router.
 * 5. `npm run models -- rollback`, then the served folder is checked byte for byte against the
 *    hash taken at the start.
 *
 * Unless `--keep`, the candidate folder is removed and models/active.json restored at the end, so
 * the checkout is left as it was. Exits 1 when a step fails or the target is not shown.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveDatasetsDir } from '../evals/framework/datasets.js';
import {
  ACTIVE_POINTER_FILE,
  activeModelsVersion,
  MODELS_ROOT,
  modelsVersionDir,
  nextModelsVersion,
} from '../src/classifier/active-models.js';
import { declaredFile, loadDatasetDeclarations } from '../src/classifier/dataset-declarations.js';
import { sha256Of } from '../src/classifier/model-manifest.js';
import { buildTeller } from '../src/composition/build-teller.js';
import { DEVELOPMENT_JWT_SECRET, loadConfig } from '../src/config/config.js';
import { createShippedIntentRouter } from '../src/routing/shipped-router.js';
import { signDevelopmentToken } from '../src/server/auth/token-verifier.js';
import { AGENT_LABELLED_DATASET, readAgentLabelled } from '../src/training/agent-labelled-data.js';
import { CLINC150_TO_INTENT } from '../src/training/dataset-mapping.js';
import { routedAccuracy } from '../src/training/intent-router-step.js';
import { readClinc150 } from '../src/training/public-datasets.js';
import type { Role } from '../src/turn/types.js';

const { values } = parseArgs({
  options: {
    'per-label': { type: 'string', default: '40' },
    'every-text': { type: 'boolean', default: false },
    fast: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    datasets: { type: 'string' },
  },
});
const perLabel = Number(values['per-label']);
const datasetsDir = resolveDatasetsDir(values.datasets);
if (!datasetsDir || !existsSync(join(datasetsDir, 'clinc150_oos'))) {
  console.error('CLINC150 not found: pass --datasets DIR or place the datasets at ../shared/datasets');
  process.exit(2);
}
// The texts agents label come from a split declared for training, never from a test split.
declaredFile(loadDatasetDeclarations(), 'clinc150_oos', 'data_full.json#train', 'train');

const AGENT = 'agent_demo';
const OFFICER = 'officer_demo';
const dataDir = mkdtempSync(join(tmpdir(), 'teller-learning-demo-'));
const environment = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
const pointerPath = join(MODELS_ROOT, ACTIVE_POINTER_FILE);
const pointerBefore = existsSync(pointerPath) ? readFileSync(pointerPath) : undefined;
const activeBefore = activeModelsVersion(MODELS_ROOT, {});
const activeDir = modelsVersionDir(activeBefore);
const activeHash = sha256Of(activeDir);
const candidate = nextModelsVersion();
const log = (line: string) => console.log(`learning-demo: ${line}`);
let failed = false;
const fail = (line: string) => {
  failed = true;
  log(`FAILED: ${line}`);
};

/**
 * The labelled messages: of each mapped label, the first `perLabel` CLINC150 train texts the
 * active router gets wrong (the cases that reach an agent), or simply the first `perLabel`.
 */
function agentMessages(): Array<{ readonly text: string; readonly intent: string }> {
  const counts = new Map<string, number>();
  const activeRouter = createShippedIntentRouter({}, activeDir);
  return (readClinc150(join(datasetsDir!, 'clinc150_oos')).splits.train ?? []).flatMap(([text, label]) => {
    const intent = CLINC150_TO_INTENT[label];
    const count = counts.get(label) ?? 0;
    if (!intent || count >= perLabel) return [];
    if (!values['every-text'] && activeRouter.route(text).intent === intent) return [];
    counts.set(label, count + 1);
    return [{ text, intent }];
  });
}

/** Step 1: customers, agents and an officer through the routes of Teller as `npm start` builds it. */
async function seedThroughTheApi(
  messages: ReadonlyArray<{ readonly text: string; readonly intent: string }>,
) {
  // One agent and one officer work every case here, far past the per-person request budget a
  // live service keeps (30 a minute): the budget is raised for this throwaway instance only.
  const teller = await buildTeller(
    loadConfig({ ...environment, LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '1000000' }),
  );
  const tokens = new Map<string, string>();
  const token = async (subject: string, role: Role) => {
    const key = `${role}:${subject}`;
    const cached = tokens.get(key);
    if (cached) return cached;
    const signed = await signDevelopmentToken(DEVELOPMENT_JWT_SECRET, {
      subject,
      roles: [role],
      expiresIn: '8h',
    });
    tokens.set(key, signed);
    return signed;
  };
  const call = async (method: string, path: string, bearer: string, body?: unknown) => {
    const response = await teller.app.request(path, {
      method,
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (response.status >= 300)
      throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  try {
    const agent = await token(AGENT, 'agent');
    const officer = await token(OFFICER, 'compliance');
    let approved = 0;
    for (const [index, message] of messages.entries()) {
      // One customer per case: each asks once, as separate customers would.
      const customer = await token(`demo_customer_${index}`, 'customer');
      const conversation = (await call('POST', '/v1/conversations', customer)).id as string;
      await call('POST', `/v1/conversations/${conversation}/messages`, customer, { text: message.text });
      await call('POST', `/v1/conversations/${conversation}/messages`, customer, {
        text: 'I want to speak to a person',
      });
      const stored = (await call('GET', `/v1/conversations/${conversation}`, customer)).messages as Array<{
        id: string;
        author: string;
      }>;
      const asked = stored.find((entry) => entry.author === 'customer');
      const queue = (await call('GET', '/v1/agent/handoffs?status=open&limit=50', agent)).handoffs as Array<{
        id: string;
        conversationId: string;
      }>;
      const handoff = queue.find((entry) => entry.conversationId === conversation);
      if (!asked || !handoff) throw new Error(`case ${index}: no handoff was opened`);
      await call('POST', `/v1/agent/handoffs/${handoff.id}/claim`, agent);
      const resolved = await call('POST', `/v1/agent/handoffs/${handoff.id}/resolve`, agent, {
        intent: message.intent,
        shouldHaveHandled: true,
        messageIds: [asked.id],
      });
      for (const id of resolved.trainingExamples as string[]) {
        if (index === 0) {
          const refused = await teller.app.request(`/v1/admin/training-examples/${id}/approve`, {
            method: 'POST',
            headers: { authorization: `Bearer ${await token(AGENT, 'compliance')}` },
          });
          log(`four eyes: the proposing agent approving its own example → ${refused.status}`);
          if (refused.status < 400) fail('the proposing agent approved its own example');
        }
        await call('POST', `/v1/admin/training-examples/${id}/approve`, officer);
        approved += 1;
      }
      if ((index + 1) % 100 === 0) log(`${index + 1}/${messages.length} cases labelled and approved`);
    }
    return approved;
  } finally {
    await teller.close();
  }
}

/** Runs an npm script on the demo's data directory, echoing its output; answers its exit code. */
function npm(args: readonly string[]): number {
  log(`$ DATA_DIR=${dataDir} npm run ${args.join(' ')}`);
  const result = spawnSync('npm', ['run', '-s', ...args], { env: environment, stdio: 'inherit' });
  return result.status ?? 1;
}

try {
  const messages = agentMessages();
  log(
    `${messages.length} CLINC150 train texts (${values['every-text'] ? '' : `${activeBefore} misroutes them; `}at most ${perLabel} per label, ${Object.keys(CLINC150_TO_INTENT).length} labels); data in ${dataDir}`,
  );
  const approved = await seedThroughTheApi(messages);
  log(`${approved} examples proposed by ${AGENT} and approved by ${OFFICER}`);

  if (
    npm([
      'train',
      '--',
      '--with-approved',
      '--step',
      'intent-router',
      ...(values.datasets ? ['--datasets', values.datasets] : []),
    ]) !== 0
  )
    throw new Error('training failed');
  const candidateDir = modelsVersionDir(candidate);
  const { train, dev: heldAside } = readAgentLabelled(join(dataDir, 'training'));
  const before = routedAccuracy(createShippedIntentRouter({}, activeDir), heldAside);
  const after = routedAccuracy(createShippedIntentRouter({}, candidateDir), heldAside);
  log(
    `${AGENT_LABELLED_DATASET}: ${train.length} trained on, ${heldAside.length} held aside; held-aside accuracy ${activeBefore} ${before.toFixed(4)} → ${candidate} ${after.toFixed(4)}`,
  );
  if (!(after > before)) fail('the held-aside slice did not improve');

  const gate = npm([
    'models',
    '--',
    'gate',
    candidate,
    ...(values.fast ? ['--fast'] : []),
    ...(values.datasets ? ['--datasets', values.datasets] : []),
  ]);
  if (gate !== 0) fail(`the gate refused ${candidate}`);
  else if (activeModelsVersion(MODELS_ROOT, {}) !== candidate)
    fail(`${candidate} is not active after the gate`);
  npm(['models', '--', 'status']);

  if (gate === 0) {
    if (npm(['models', '--', 'rollback']) !== 0) fail('rollback failed');
    const restored = activeModelsVersion(MODELS_ROOT, {});
    const restoredHash = sha256Of(modelsVersionDir(restored));
    log(
      `after rollback: active ${restored}, folder sha256 ${restoredHash} (before: ${activeBefore}, ${activeHash})`,
    );
    if (restored !== activeBefore || restoredHash !== activeHash)
      fail('rollback did not restore the previous models exactly');
  }
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
} finally {
  if (!values.keep) {
    // Leave the checkout as it was: the candidate folder goes, the pointer's bytes come back.
    rmSync(join(MODELS_ROOT, candidate), { recursive: true, force: true });
    if (pointerBefore) writeFileSync(pointerPath, pointerBefore);
    else rmSync(pointerPath, { force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}
log(
  failed
    ? 'target NOT shown'
    : 'target shown: held-aside slice improved, the gate passed, rollback restored the models exactly',
);
process.exitCode = failed ? 1 : 0;
