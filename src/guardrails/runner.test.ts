import { describe, expect, it, vi } from 'vitest';
import { CustomerMessage } from '../turn/turn-context.js';
import { runInputRails, runOutputRails } from './runner.js';
import { allow, GuardrailExecutionError, type InputGuardrail, type OutputGuardrail } from './types.js';

const input = { message: new CustomerMessage('hello'), history: [], conversationId: 'c_1' };
const outputInput = {
  answerText: 'Draft.',
  citations: [],
  passages: [],
  toolOutcomes: [],
  customerText: 'q',
};

function inputRail(name: string, cost: number, execute: InputGuardrail['execute']): InputGuardrail {
  return { name, stage: 'input', cost, execute };
}

describe('runInputRails', () => {
  it('when rails pass then runs all of them cheapest first', async () => {
    const order: string[] = [];
    const rails = [
      inputRail('expensive', 5, () => {
        order.push('expensive');
        return allow('expensive');
      }),
      inputRail('cheap', 1, () => {
        order.push('cheap');
        return allow('cheap');
      }),
    ];
    const result = await runInputRails(rails, input);
    expect(order).toEqual(['cheap', 'expensive']);
    expect(result.blocked).toBeUndefined();
    expect(result.verdicts).toHaveLength(2);
  });

  it('when a rail refuses then later rails do not run', async () => {
    const later = vi.fn(() => allow('later'));
    const rails = [
      inputRail('refuser', 1, () => ({
        guardrail: 'refuser',
        tripped: true,
        action: 'refuse',
        rule: 'r',
        customerMessage: 'no',
      })),
      inputRail('later', 2, later),
    ];
    const result = await runInputRails(rails, input);
    expect(result.blocked?.guardrail).toBe('refuser');
    expect(later).not.toHaveBeenCalled();
  });

  it('when a rail throws then it fails closed with a handoff verdict and reports the error', async () => {
    const onError = vi.fn();
    const after = vi.fn(() => allow('after'));
    const rails = [
      inputRail('crashing', 1, () => {
        throw new Error('model file missing');
      }),
      inputRail('after', 2, after),
    ];
    const result = await runInputRails(rails, input, { onError });
    expect(result.blocked).toMatchObject({
      guardrail: 'crashing',
      tripped: true,
      action: 'handoff',
      rule: 'guardrail_execution_error',
    });
    expect(result.blocked?.customerMessage).toBeTruthy();
    expect(result.errors[0]).toBeInstanceOf(GuardrailExecutionError);
    expect(result.errors[0]?.cause).toEqual(new Error('model file missing'));
    expect(onError).toHaveBeenCalledOnce();
    expect(after).not.toHaveBeenCalled();
  });

  it('when an async rail rejects then the configured fail-closed action is used', async () => {
    const rails = [inputRail('rejecting', 1, async () => Promise.reject(new Error('timeout')))];
    const result = await runInputRails(rails, input, {
      failClosedAction: 'refuse',
      failClosedMessage: 'Safe text.',
    });
    expect(result.blocked).toMatchObject({ action: 'refuse', customerMessage: 'Safe text.' });
  });
});

describe('runOutputRails', () => {
  it('when rails rewrite then each sees the previous rewrite', async () => {
    const seen: string[] = [];
    const rail = (name: string, cost: number, suffix: string): OutputGuardrail => ({
      name,
      stage: 'output',
      cost,
      execute: ({ answerText }) => {
        seen.push(answerText);
        return { guardrail: name, tripped: true, action: 'rewrite', rewrittenText: `${answerText}${suffix}` };
      },
    });
    const result = await runOutputRails([rail('second', 2, ' B'), rail('first', 1, ' A')], outputInput);
    expect(seen).toEqual(['Draft.', 'Draft. A']);
    expect(result.finalText).toBe('Draft. A B');
  });

  it('when an output rail crashes then the draft is never returned', async () => {
    const crashing: OutputGuardrail = {
      name: 'pii',
      stage: 'output',
      cost: 1,
      execute: () => {
        throw new TypeError('cannot read properties of undefined');
      },
    };
    const result = await runOutputRails([crashing], outputInput);
    expect(result.blocked?.rule).toBe('guardrail_execution_error');
    expect(result.finalText).not.toContain('Draft.');
  });
});
