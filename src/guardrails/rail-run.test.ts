import { describe, expect, it } from 'vitest';
import { committedPolicies } from '../testing/committed-policies.js';
import { ScriptedClassifier } from '../testing/scripted-classifier.js';
import { CustomerMessage } from '../turn/turn-context.js';
import { injectionRail } from './input/injection.js';
import { RailRun, runSlot } from './rail-run.js';
import { runInputRails, runOutputRails } from './runner.js';
import { allow, type InputGuardrail, type OutputGuardrail } from './types.js';

const COUNTED = runSlot<{ readonly computed: number }>('test.counted');

describe('RailRun', () => {
  it('when two rails of one run ask for a slot then it is computed once, and a new run computes it again', () => {
    let computations = 0;
    const compute = () => ({ computed: ++computations });
    const run = new RailRun();
    expect(run.shared(COUNTED, compute)).toBe(run.shared(COUNTED, compute));
    expect(new RailRun().shared(COUNTED, compute)).toEqual({ computed: 2 });
    expect(computations).toBe(2);
  });
});

describe('runners hand every rail of a run the same RailRun', () => {
  it('when input rails run twice then rails share within a run and never across runs', async () => {
    const runs: RailRun[] = [];
    const recording = (name: string, cost: number): InputGuardrail => ({
      name,
      stage: 'input',
      cost,
      execute(_input, run) {
        runs.push(run);
        return allow(name);
      },
    });
    const rails = [recording('first', 1), recording('second', 2)];
    const input = { message: new CustomerMessage('hello'), history: [], conversationId: 'c_1' };
    await runInputRails(rails, input);
    await runInputRails(rails, input);
    expect(runs).toHaveLength(4);
    expect(runs[1]).toBe(runs[0]);
    expect(runs[3]).toBe(runs[2]);
    expect(runs[2]).not.toBe(runs[0]);
  });

  it('when an output rail rewrites the draft then the next rail still gets the same run', async () => {
    const runs: RailRun[] = [];
    const rewriting: OutputGuardrail = {
      name: 'rewriting',
      stage: 'output',
      cost: 1,
      execute(input, run) {
        runs.push(run);
        return {
          guardrail: 'rewriting',
          tripped: true,
          action: 'rewrite',
          rewrittenText: `${input.answerText}!`,
        };
      },
    };
    const reading: OutputGuardrail = {
      name: 'reading',
      stage: 'output',
      cost: 2,
      execute(_input, run) {
        runs.push(run);
        return allow('reading');
      },
    };
    const draft = { answerText: 'Draft.', citations: [], passages: [], toolOutcomes: [], customerText: 'q' };
    const result = await runOutputRails([reading, rewriting], draft);
    expect(result.finalText).toBe('Draft.!');
    expect(runs[1]).toBe(runs[0]);
  });

  it('when both injection rails judge one message then the model scores it once per run', async () => {
    const policies = committedPolicies();
    const message = new CustomerMessage('what is the fee for a payment abroad');
    const input = { message, history: [], conversationId: 'c_1' };
    const shared = new ScriptedClassifier([], 0.05);
    await runInputRails(
      [
        injectionRail(policies, { classifier: shared, verdicts: 'grammar' }),
        injectionRail(policies, { classifier: shared, verdicts: 'statistical' }),
      ],
      input,
    );
    const alone = new ScriptedClassifier([], 0.05);
    await runInputRails([injectionRail(policies, { classifier: alone, verdicts: 'grammar' })], input);
    expect(alone.seen.length).toBeGreaterThan(0);
    expect(shared.seen).toEqual(alone.seen);
  });
});
