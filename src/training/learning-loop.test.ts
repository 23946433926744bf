import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  activateModels,
  activeModelsVersion,
  modelsVersionDir,
  nextModelsVersion,
  readActivePointer,
  rollbackModels,
} from '../classifier/active-models.js';
import { loadDatasetDeclarations } from '../classifier/dataset-declarations.js';
import { readManifest, sha256Of } from '../classifier/model-manifest.js';
import { loadBuiltInExamples } from '../routing/intent-router.js';
import { createShippedIntentRouter, loadRouterClassifier } from '../routing/shipped-router.js';
import type { LabelledText } from '../routing/text-classifier.js';
import { openDatabase } from '../store/database.js';
import { sqliteBackend } from '../store/sqlite-backend.js';
import { examplesOnlyRouterStep } from '../testing/examples-only-router-step.js';
import { useTemporaryDirectories } from '../testing/temporary-directories.js';
import {
  judgeCandidate,
  judgeRouterDev,
  type RouterDevFigures,
  type ThresholdCheck,
} from './activation-gate.js';
import { exportApprovedExamples, readAgentLabelled } from './agent-labelled-data.js';
import { routedAccuracy, routerDevMetrics } from './intent-router-step.js';
import { runTrainingPipeline } from './train-pipeline.js';

/**
 * Messages as agents might label them after handoffs: paying by phone (a card topic) and slang
 * for a lost or stolen card. Written for this test in customers' styles; no dataset text.
 */
const AGENT_LABELLED: readonly LabelledText[] = [
  ...[
    'my phone wallet wont take the card',
    'cant add my debit card to google pay',
    'tap to pay not working on my phone',
    'the wallet app says my card is not eligible',
    'how do I put my card on my phone',
    'paying with my phone keeps failing in shops',
    'google pay says contact your bank',
    'can I use my card in the phone wallet',
    'the wallet on my phone removed my card',
    'adding the card to my phone asks for a code I never got',
    'phone payments stopped after I got a new handset',
    'does the card work with samsung pay',
    'setting up phone payments with your card',
    'why wont the wallet verify my card',
    'my card vanished from the phone wallet',
    'can I pay with my phone instead of the card',
  ].map((text) => ({ text, label: 'knowledge.cards' })),
  ...[
    'lost the plastic on a night out',
    'somebody nicked my purse with the card in it',
    'my wallet got pinched on the bus',
    'the card has gone walkabout',
    'cant find my debit card anywhere since yesterday',
    'dropped my card somewhere in town',
    'bag snatched card gone',
    'had my pocket picked and the card went with it',
    'left my card in a taxi and its gone',
    'my card got robbed at the festival',
    'think i left the card at the pub and now its missing',
    'card got swiped from my jacket',
    'mugged last night they took my cards',
    'misplaced my card and need it stopped',
    'no idea where my card went it has disappeared',
  ].map((text) => ({ text, label: 'report_card_lost' })),
];

const temporaryDirectory = useTemporaryDirectories('teller-loop-');

/** Proposes `examples` as an agent's labels and approves them as a second person; exports them. */
async function approvedExport(examples: readonly LabelledText[], directory: string): Promise<string> {
  const stores = sqliteBackend(openDatabase(':memory:'));
  const proposed = await stores.trainingExamples.propose(
    examples.map((example, index) => ({
      handoffId: `hnd_${index}`,
      conversationId: `conv_${index}`,
      messageId: `msg_${index}`,
      text: example.text,
      intent: example.label,
      topic: null,
      shouldHaveHandled: true,
      proposedBy: 'agent_a',
    })),
  );
  // One candidate stays unreviewed and one is rejected: neither may reach training.
  await stores.trainingExamples.propose([
    { ...proposed[0]!, messageId: 'msg_pending', text: 'left waiting for review', intent: 'greeting' },
  ]);
  await stores.trainingExamples.review(proposed.at(-1)!.id, 'rejected', 'officer_b');
  for (const example of proposed.slice(0, -1))
    await stores.trainingExamples.review(example.id, 'approved', 'officer_b');
  const exported = await exportApprovedExamples(stores.trainingExamples, join(directory, 'training'));
  expect(exported.count).toBe(examples.length - 1);
  await stores.close();
  return join(directory, 'training');
}

/** Trains one version folder under `root` with the small router step. */
function train(root: string, version: string, agentLabelledDir?: string) {
  return runTrainingPipeline(
    [examplesOnlyRouterStep],
    {
      datasetsDir: join(root, 'no-datasets'),
      declarations: loadDatasetDeclarations(),
      seed: 7,
      log: () => undefined,
      ...(agentLabelledDir && { agentLabelledDir }),
    },
    join(root, version),
    version,
  );
}

