/**
 * Handoff suite: (1) Teller's conversation suite (evals/handoff/conversations.yaml) replayed through
 * the input rails and `decideHandoff`; (2) precision/recall of the emotional-handoff trigger on the
 * GoEmotions test split (anger, annoyance, disappointment, sadness, fear, grief vs neutral-only);
 * (3) how often the emotion trigger fires on calm BANKING77 test messages.
 */
import { resolve } from 'node:path';
import { createGuardrails } from '../../src/guardrails/create-guardrails.js';
import { emotionTrigger } from '../../src/handoff/triggers.js';
import { loadPolicies } from '../../src/policy/load-policies.js';
import { readGoEmotionsSplit } from '../../src/training/public-datasets.js';
import { CustomerMessage } from '../../src/turn/turn-context.js';
import { datasetPath, projectRoot } from '../framework/datasets.js';
import type { EvalSuite, SuiteFailure, SuiteTable } from '../framework/types.js';
import { NEGATIVE_EMOTION_LABELS, readBanking77 } from '../guardrails/dataset-readers.js';
import { binaryMetrics, sample, scoreBinary } from '../guardrails/sampling.js';
import { loadConversations, replayConversation, type TurnOutcome } from '../handoff/conversations.js';

export const suite: EvalSuite = {
  name: 'handoff',
  description:
    'Conversation suite outcomes, emotional-handoff precision/recall on GoEmotions, false emotion triggers on banking messages',
  async run(context) {
    const policies = loadPolicies({ directory: resolve(projectRoot, 'knowledge', 'policies') });
    const guardrails = createGuardrails(policies, { findForeignPii: () => [] });
    const metrics: Record<string, number> = {};
    const failures: SuiteFailure[] = [];
    const tables: SuiteTable[] = [];

    const conversations = loadConversations();
    const turns: TurnOutcome[] = [];
    for (const conversation of conversations)
      turns.push(...(await replayConversation(conversation, guardrails, policies)));
    const conversationsPassed = conversations.filter((conversation) =>
      turns.filter((turn) => turn.conversationId === conversation.id).every((turn) => turn.passed),
    ).length;
    metrics['conversations.turn_accuracy'] = turns.filter((turn) => turn.passed).length / turns.length;
    metrics['conversations.conversation_accuracy'] = conversationsPassed / conversations.length;
    const handoffs = binaryMetrics(
      turns.map((turn) => ({
        expected: turn.expected.outcome === 'handoff',
        predicted: turn.outcome === 'handoff',
      })),
    );
    metrics['conversations.handoff_precision'] = handoffs.precision;
    metrics['conversations.handoff_recall'] = handoffs.recall;
    const withReason = turns.filter((turn) => turn.expected.reason && turn.outcome === 'handoff');
    metrics['conversations.reason_accuracy'] =
      withReason.filter((turn) => turn.handoff?.reason === turn.expected.reason).length /
      Math.max(1, withReason.length);
    for (const turn of turns.filter((candidate) => !candidate.passed)) {
      failures.push({
        id: `conversation.${turn.conversationId}#${turn.turn}`,
        input: turn.customer,
        expected: turn.expected,
        actual: {
          outcome: turn.outcome,
          rule: turn.rule,
          reason: turn.handoff?.reason,
          priority: turn.handoff?.priority,
        },
      });
    }
    const byOutcome = ['answer', 'refuse', 'handoff'].map((outcome) => {
      const group = turns.filter((turn) => turn.expected.outcome === outcome);
      return [outcome, group.length, group.filter((turn) => turn.passed).length];
    });
    tables.push({
      title: `conversation suite: ${conversations.length} conversations, ${turns.length} turns`,
      columns: ['expected outcome', 'turns', 'passed'],
      rows: byOutcome,
    });

    const provenance: Record<string, string> = {
      policies: policies.sources.join(', '),
      conversations: `evals/handoff/conversations.yaml (${conversations.length})`,
    };
    const missing = ['goemotions', 'banking77'].filter((name) => !datasetPath(context.datasetsDir, name));
    if (missing.length > 0) {
      return {
        metrics,
        failures,
        tables,
        provenance,
        skipped: `datasets absent (${missing.join(', ')}); conversation suite ran: turn accuracy ${metrics['conversations.turn_accuracy']?.toFixed(2)}`,
      };
    }
    const goemotions = datasetPath(context.datasetsDir, 'goemotions');
    if (goemotions) {
      const rows = readGoEmotionsSplit(goemotions, 'test')
        .map((row) => ({
          text: row.text,
          upset: row.labels.some((label) => NEGATIVE_EMOTION_LABELS.has(label)),
          neutral: row.labels.length === 1 && row.labels[0] === 'neutral',
        }))
        .filter((row) => row.upset || row.neutral);
      const chosen = sample(rows, context.fast ? 300 : undefined, context.seed);
      const result = scoreBinary(
        chosen.map((row) => ({ text: row.text, expected: row.upset })),
        (text) =>
          emotionTrigger({ message: new CustomerMessage(text), history: [] }, { policies }) !== undefined,
        {
          id: 'emotion.goemotions',
          labels: { yes: 'upset', no: 'neutral' },
          maxFailures: 60,
          failures,
        },
      );
      metrics['emotion.precision.goemotions_test'] = result.precision;
      metrics['emotion.recall.goemotions_test'] = result.recall;
      metrics['emotion.f1.goemotions_test'] =
        result.precision + result.recall === 0
          ? 0
          : (2 * result.precision * result.recall) / (result.precision + result.recall);
      provenance.goemotions = `test.tsv (${chosen.length} rows: negative-emotion vs neutral-only)`;
    }
    const banking = datasetPath(context.datasetsDir, 'banking77');
    if (banking) {
      const chosen = sample(
        readBanking77(banking, 'test').map((row) => row.text),
        context.fast ? 300 : undefined,
        context.seed,
      );
      const fired = chosen.filter(
        (text) =>
          emotionTrigger({ message: new CustomerMessage(text), history: [] }, { policies }) !== undefined,
      ).length;
      metrics['emotion.flag_rate.banking77_test'] = fired / Math.max(1, chosen.length);
    }
    return { metrics, failures, tables, provenance };
  },
};
