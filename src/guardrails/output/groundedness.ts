/**
 * Groundedness: every sentence of an answer must rest on the cited passages or the tool facts.
 * Entailment-lite: a sentence is supported when enough of its content words appear in one source
 * and every figure in it (same value, same currency or unit; a stated zero price counts) appears in
 * the passage the sentence cites, or in the tool facts when it cites nothing. A sentence cites the
 * `[n]` markers it carries, or else those of the next marked sentence of its paragraph (an answer
 * may cite a paragraph once, at its end); `[n]` is the draft's n-th citation. Unsupported
 * sentences are removed; when too little remains, the whole answer is replaced. Pleasantries and
 * questions back to the customer carry no claims and are neither counted nor removed.
 */
import { boundedMemo } from '../../common/bounded-memo.js';
import type { PolicySet } from '../../policy/load-policies.js';
import { PatternSet } from '../../text/pattern-set.js';
import { contentWords, removeSentences, splitSentences } from '../../text/sentences.js';
import type { GuardrailVerdict } from '../../turn/types.js';
import { RailRun, runSlot } from '../rail-run.js';
import { allow, type OutputGuardrail, type OutputRailInput } from '../types.js';
import { type Figure, figuresIn, statesFigure } from './figures.js';
import { answerSentences } from './output-run.js';

export interface SentenceSupport {
  readonly sentence: string;
  /** `claim` sentences are scored; `conversational` ones (greetings, questions) are kept as they are. */
  readonly kind: 'claim' | 'conversational';
  readonly supported: boolean;
  readonly overlap: number;
  /** Index of the best source: passages first, then tool facts. */
  readonly source?: { kind: 'passage' | 'tool'; index: number };
  /** Figures (as written) that the sentence's cited sources do not state. */
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
  readonly figures: readonly Figure[];
  /** Content words of each sentence that states a zero price ("… are free"). */
  readonly zeroPriceSentences: readonly ReadonlySet<string>[];
}

function sourceProfile(text: string): SourceProfile {
  return {
    words: contentWords(text),
    figures: figuresIn(text),
    zeroPriceSentences: splitSentences(text)
      .filter((sentence) => figuresIn(sentence).some((figure) => figure.unit === 'price'))
      .map((sentence) => contentWords(sentence)),
  };
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

const NO_EXEMPTIONS: PatternSet<unknown> = PatternSet.ofPatterns([]);

interface Source extends SourceProfile {
  readonly kind: 'passage' | 'tool';
  readonly index: number;
  /** The passage's document (passages only): what a citation names. */
  readonly documentId?: string;
}

/** What one answer sentence claims, independent of thresholds and exemptions. */
interface ClaimAnalysis {
  /** The sentence without citation markers. */
  readonly claim: string;
  readonly words: ReadonlySet<string>;
  readonly figures: readonly Figure[];
  /** Worded as conversation (greeting, apology, question) and free of figures. */
  readonly chatty: boolean;
  best?: { readonly overlap: number; readonly source: SentenceSupport['source'] };
}

interface SourceSet {
  readonly sources: readonly Source[];
  /** Analyses of answer sentences already judged in this run (groundedness, then citations). */
  readonly claims: Map<string, ClaimAnalysis>;
}

/** The sources of a run and the claims judged against them, shared by groundedness and citations. */
const SOURCE_SET = runSlot<SourceSet>('groundedness.sources');

function collectSources(input: Pick<OutputRailInput, 'passages' | 'toolOutcomes'>): SourceSet {
  const sources: Source[] = [
    ...input.passages.map((passage, index) => ({
      kind: 'passage' as const,
      index,
      documentId: passage.documentId,
      ...passageProfile(passage),
    })),
    ...input.toolOutcomes.flatMap((outcome) =>
      [...outcome.facts, outcome.message ?? '']
        .filter(Boolean)
        .map((fact, index) => ({ kind: 'tool' as const, index, ...sourceProfile(fact) })),
    ),
  ];
  return { sources, claims: new Map() };
}

function analyseClaim(sentence: string): ClaimAnalysis {
  // Strip citation markers such as [1] or [fees-policy §2] before judging the claim.
  const claim = sentence.replace(/\[[^\]]{1,80}\]/g, ' ');
  const words = contentWords(claim);
  const figures = figuresIn(claim);
  return { claim, words, figures, chatty: CONVERSATIONAL.test(claim.trim()) && figures.length === 0 };
}

const MARKER = /\[(\d{1,2})\]/g;

/**
 * The citation numbers each sentence of `answerText` rests on: its own markers, or those of the
 * next marked sentence in the same paragraph.
 */
function citedMarkers(answerText: string): Map<string, readonly number[]> {
  const bySentence = new Map<string, readonly number[]>();
  for (const paragraph of answerText.split(/\n\s*\n/)) {
    let following: readonly number[] = [];
    for (const sentence of splitSentences(paragraph).reverse()) {
      const own = [...sentence.matchAll(MARKER)].map((match) => Number(match[1]));
      if (own.length > 0) following = own;
      if (!bySentence.has(sentence)) bySentence.set(sentence, following);
    }
  }
  return bySentence;
}

