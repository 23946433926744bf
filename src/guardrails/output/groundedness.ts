/**
 * Groundedness: every sentence of an answer must rest on the cited passages or the tool facts.
 * Entailment-lite: a sentence is supported when enough of its content words appear in one source
 * and every number or amount in it appears in some source verbatim. Unsupported sentences are
 * removed; when too little remains, the whole answer is replaced. Pleasantries and questions back
 * to the customer carry no claims and are neither counted nor removed.
 */
import { boundedMemo } from '../../common/bounded-memo.js';
import type { PolicySet } from '../../policy/load-policies.js';
import { mayMatchAny } from '../../text/pattern-prefilter.js';
import { contentWords, numericTokens } from '../../text/sentences.js';
import type { GuardrailVerdict } from '../../turn/types.js';
import { allow, type OutputGuardrail, type OutputRailInput } from '../types.js';
import { answerSentences, sharedInRun } from './output-run.js';

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
 * are worked out once per passage. Keyed by the passage text first (the long part, often the very
 * string the index holds, whose hash the engine keeps) and then by title and section, so no long
 * key is built per turn. Tool facts carry customer data and are not remembered.
 */
const passageProfiles = boundedMemo((_text: string) => new Map<string, SourceProfile>(), 4096);

function passageProfile(passage: OutputRailInput['passages'][number]): SourceProfile {
  const byHeading = passageProfiles(passage.text);
  const heading = `${passage.title}\n${passage.section}`;
  let profile = byHeading.get(heading);
  if (profile === undefined) {
    // One text under many headings would be a corpus oddity; keep even that bounded.
    if (byHeading.size >= 16) byHeading.clear();
    profile = sourceProfile(`${passage.title} ${passage.section} ${passage.text}`);
    byHeading.set(heading, profile);
  }
  return profile;
}

const NO_EXEMPTIONS: readonly RegExp[] = [];

interface Source extends SourceProfile {
  readonly kind: 'passage' | 'tool';
  readonly index: number;
}

/** What one answer sentence claims, independent of thresholds and exemptions. */
interface ClaimAnalysis {
  /** The sentence without citation markers. */
  readonly claim: string;
  readonly words: ReadonlySet<string>;
  readonly numbers: readonly string[];
  /** Worded as conversation (greeting, apology, question) and free of numbers. */
  readonly chatty: boolean;
  best?: { readonly overlap: number; readonly source: SentenceSupport['source'] };
  missingNumbers?: readonly string[];
}

interface SourceSet {
  readonly sources: readonly Source[];
  readonly allNumbers: ReadonlySet<string>;
  /** Analyses of answer sentences already judged in this run (groundedness, then citations). */
  readonly claims: Map<string, ClaimAnalysis>;
}

function collectSources(input: Pick<OutputRailInput, 'passages' | 'toolOutcomes'>): SourceSet {
  const sources: Source[] = [
    ...input.passages.map((passage, index) => ({
      kind: 'passage' as const,
      index,
      ...passageProfile(passage),
    })),
    ...input.toolOutcomes.flatMap((outcome) =>
      [...outcome.facts, outcome.message ?? '']
        .filter(Boolean)
        .map((fact, index) => ({ kind: 'tool' as const, index, ...sourceProfile(fact) })),
    ),
  ];
  const allNumbers = new Set(sources.flatMap((source) => [...source.numbers]));
  return { sources, allNumbers, claims: new Map() };
}

function analyseClaim(sentence: string): ClaimAnalysis {
  // Strip citation markers such as [1] or [fees-policy §2] before judging the claim.
  const claim = sentence.replace(/\[[^\]]{1,80}\]/g, ' ');
  const words = contentWords(claim);
  const numbers = numericTokens(claim);
  return { claim, words, numbers, chatty: CONVERSATIONAL.test(claim.trim()) && numbers.length === 0 };
}

/** Scores each sentence of `answerText` against passages and tool facts. */
export function assessGroundedness(
  input: Pick<OutputRailInput, 'answerText' | 'passages' | 'toolOutcomes'>,
  minimumOverlap: number,
  /** Sentences matching these (required disclosures) are policy boilerplate, not claims. */
  exempt: readonly RegExp[] = NO_EXEMPTIONS,
): GroundednessReport {
  // Passages and tool outcomes stay the same through a run of output rails (only the text is
  // rewritten), so the sources and each sentence's analysis are shared with later rails.
  const { sources, allNumbers, claims } = sharedInRun(input, 'groundedness.sources', () =>
    collectSources(input),
  );
  const sentences = answerSentences(input).map((sentence): SentenceSupport => {
    let analysis = claims.get(sentence);
    if (analysis === undefined) {
      analysis = analyseClaim(sentence);
      claims.set(sentence, analysis);
    }
    const { claim, words, numbers } = analysis;
    if (
      analysis.chatty ||
      (mayMatchAny(exempt, () => exempt, claim) && exempt.some((pattern) => pattern.test(claim)))
    ) {
      return { sentence, kind: 'conversational', supported: true, overlap: 1, missingNumbers: [] };
    }
    if (analysis.best === undefined) {
      let best = { overlap: 0, source: undefined as SentenceSupport['source'] };
      for (const source of sources) {
        if (words.size === 0) break;
        let shared = 0;
        for (const word of words) if (source.words.has(word)) shared += 1;
        const overlap = shared / words.size;
        if (overlap > best.overlap) best = { overlap, source: { kind: source.kind, index: source.index } };
      }
      analysis.best = best;
      analysis.missingNumbers = numbers.filter((number) => !allNumbers.has(number));
    }
    const best = analysis.best;
    const missingNumbers = analysis.missingNumbers ?? [];
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
  const claimSentences = sentences.filter((sentence) => sentence.kind === 'claim');
  const score =
    claimSentences.length === 0
      ? 1
      : claimSentences.filter((sentence) => sentence.supported).length / claimSentences.length;
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
