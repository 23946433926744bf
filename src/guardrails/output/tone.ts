/**
 * Tone: no shouting (runs of ALL-CAPS words, apart from acronyms), no emoji spam and no stacked
 * exclamation marks. Fixed in place; blaming phrases are policy banned phrases instead.
 */
import type { GuardrailVerdict } from '../../pipeline/types.js';
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
      // Capitals the sources themselves use (EAR, CHAPS, SWIFT) are names, not shouting.
      const sourceText = [
        ...passages.map((passage) => passage.text),
        ...toolOutcomes.flatMap((outcome) => outcome.facts),
      ].join(' ');
      const allowed = new Set([...ACRONYMS, ...(sourceText.match(/\b\p{Lu}{3,}\b/gu) ?? [])]);
      const shouted = (answerText.match(/\b\p{Lu}{3,}\b/gu) ?? []).filter((word) => !allowed.has(word));
      const emoji = answerText.match(EMOJI) ?? [];
      const stacked = /!{2,}|\?{3,}/.test(answerText);
      const problems: string[] = [];
      let text = answerText;
      if (shouted.length > maxShoutedWords) {
        problems.push(`${shouted.length} shouted word(s)`);
        text = text.replace(/\b\p{Lu}{3,}\b/gu, (word) => (allowed.has(word) ? word : word.toLowerCase()));
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
