import { describe, expect, it } from 'vitest';
import { committedPolicies } from '../testing/committed-policies.js';
import { ScriptedClassifier } from '../testing/scripted-classifier.js';
import { scopeRefusalRates } from './scope-dev-figures.js';

// A model sure that every message is out of scope, so only the policy's rules can keep one in.
const alwaysOutOfScope = new ScriptedClassifier([], 1);

describe('scopeRefusalRates', () => {
  it('when the model refuses everything then banking vocabulary and short turns still keep messages in scope', () => {
    const [row] = scopeRefusalRates(
      [
        {
          name: 'mixed',
          texts: [
            'how do birds fly so far',
            'I want to check my balance',
            'thanks',
            'we just moved and need to update our address',
          ],
          expectRefusal: false,
        },
      ],
      committedPolicies(),
      alwaysOutOfScope,
    );
    expect(row?.refused).toBe(0.25);
    expect(row?.wrong).toHaveLength(1);
    expect(row?.wrong[0]).toMatch(/scope\.classifier \| how do birds fly so far$/);
  });
});