/** Figures of `figures` that none of `sources` states (a zero price needs a like-worded sentence). */
function unsupportedFigures(
  figures: readonly Figure[],
  words: ReadonlySet<string>,
  sources: readonly Source[],
  minimumOverlap: number,
): string[] {
  return figures
    .filter((figure) =>
      figure.unit === 'price'
        ? !sources.some((source) =>
            source.zeroPriceSentences.some(
              (sentenceWords) => overlapOf(words, sentenceWords) >= minimumOverlap,
            ),
          )
        : !sources.some((source) => statesFigure(source.figures, figure)),
    )
    .map((figure) => figure.text);
}

function overlapOf(words: ReadonlySet<string>, sourceWords: ReadonlySet<string>): number {
  if (words.size === 0) return 0;
  let shared = 0;
  for (const word of words) if (sourceWords.has(word)) shared += 1;
  return shared / words.size;
}

/** Scores each sentence of `answerText` against passages and tool facts. */
export function assessGroundedness(
  input: Pick<OutputRailInput, 'answerText' | 'passages' | 'toolOutcomes' | 'citations'>,
  minimumOverlap: number,
  /** Sentences matching these (required disclosures) are policy boilerplate, not claims. */
  exempt: PatternSet<unknown> = NO_EXEMPTIONS,
  /** The run of output rails this assessment belongs to; a fresh run when assessed on its own. */
  run: RailRun = new RailRun(),
): GroundednessReport {
  // Passages and tool outcomes stay the same through a run of output rails (only the text is
  // rewritten), so the sources and each sentence's analysis are shared with later rails.
  const { sources, claims } = run.shared(SOURCE_SET, () => collectSources(input));
  const markers = citedMarkers(input.answerText);
  const sentences = answerSentences(input, run).map((sentence): SentenceSupport => {
    let analysis = claims.get(sentence);
    if (analysis === undefined) {
      analysis = analyseClaim(sentence);
      claims.set(sentence, analysis);
    }
    const { claim, words, figures } = analysis;
    if (analysis.chatty || exempt.test(claim)) {
      return { sentence, kind: 'conversational', supported: true, overlap: 1, missingNumbers: [] };
    }
    if (analysis.best === undefined) {
      let best = { overlap: 0, source: undefined as SentenceSupport['source'] };
      for (const source of sources) {
        if (words.size === 0) break;
        const overlap = overlapOf(words, source.words);
        if (overlap > best.overlap) best = { overlap, source: { kind: source.kind, index: source.index } };
      }
      analysis.best = best;
    }
    const best = analysis.best;
    // Figures are held to what the sentence cites (the citation context differs by position, so
    // this is not remembered with the analysis): the cited documents' passages, else tool facts.
    const cited = new Set(
      (markers.get(sentence) ?? []).flatMap((marker) => input.citations[marker - 1]?.documentId ?? []),
    );
    const figureSources = sources.filter((source) =>
      cited.size > 0
        ? source.documentId !== undefined && cited.has(source.documentId)
        : source.kind === 'tool',
    );
    const missingNumbers =
      figures.length === 0 ? [] : unsupportedFigures(figures, words, figureSources, minimumOverlap);
    const overlapOk = words.size === 0 ? figures.length > 0 : best.overlap >= minimumOverlap;
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

/** Output rail removing unsupported sentences, or replacing the answer when too little is grounded. */
export function groundednessRail(policies: PolicySet): OutputGuardrail {
  // Required-disclosure sentences are policy boilerplate, never "unsupported".
  const exempt = policies.patternSets.disclosures;
  return {
    name: 'groundedness',
    stage: 'output',
    cost: 2,
    execute(input, run): GuardrailVerdict {
      // An honest decline quotes no passage: it states only that Teller has no information on the
      // question here and the policy's referral, so there is nothing to hold to the passages, and
      // replacing it with the ungrounded referral would turn a decline into a non-answer.
      if (input.declined) return allow('groundedness', { score: 1 });
      const report = assessGroundedness(input, policies.thresholds.sentence_support_minimum, exempt, run);
      const unsupported = report.sentences.filter((sentence) => !sentence.supported);
      const supportedClaims = report.sentences.filter(
        (sentence) => sentence.kind === 'claim' && sentence.supported,
      );
      if (unsupported.length === 0) return allow('groundedness', { score: report.score });
      const detail = unsupported
        .slice(0, 3)
        .map(
          (sentence) =>
            `overlap ${sentence.overlap.toFixed(2)}${sentence.missingNumbers.length ? `, unsupported figures ${sentence.missingNumbers.join(' ')}` : ''}`,
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
        rewrittenText: removeSentences(input.answerText, (sentence) =>
          unsupported.some((candidate) => candidate.sentence === sentence),
        ),
      };
    },
  };
}
