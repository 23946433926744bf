import { describe, expect, it } from 'vitest';
import type { AnalyzerResult } from './analyzer.js';
import { anonymize, maskValue, vaultTokens } from './anonymizer.js';
import { InMemoryConversationVault } from './vault.js';

const text = 'card 4111 1111 1111 1111 and PIN 4821';
const results: AnalyzerResult[] = [
  { entity: 'CREDIT_CARD', start: 5, end: 24, score: 1, recognizer: 'test', explanation: 'test' },
  { entity: 'PIN', start: 33, end: 37, score: 0.85, recognizer: 'test', explanation: 'test' },
];

describe('anonymize', () => {
  it('when operators differ per entity then each entity gets its own, others the DEFAULT', () => {
    const output = anonymize(text, results, { operators: { DEFAULT: 'redact', CREDIT_CARD: 'mask' } });
    expect(output.text).toBe('card **** **** **** 1111 and PIN <PIN>');
    expect(output.items.map((item) => item.operator)).toEqual(['mask', 'redact']);
  });

  it('when replace has no vault then it falls back to an irreversible label', () => {
    expect(anonymize(text, results, { operators: { DEFAULT: 'replace' } }).text).toBe(
      'card <CREDIT_CARD> and PIN <PIN>',
    );
  });

  it('when the vault is full then the value is redacted rather than left in place', async () => {
    const vault = new InMemoryConversationVault({ maxEntriesPerConversation: 1 });
    const operators = { DEFAULT: 'replace' } as const;
    const tokens = await vaultTokens(text, results, { operators, vault, conversationId: 'c1' });
    const output = anonymize(text, results, { operators, tokens });
    expect(output.text).toBe('card <CREDIT_CARD_1> and PIN <PIN>');
  });

  it('when hashing then the input text is never mutated and values do not appear', () => {
    const output = anonymize(text, results, { operators: { DEFAULT: 'hash' }, salt: 's' });
    expect(output.text).not.toContain('4111');
    expect(output.text).not.toContain('4821');
    expect(text).toBe('card 4111 1111 1111 1111 and PIN 4821');
  });

  it('when a value is four characters or fewer then mask hides all of it', () => {
    expect(maskValue('4821')).toBe('****');
    expect(maskValue('GB29 NWBK 6016 1331 9268 19')).toBe('**** **** **** **** **68 19');
  });
});
