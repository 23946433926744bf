import { describe, expect, it } from 'vitest';
import { GENERIC_DECLINE } from '../generation/clarification.js';
import { createGuardrails } from '../guardrails/create-guardrails.js';
import { createPrivacyGuard } from '../privacy/guard.js';
import { committedPolicies } from '../testing/committed-policies.js';
import { RecordingLogger } from '../testing/recording-logger.js';
import type { Draft } from '../turn/stages.js';
import type { RetrievedPassage } from '../turn/types.js';
import { outputRailsStage, unboundFindForeignPii } from './rails-stages.js';

const passage: RetrievedPassage = {
  chunkId: 'cheques#1',
  documentId: 'cheques',
  title: 'Paying in cheques',
  version: '1.0',
  section: 'Paying in',
  text: 'You can pay in a cheque in the app up to £5,000.',
  score: 1,
};

function railsFor(draft: Draft) {
  const policies = committedPolicies();
  const stage = outputRailsStage({
    guardrails: () => createGuardrails(policies, { findForeignPii: unboundFindForeignPii }),
    policies: () => policies,
    privacy: createPrivacyGuard(),
    logger: new RecordingLogger(),
  });
  return stage.check({
    conversationId: 'conv_1',
    customerText: 'Do you sponsor the local football club?',
    draft,
    route: { intent: 'unknown', confidence: 0.2, kind: 'unknown' },
    passages: [passage],
    toolOutcomes: [],
  });
}

describe('outputRailsStage', () => {
  it('when the grounded composer declines then its decline reaches the customer as written', async () => {
    const result = await railsFor({
      text: GENERIC_DECLINE,
      citations: [],
      confidence: 0,
      generator: 'grounded-composer',
      declined: true,
    });
    expect(result.blocked).toBeUndefined();
    expect(result.finalText).toBe(GENERIC_DECLINE);
  });

  it('when a model marks its own text as a decline then the text is still held to the passages', async () => {
    const result = await railsFor({
      text: 'Our gold account pays 9% interest with no fees.',
      citations: [],
      confidence: 0.9,
      generator: 'llm',
      declined: true,
    });
    expect(result.blocked?.rule).toBe('groundedness.below_minimum');
  });
});
