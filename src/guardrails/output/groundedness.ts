/**
 * Groundedness: every sentence of an answer must rest on the cited passages or the tool facts.
 * Entailment-lite: a sentence is supported when enough of its content words appear in one source
 * and every number or amount in it appears in some source verbatim. Unsupported sentences are
 * removed; when too little remains, the whole answer is replaced. Pleasantries and questions back
 * to the customer carry no claims and are neither counted nor removed.
 */
import { boundedMemo } from '../../common/bounded-memo.js';
import type { GuardrailVerdict } from '../../pipeline/types.js';
import type { PolicySet } from '../policy/load-policies.js';
import { allow, type OutputGuardrail, type OutputRailInput } from '../types.js';
import { mayMatchAny } from './pattern-prefilter.js';
import { contentWords, numericTokens, splitSentences } from './sentences.js';

export interface SentenceSupport {
  readonly sentence: string;
  /** `claim` sentences are scored; `conversational` ones (greetings, questions) are kept as they are. */
  readonly kind: 'claim' | 'conversational';
  readonly supported: boolean;
  readonly overlap: number;
  /** Index of the best source: passages first, then tool facts. */
  readonly source?: { kind: 'passage' | 'tool'; index: number };
  readonly missingNumbers: readonly string[];
}

export interface GroundednessReport {
  /** Supported claims ÷ claims (1 when the answer makes no claims). */
  readonly score: number;
  readonly sentences: readonly SentenceSupport[];
}

const CONVERSATIONAL =
  /^(?:(?:hi|hello|thanks|thank you|sorry|of course|certainly|sure|no problem|i'm sorry|i am sorry|i understand)\b[^.!?]{0,60}[.!]?$|.*\?$)/iu;

interface SourceProfile {
  readonly words: ReadonlySet<string>;
  readonly numbers: ReadonlySet<string>;
}

function sourceProfile(text: string): SourceProfile {
  return { words: contentWords(text), numbers: new Set(numericTokens(text)) };
}

/**
 * Passages come from the finite knowledge corpus and recur across turns, so their words and numbers
 * are worked out once per passage text. Tool facts carry customer data and are not remembered.
 */
const passageProfile = boundedMemo(sourceProfile, 4096);

const NO_EXEMPTIONS: readonly RegExp[] = [];

/** Scores each sentence of `answerText` against passages and tool facts. */
export function assessGroundedness(
  input: Pick<OutputRailInput, 'answerText' | 'passages' | 'toolOutcomes'>,
  minimumOverlap: number,
  /** Sentences matching these (required disclosures) are policy boilerplate, not claims. */
  exempt: readonly RegExp[] = NO_EXEMPTIONS,
): GroundednessReport {
  const sources = [
    ...input.passages.map((passage, index) => ({
      kind: 'passage' as const,
      index,
      ...passageProfile(`${passage.title} ${passage.section} ${passage.text}`),
    })),
    ...input.toolOutcomes.flatMap((outcome) =>
      [...outcome.facts, outcome.message ?? '']
        .filter(Boolean)
        .map((fact, index) => ({ kind: 'tool' as const, index, ...sourceProfile(fact) })),
    ),
  ];
  const allNumbers = new Set(sources.flatMap((source) => [...source.numbers]));
  const sentences = splitSentences(input.answerText).map((sentence): SentenceSupport => {
    // Strip citation markers such as [1] or [fees-policy §2] before judging the claim.
    const claim = sentence.replace(/\[[^\]]{1,80}\]/g, ' ');
    const words = contentWords(claim);
    const numbers = numericTokens(claim);
    if (
      (CONVERSATIONAL.test(claim.trim()) && numbers.length === 0) ||
      (mayMatchAny(exempt, () => exempt, claim) && exempt.some((pattern) => pattern.test(claim)))
    ) {
      return { sentence, kind: 'conversational', supported: true, overlap: 1, missingNumbers: [] };
    }
    let best = { overlap: 0, source: undefined as SentenceSupport['source'] };
    for (const source of sources) {
      if (words.size === 0) break;
      let shared = 0;
      for (const word of words) if (source.words.has(word)) shared += 1;
      const overlap = shared / words.size;
      if (overlap > best.overlap) best = { overlap, source: { kind: source.kind, index: source.index } };
    }
    const missingNumbers = numbers.filter((number) => !allNumbers.has(number));
    const overlapOk = words.size === 0 ? numbers.length > 0 : best.overlap >= minimumOverlap;
    return {
      sentence,
      kind: 'claim',
      supported: overlapOk && missingNumbers.length === 0,
      overlap: best.overlap,
      source: best.source,
      missingNumbers,
    };
  });
  const claims = sentences.filter((sentence) => sentence.kind === 'claim');
  const score =
    claims.length === 0 ? 1 : claims.filter((sentence) => sentence.supported).length / claims.length;
  return { score, sentences };
}

/** Patterns recognising required-disclosure sentences, which are never "unsupported". */
export function disclosureSentences(policies: PolicySet): RegExp[] {
  return policies.requiredDisclosures.flatMap((rule) => rule.presentWhen);
}

/** Output rail removing unsupported sentences, or replacing the answer when too little is grounded. */
export function groundednessRail(policies: PolicySet): OutputGuardrail {
  const exempt = disclosureSentences(policies);
  return {
    name: 'groundedness',
    stage: 'output',
    cost: 2,
    execute(input): GuardrailVerdict {
      const report = assessGroundedness(input, policies.thresholds.sentence_support_minimum, exempt);
      const unsupported = report.sentences.filter((sentence) => !sentence.supported);
      const supportedClaims = report.sentences.filter(
        (sentence) => sentence.kind === 'claim' && sentence.supported,
      );
      if (unsupported.length === 0) return allow('groundedness', { score: report.score });
      const detail = unsupported
        .slice(0, 3)
        .map(
          (sentence) =>
            `overlap ${sentence.overlap.toFixed(2)}${sentence.missingNumbers.length ? `, unsupported numbers ${sentence.missingNumbers.join(' ')}` : ''}`,
        )
        .join('; ');
      if (report.score < policies.thresholds.groundedness_minimum || supportedClaims.length === 0) {
        return {
          guardrail: 'groundedness',
          tripped: true,
          action: 'refuse',
          rule: 'groundedness.below_minimum',
          reason: `${unsupported.length} unsupported sentence(s), score ${report.score.toFixed(2)} below ${policies.thresholds.groundedness_minimum} (${detail})`,
          score: report.score,
          customerMessage: policies.referralTexts.ungrounded,
        };
      }
      return {
        guardrail: 'groundedness',
        tripped: true,
        action: 'rewrite',
        rule: 'groundedness.unsupported_sentence_removed',
        reason: `removed ${unsupported.length} unsupported sentence(s) (${detail})`,
        score: report.score,
        rewrittenText: report.sentences
          .filter((sentence) => sentence.supported)
          .map((sentence) => sentence.sentence)
          .join(' '),
      };
    },
  };
}
