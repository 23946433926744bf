/**
 * Tone: no shouting (runs of ALL-CAPS words, apart from acronyms), no emoji spam and no stacked
 * exclamation marks. Fixed in place; blaming phrases are policy banned phrases instead.
 */
import { boundedMemo } from '../../common/bounded-memo.js';
import type { GuardrailVerdict } from '../../turn/types.js';
import { allow, type OutputGuardrail } from '../types.js';

const ACRONYMS = new Set([
  'FSCS',
  'APR',
  'AER',
  'PIN',
  'ISA',
  'IBAN',
  'SWIFT',
  'BIC',
  'ATM',
  'BACS',
  'CHAPS',
  'FCA',
  'HMRC',
  'UK',
  'EU',
  'USD',
  'GBP',
  'EUR',
  'OTP',
  'FAQ',
  'ID',
  'PDF',
  'SMS',
  'CVV',
  'NFC',
]);
const EMOJI = /\p{Extended_Pictographic}\uFE0F?/gu;
const CAPITALISED = /\b\p{Lu}{3,}\b/gu;

function capitalisedWords(text: string): readonly string[] {
  return text.match(CAPITALISED) ?? [];
}

/** Capitalised words of each passage text, worked out once: passages recur across turns. */
const passageCapitals = boundedMemo(capitalisedWords, 4096);

export interface ToneOptions {
  /** Emoji allowed before all are stripped. */
  readonly maxEmoji?: number;
  /** Non-acronym ALL-CAPS words allowed before they are lower-cased. */
  readonly maxShoutedWords?: number;
}

/** Output rail correcting shouting, emoji spam and stacked exclamation marks. */
export function toneRail({ maxEmoji = 1, maxShoutedWords = 1 }: ToneOptions = {}): OutputGuardrail {
  return {
    name: 'tone',
    stage: 'output',
    cost: 1,
    execute({ answerText, passages, toolOutcomes }): GuardrailVerdict {
      const capitals = capitalisedWords(answerText);
      // Capitals the sources themselves use (EAR, CHAPS, SWIFT) are names, not shouting. Looking at
      // each source on its own finds the same words as looking at them joined with spaces.
      const sourceCapitals = new Set<string>();
      if (capitals.length > 0) {
        for (const passage of passages)
          for (const word of passageCapitals(passage.text)) sourceCapitals.add(word);
        for (const outcome of toolOutcomes)
          for (const fact of outcome.facts)
            for (const word of capitalisedWords(fact)) sourceCapitals.add(word);
      }
      const allowed = (word: string) => ACRONYMS.has(word) || sourceCapitals.has(word);
      const shouted = capitals.filter((word) => !allowed(word));
      const emoji = answerText.match(EMOJI) ?? [];
      const stacked = /!{2,}|\?{3,}/.test(answerText);
      const problems: string[] = [];
      let text = answerText;
      if (shouted.length > maxShoutedWords) {
        problems.push(`${shouted.length} shouted word(s)`);
        text = text.replace(CAPITALISED, (word) => (allowed(word) ? word : word.toLowerCase()));
      }
      if (emoji.length > maxEmoji) {
        problems.push(`${emoji.length} emoji`);
        text = text
          .replace(EMOJI, '')
          .replace(/ {2,}/g, ' ')
          .replace(/ +([!?.,])/g, '$1')
          .trim();
      }
      if (stacked) {
        problems.push('stacked punctuation');
        text = text.replace(/!{2,}/g, '!').replace(/\?{3,}/g, '?');
      }
      if (problems.length === 0) return allow('tone');
      return {
        guardrail: 'tone',
        tripped: true,
        action: 'rewrite',
        rule: 'tone.style',
        reason: problems.join(', '),
        rewrittenText: text,
      };
    },
  };
}