/** The figures the test's gate judges: the router on Teller's own committed examples. */
function evaluate(modelsDir: string): ThresholdCheck[] {
  const value = routedAccuracy(createShippedIntentRouter({}, modelsDir), loadBuiltInExamples());
  return [
    {
      suite: 'router',
      metric: 'examples.accuracy',
      value,
      min: 0.85,
      status: value >= 0.85 ? 'pass' : 'fail',
    },
  ];
}

/** The router figures the gate measures on the held-aside slice, beside the manifest's. */
function routerFigures(modelsDir: string, heldAside: readonly LabelledText[]): RouterDevFigures {
  return {
    measured: routerDevMetrics(loadRouterClassifier(modelsDir), { agent_labelled_dev: heldAside }),
    recorded: readManifest(join(modelsDir, 'manifest.json')).steps[0]?.metrics ?? {},
  };
}

describe('learning from agents: retraining, gate and rollback', () => {
  it('when approved agent labels are trained in then the held-aside slice improves, no threshold regresses, and rollback restores the previous model exactly', async () => {
    const root = temporaryDirectory();
    await train(root, 'v1');
    const activeDir = modelsVersionDir(activeModelsVersion(root, {}), root);
    const before = sha256Of(activeDir);

    const exportDir = await approvedExport(
      [...AGENT_LABELLED, { text: 'rejected one', label: 'greeting' }],
      root,
    );
    const { train: labelledTrain, dev: heldAside } = readAgentLabelled(exportDir);
    expect(heldAside.length).toBeGreaterThanOrEqual(3);
    expect(labelledTrain.length + heldAside.length).toBe(AGENT_LABELLED.length);
    expect(readFileSync(join(exportDir, 'approved.jsonl'), 'utf8')).not.toContain('left waiting for review');

    const candidateVersion = nextModelsVersion(root);
    expect(candidateVersion).toBe('v2');
    const manifest = await train(root, candidateVersion, exportDir);
    const candidateDir = modelsVersionDir(candidateVersion, root);
    expect(manifest.steps[0]?.inputs.map((input) => `${input.name}:${input.role}`)).toContain(
      'agent_labelled/approved.jsonl#dev:dev',
    );

    const activeOnSlice = routedAccuracy(createShippedIntentRouter({}, activeDir), heldAside);
    const candidateOnSlice = routedAccuracy(createShippedIntentRouter({}, candidateDir), heldAside);
    expect(manifest.steps[0]?.metrics['agent_labelled_dev.mapped_accuracy']).toBe(candidateOnSlice);
    expect(candidateOnSlice).toBeGreaterThan(activeOnSlice);

    const verdict = judgeCandidate(evaluate(activeDir), evaluate(candidateDir), 0.01);
    expect(verdict).toMatchObject({ activate: true, regressions: [], compared: 1 });
    // The gate's own router check: the candidate reproduces its recorded slice figure and improves.
    const routerVerdict = judgeRouterDev(
      routerFigures(activeDir, heldAside),
      routerFigures(candidateDir, heldAside),
      0.01,
    );
    expect(routerVerdict).toEqual({ regressions: [], compared: 2 });
    activateModels(candidateVersion, { root, reason: 'gate passed' });
    expect(activeModelsVersion(root, {})).toBe('v2');
    expect(readActivePointer(root).previous).toEqual(['v1']);
    expect(activeModelsVersion(root, { MODELS_VERSION: 'v1' })).toBe('v1');

    rollbackModels({ root });
    const restored = modelsVersionDir(activeModelsVersion(root, {}), root);
    expect(restored).toBe(activeDir);
    expect(sha256Of(restored)).toBe(before);
    for (const artifact of readManifest(join(restored, 'manifest.json')).artifacts) {
      expect(sha256Of(join(restored, artifact.file))).toBe(artifact.sha256);
    }
    expect(() => rollbackModels({ root })).toThrow(/nothing to roll back/);
  }, 30_000);

  it('when agents mislabel Teller’s own examples then the gate refuses the candidate and the active version stays', async () => {
    const root = temporaryDirectory();
    await train(root, 'v1');
    const poisoned = loadBuiltInExamples()
      .filter((example) => example.label === 'knowledge.fees')
      .map((example) => ({ text: example.text, label: 'greeting' }));
    await train(root, 'v2', await approvedExport(poisoned, root));
    const verdict = judgeCandidate(
      evaluate(modelsVersionDir('v1', root)),
      evaluate(modelsVersionDir('v2', root)),
      0.01,
    );
    expect(verdict.activate).toBe(false);
    expect(verdict.regressions[0]).toMatchObject({ suite: 'router', metric: 'examples.accuracy' });
    expect(activeModelsVersion(root, {})).toBe('v1');
  }, 30_000);
});
