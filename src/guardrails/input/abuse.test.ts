import { describe, expect, it } from 'vitest';
import { guardrailTrigger } from '../../handoff/triggers.js';
import { committedPolicies } from '../../testing/committed-policies.js';
import { ScriptedClassifier } from '../../testing/scripted-classifier.js';
import { CustomerMessage } from '../../turn/turn-context.js';
import type { GuardrailVerdict } from '../../turn/types.js';
import { RailRun } from '../rail-run.js';
import type { InputGuardrail } from '../types.js';
import { ABUSE_HANDOFF_RULE, ABUSE_WARNING_RULE, abuseRail, SELF_HARM_RULE, THREAT_RULE } from './abuse.js';

const policies = committedPolicies();
const { severity } = policies.abuse;
const run = (rail: InputGuardrail, text: string): GuardrailVerdict =>
  rail.execute(
    { message: new CustomerMessage(text), history: [], conversationId: 'c' },
    new RailRun(),
  ) as GuardrailVerdict;

// The abuse model's score is set by the test, so each severity band is reached on purpose.
const scriptedAbuse = (score: number) => ({
  classifier: new ScriptedClassifier([{ when: /bot/, score }]),
  threshold: severity.warnAt,
});
const silentThreat = { classifier: new ScriptedClassifier([]), threshold: 0.5 };

describe('abuse rail', () => {
  it('when a customer threatens to stab the assistant then it is an urgent threat handoff with support text, not an insult refusal', () => {
    const verdict = run(abuseRail(policies), 'I wanna stab you to death');
    expect(verdict.action).toBe('handoff');
    expect(verdict.rule).toBe(THREAT_RULE);
    expect(verdict.customerMessage).toMatch(/999/);
    expect(guardrailTrigger({ verdicts: [verdict] } as never, {} as never)?.priority).toBe('urgent');
  });

  it('when only the threat model sees a threat then the rail still hands off', () => {
    const threat = { classifier: new ScriptedClassifier([{ when: /parking/, score: 0.9 }]), threshold: 0.5 };
    const verdict = run(
      abuseRail(policies, { threatDetector: threat, abuseDetector: scriptedAbuse(0) }),
      // No policy pattern or grammar rule reads this one; "blood" is its violence cue.
      'see you in the parking lot after your shift, there will be blood',
    );
    expect(verdict.rule).toBe(THREAT_RULE);
    expect(verdict.reason).toMatch(/threat model/);
  });

  it('when the threat model scores high but the message speaks of no violence then there is no threat handoff', () => {
    const threat = {
      classifier: new ScriptedClassifier([{ when: /Budapest|parking/, score: 0.99 }]),
      threshold: 0.5,
    };
    const rail = abuseRail(policies, { threatDetector: threat, abuseDetector: scriptedAbuse(0) });
    expect(run(rail, 'to Budapest').rule).toBeUndefined();
    expect(run(rail, 'see you in the parking lot after your shift').rule).toBeUndefined();
  });

  it('when a message threatens others as well as the customer then it is handed off as a threat', () => {
    const verdict = run(
      abuseRail(policies, { abuseDetector: scriptedAbuse(0) }),
      "I'm going to kill myself and take your manager with me",
    );
    expect(verdict.rule).toBe(THREAT_RULE);
    expect(verdict.action).toBe('handoff');
    // The threat text also gives the Samaritans' number, so the customer's own distress is answered.
    expect(verdict.customerMessage).toMatch(/Samaritans/);
  });

  it('when the threat model scores a figure of speech high then there is no threat handoff', () => {
    const threat = {
      classifier: new ScriptedClassifier([{ when: /killing|gunpoint/, score: 0.99 }]),
      threshold: 0.5,
    };
    const rail = abuseRail(policies, { threatDetector: threat, abuseDetector: scriptedAbuse(0) });
    expect(run(rail, 'the fraud is killing me').rule).toBeUndefined();
    expect(run(rail, 'my card was stolen at gunpoint, please block it').rule).toBeUndefined();
  });

  it('when a distressed customer also swears then self-harm wins over any refusal', () => {
    const verdict = run(abuseRail(policies), 'you useless bot, I want to end my life');
    expect(verdict.rule).toBe(SELF_HARM_RULE);
    expect(verdict.action).toBe('handoff');
  });

  it.each([
    [severity.warnAt, 'allow', ABUSE_WARNING_RULE],
    [severity.endTurnAt + 0.01, 'refuse', 'abuse.insult'],
    [severity.handoffAt, 'handoff', ABUSE_HANDOFF_RULE],
  ] as const)(
    'when the abuse score is %s then the action is %s (%s), as the policy bands say',
    (score, action, rule) => {
      const verdict = run(
        abuseRail(policies, { abuseDetector: scriptedAbuse(score), threatDetector: silentThreat }),
        'silly bot',
      );
      expect(verdict.tripped).toBe(true);
      expect(verdict.action).toBe(action);
      expect(verdict.rule).toBe(rule);
      expect(verdict.customerMessage).toBeTruthy();
    },
  );

  it('when the abuse score is under the warning band then the message passes', () => {
    const verdict = run(
      abuseRail(policies, {
        abuseDetector: scriptedAbuse(severity.warnAt - 0.01),
        threatDetector: silentThreat,
      }),
      'silly bot',
    );
    expect(verdict.tripped).toBe(false);
  });

  it.each([
    'this fee is killing me',
    "I'll kill the direct debit myself if you won't",
    'someone stabbed my friend and stole his card, can you help him?',
    'How do I report a threat I received by text?',
  ])('when %j is said then it is not a threat', (text) => {
    expect(run(abuseRail(policies), text).rule).not.toBe(THREAT_RULE);
  });
});
