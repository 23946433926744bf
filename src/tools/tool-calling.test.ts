import { describe, expect, it } from 'vitest';
import type { ChatResponse } from '../generation/chat-model.js';
import { ScriptedChatModel } from '../testing/scripted-chat-model.js';
import { createToolHarness } from '../testing/tool-harness.js';
import { runToolCallingLoop } from './tool-calling.js';

const userMessage = [{ role: 'user' as const, content: 'what did I spend at Tesco?' }];
const callTool = (name: string, args: unknown, id = 'call_1'): ChatResponse => ({
  content: '',
  toolCalls: [{ id, name, arguments: args }],
});

describe('runToolCallingLoop', () => {
  it('when the model calls a tool then the outcome is fed back and the final answer returned', async () => {
    const harness = createToolHarness();
    const model = new ScriptedChatModel([
      callTool('recent_transactions', { merchant: 'Tesco', limit: 3 }),
      (request) => ({
        content: `Answer from ${request.messages.filter((message) => message.role === 'tool').length} tool result`,
        toolCalls: [],
      }),
    ]);
    const result = await runToolCallingLoop({
      model,
      registry: harness.registry,
      context: harness.contextFor('c_123'),
      messages: userMessage,
    });
    expect(result.stoppedBecause).toBe('answered');
    expect(result.content).toBe('Answer from 1 tool result');
    expect(result.outcomes[0]!.status).toBe('ok');
    expect(model.requests[0]!.tools!.map((tool) => tool.name)).toContain('recent_transactions');
    const toolMessage = model.requests[1]!.messages.find((message) => message.role === 'tool')!;
    expect(toolMessage.toolCallId).toBe('call_1');
    expect(toolMessage.content).toContain('Tesco');
    // Neither identity nor internal ids reach the model.
    const everything = JSON.stringify(model.requests);
    expect(everything).not.toMatch(/c_123|acc_\d|card_\d|tx_\d/);
  });

  it('when the model asks for the same call again then the loop stops at once', async () => {
    const harness = createToolHarness();
    const model = new ScriptedChatModel([callTool('card_status', {})], { repeatLast: true });
    const result = await runToolCallingLoop({
      model,
      registry: harness.registry,
      context: harness.contextFor('c_123'),
      messages: userMessage,
      maxRounds: 4,
    });
    expect(result.stoppedBecause).toBe('repeated_call');
    expect(result.content).toBe('');
    expect(model.requests).toHaveLength(2);
    expect(result.outcomes).toHaveLength(1);
  });

  it('when the model keeps asking for new calls then it is stopped at the call budget, far below 16', async () => {
    const harness = createToolHarness();
    // Four different calls per response, every round: the old limits let 4 × 4 = 16 run.
    const model = new ScriptedChatModel(
      [
        (_request, index) => ({
          content: '',
          toolCalls: [1, 2, 3, 4].map((slot) => ({
            id: `call_${index}_${slot}`,
            name: 'recent_transactions',
            arguments: { limit: index * 4 + slot },
          })),
        }),
      ],
      { repeatLast: true },
    );
    const result = await runToolCallingLoop({
      model,
      registry: harness.registry,
      context: harness.contextFor('c_123'),
      messages: userMessage,
      maxRounds: 4,
    });
    expect(result.stoppedBecause).toBe('max_tool_calls');
    expect(result.outcomes.filter((outcome) => outcome.status === 'ok')).toHaveLength(6);
    expect(model.requests.length).toBeLessThanOrEqual(3);
  });

  it('when the model proposes a freeze the customer did not ask for then it is refused in code', async () => {
    const harness = createToolHarness();
    const model = new ScriptedChatModel([
      callTool('freeze_card', {}),
      { content: 'Here is your card information.', toolCalls: [] },
    ]);
    const result = await runToolCallingLoop({
      model,
      registry: harness.registry,
      context: harness.contextFor('c_123'),
      messages: userMessage,
      isRequestedByCustomer: () => false,
    });
    expect(result.outcomes[0]).toMatchObject({ tool: 'freeze_card', status: 'refused' });
    expect(
      await harness.pendingActions.latestFor(harness.contextFor('c_123').conversationId),
    ).toBeUndefined();
    expect(result.stoppedBecause).toBe('answered');
  });

  it.each([
    ['another customer account', 'account_balance', { accountLast4: '5678' }, 'not_owned'],
    ['an injected customerId', 'list_accounts', { customerId: 'c_456' }, 'identity_argument'],
    [
      'huge arguments',
      'recent_transactions',
      JSON.stringify({ merchant: 'x'.repeat(50_000) }),
      'arguments_too_large',
    ],
    ['an unknown tool', 'delete_all_accounts', {}, 'unknown_tool'],
    ['arguments that are not JSON', 'card_status', '{not json', 'invalid_arguments'],
  ])(
    'when the model sends %s then the call is refused, audited and the model told safely',
    async (_label, name, args, reason) => {
      const harness = createToolHarness();
      const model = new ScriptedChatModel([
        callTool(name, args),
        { content: 'Sorry, I cannot do that.', toolCalls: [] },
      ]);
      const result = await runToolCallingLoop({
        model,
        registry: harness.registry,
        context: harness.contextFor('c_123'),
        messages: userMessage,
      });
      expect(result.outcomes[0]!.status).toBe('refused');
      expect(harness.auditEvents).toContainEqual(expect.objectContaining({ type: 'tool.refused', reason }));
      const toolMessage = model.requests[1]!.messages.find((message) => message.role === 'tool')!;
      expect(toolMessage.content).toContain('"status":"refused"');
      expect(toolMessage.content).not.toMatch(/5678|c_456|Error/);
    },
  );

  it('when the model asks for a state change then the turn ends with a confirmation and nothing changes', async () => {
    const harness = createToolHarness();
    const model = new ScriptedChatModel([callTool('freeze_card', { card: 'debit' })]);
    const result = await runToolCallingLoop({
      model,
      registry: harness.registry,
      context: harness.contextFor('c_123'),
      messages: userMessage,
    });
    expect(result.stoppedBecause).toBe('confirmation_required');
    expect(result.outcomes[0]!.status).toBe('needs_confirmation');
    expect((await harness.bank.listCards('c_123'))[0]!.state).toBe('active');
  });

  it('when the model sends many calls in one round then only maxCallsPerRound run', async () => {
    const harness = createToolHarness();
    const many: ChatResponse = {
      content: '',
      toolCalls: Array.from({ length: 10 }, (_, index) => ({
        id: `c${index}`,
        name: 'card_status',
        arguments: {},
      })),
    };
    const model = new ScriptedChatModel([many, { content: 'done', toolCalls: [] }]);
    const result = await runToolCallingLoop({
      model,
      registry: harness.registry,
      context: harness.contextFor('c_123'),
      messages: userMessage,
      maxCallsPerRound: 3,
    });
    expect(result.outcomes.filter((outcome) => outcome.status === 'ok')).toHaveLength(3);
    expect(result.outcomes.filter((outcome) => outcome.status === 'refused')).toHaveLength(7);
    expect(harness.auditEvents.filter((event) => event.reason === 'too_many_calls')).toHaveLength(7);
  });
});
