import { describe, expect, it } from 'vitest';
import { ScriptedChatModel } from '../testing/scripted-chat-model.js';
import type { GenerationInput } from '../turn/stages.js';
import { classifyTurnKind } from '../turn/turn-kind.js';
import type { RetrievedPassage } from '../turn/types.js';
import { LlmGenerator } from './llm-generator.js';

const fees: RetrievedPassage = {
  chunkId: 'fees#0',
  documentId: 'fees',
  title: 'Fees',
  version: '1.0',
  section: 'Section',
  text: 'We charge £15 per outgoing international payment.',
  score: 1,
};

function input(passages: RetrievedPassage[]): GenerationInput {
  return {
    principal: { subject: 'c_1', roles: ['customer'], stepUp: false },
    conversationId: 'conv_1',
    requestId: 'req_1',
    text: 'can I get a safe deposit box',
    history: [],
    route: { intent: 'knowledge.accounts', confidence: 0.9, kind: 'knowledge' },
    passages,
    toolOutcomes: [],
  };
}

const reply = (content: string) => new ScriptedChatModel([{ content, toolCalls: [] }]);

describe('LlmGenerator declines', () => {
  it('when the model says it does not have the information then the draft is a decline and the turn is recorded as declined', async () => {
    const draft = await new LlmGenerator({
      model: reply(
        'I’m sorry, I do not have that information. I can connect you with a member of staff if you would like.',
      ),
    }).generate(input([fees]));
    expect(draft.declined).toBe(true);
    expect(
      classifyTurnKind({
        outcome: 'answer',
        citationCount: draft.citations.length,
        toolOutcomes: [],
        declined: draft.declined === true,
      }),
    ).toBe('declined');
  });

  it('when the model answers from a source, or says it cannot find one detail beside a cited answer, then it is not a decline', async () => {
    const answered = await new LlmGenerator({
      model: reply('We charge £15 per outgoing international payment [1].'),
    }).generate(input([fees]));
    expect(answered.declined).toBeUndefined();
    const partial = await new LlmGenerator({
      model: reply('We charge £15 per international payment [1]. I could not find the incoming fee.'),
    }).generate(input([fees]));
    expect(partial.citations).toHaveLength(1);
    expect(partial.declined).toBeUndefined();
  });
});
