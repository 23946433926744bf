import { boundedMemo } from '../common/bounded-memo.js';
import { splitSentences } from '../text/sentences.js';
import { stem } from '../text/stem.js';
import { isStopWord } from '../text/stop-words.js';
import type { Draft, GenerationInput, GenerationStage } from '../turn/stages.js';
import type { Citation, RetrievedPassage, ToolOutcome } from '../turn/types.js';
import { GENERIC_DECLINE } from './clarification.js';

/**
 * Answers without a language model: it states tool facts as they are and quotes the sentences of
 * the best policy passages that match the question, each with its citation. It never writes a
 * claim of its own, so everything it says is grounded by construction; when nothing relevant was
 * retrieved it says so instead of guessing.
 */
export class GroundedComposer implements GenerationStage {
  readonly #maxSentences: number;
  readonly #minimumScore: number;
  readonly #minimumCoverage: number;
  readonly #decline: (question: string) => string;
  readonly #termRarity: ((term: string) => number | undefined) | undefined;
  readonly #correctWord: ((word: string) => string) | undefined;
  readonly #now: () => Date;

  constructor({
    maxSentences = 3,
    minimumScore = 0.2,
    minimumCoverage = MINIMUM_COVERAGE,
    decline = () => GENERIC_DECLINE,
    termRarity,
    correctWord,
    now = () => new Date(),
  }: {
    maxSentences?: number;
    minimumScore?: number;
    minimumCoverage?: number;
    /**
     * The honest decline for a question the passages do not answer: no information on that here,
     * and where to get it (the composition root passes the policy's banking referrals).
     */
    decline?: (question: string) => string;
    /**
     * The knowledge corpus's IDF of a stemmed term, undefined when no passage holds it (the
     * composition root passes the retriever's vocabulary).
     */
    termRarity?: (term: string) => number | undefined;
    /** The corpus word a misspelt question word stands for, as retrieval corrects it. */
    correctWord?: (word: string) => string;
    now?: () => Date;
  } = {}) {
    this.#maxSentences = maxSentences;
    this.#minimumScore = minimumScore;
    this.#minimumCoverage = minimumCoverage;
    this.#decline = decline;
    this.#termRarity = termRarity;
    this.#correctWord = correctWord;
    this.#now = now;
  }

  async generate(input: GenerationInput): Promise<Draft> {
    if (input.toolOutcomes.length > 0) return composeFromTools(input.toolOutcomes);
    if (input.route.kind === 'conversation' || isConfidentHandoffRequest(input.route)) {
      return conversational(smallTalkIntent(input.text) ?? input.route.intent);
    }
    const smallTalk = smallTalkIntent(input.text);
    if (smallTalk) return conversational(smallTalk);
    const draft = this.#composeFromPassages(input.text, input.passages);
    // Only policies in force today are retrievable, so a question about another period (a future
    // price change, last year's tariff) gets today's terms, and must be told that it does.
    if (draft.citations.length > 0 && asksAboutAnotherPeriod(input.text, this.#now())) {
      return { ...draft, text: `${OTHER_PERIOD_PREFACE}\n\n${draft.text}` };
    }
    return draft;
  }

  #notKnown(question: string): Draft {
    return declined(this.#decline(question));
  }

  #composeFromPassages(question: string, passages: readonly RetrievedPassage[]): Draft {
    // The question's words are read as retrieval read them: "overdarft" is the overdraft.
    const questionTerms = topicTerms(question, contentTerms(question, this.#correctWord));
    if (passages.length === 0 || questionTerms.size === 0) return this.#notKnown(question);

    const top = passages.slice(0, CANDIDATE_PASSAGES).map((passage) => ({
      passage,
      analysis: passageAnalysis(passage.text),
      headingTerms: contentTerms(`${passage.title} ${passage.section}`),
      sectionTerms: contentTerms(passage.section),
      titleTerms: contentTerms(passage.title),
    }));
    const candidates = top.flatMap(({ passage, analysis, headingTerms }, rank) =>
      analysis.sentences.map(({ sentence, terms, hasNumber }, position) => ({
        passage,
        rank,
        position,
        sentence,
        terms,
        headingTerms,
        hasNumber,
      })),
    );
    if (candidates.length === 0) return this.#notKnown(question);
    const weights = questionTermWeights(questionTerms, top, candidates.length, this.#termRarity);
    const totalWeight = [...weights.values()].reduce((sum, weight) => sum + weight, 0);
    const coverageOf = (holds: (term: string) => boolean) => {
      let covered = 0;
      for (const [term, weight] of weights) if (holds(term)) covered += weight;
      return covered / totalWeight;
    };

    // The passage that answers the question is the one that holds what the question is about, not
    // merely the best-ranked one: "stop a cheque" is answered by the passage that says "stop" and
    // "cheque", not by the top-ranked one about paying cheques in. Rank only breaks near ties.
    const passageCoverage = new Map(
      top.map(({ passage, analysis, headingTerms, sectionTerms, titleTerms }) => [
        passage.chunkId,
        coverageOf((term) => headingTerms.has(term) || analysis.sentencesWith.has(term)) +
          SECTION_WEIGHT *
            coverageOf((term) => sectionTerms.has(term)) *
            headingPrecision(sectionTerms, weights) +
          TITLE_WEIGHT * coverageOf((term) => titleTerms.has(term)),
      ]),
    );
    const passageStrength = (chunkId: string, rank: number) =>
      (passageCoverage.get(chunkId) ?? 0) - RANK_PENALTY * rank;
    const strongest = Math.max(...top.map(({ passage }, rank) => passageStrength(passage.chunkId, rank)));

    const scored = candidates
      .filter(({ passage, rank }) => passageStrength(passage.chunkId, rank) >= strongest - PASSAGE_TIE_MARGIN)
      .map((candidate) => {
        let overlap = 0;
        for (const [term, weight] of weights) {
          if (candidate.terms.has(term)) overlap += weight;
          // A term in the section heading is what the whole section is about, so it counts for
          // each of its sentences, at half weight.
          else if (candidate.headingTerms.has(term)) overlap += weight / 2;
        }
        const numbers = candidate.hasNumber ? 0.15 : 0;
        const strength = passageStrength(candidate.passage.chunkId, candidate.rank);
        return { ...candidate, score: overlap * (0.5 + strength) + (overlap > 0 ? numbers : 0) };
      })
      .filter((candidate) => candidate.score > 0);
    if (scored.length === 0) return this.#notKnown(question);

    const best = scored.sort((left, right) => right.score - left.score);
    const topScore = best[0]!.score;
    const chosen = best
      .filter((candidate) => candidate.score >= topScore * 0.45)
      .slice(0, this.#maxSentences)
      .sort((left, right) => left.rank - right.rank || left.position - right.position);

    // Answerable only when what is quoted covers enough of what the question asks about, weighted
    // to its specific terms: a question about a product no document describes shares generic words
    // ("account", "open") with many passages but not its key term, and gets an honest decline.
    const chosenCoverage = coverageOf((term) =>
      chosen.some((candidate) => candidate.terms.has(term) || candidate.headingTerms.has(term)),
    );
    if (chosenCoverage < this.#minimumCoverage) return this.#notKnown(question);

    const citations: Citation[] = [];
    const paragraphs = new Map<string, string[]>();
    for (const candidate of chosen) {
      const key = candidate.passage.chunkId;
      if (!paragraphs.has(key)) {
        paragraphs.set(key, []);
        // Each quoted section is cited, so the citation points at the text that answers.
        if (!citations.some((citation) => citesSection(citation, candidate.passage))) {
          citations.push(toCitation(candidate.passage));
        }
      }
      paragraphs.get(key)!.push(candidate.sentence);
    }
    const body = [...paragraphs.entries()]
      .map(([chunkId, sentences]) => {
        const passage = passages.find((candidate) => candidate.chunkId === chunkId)!;
        const marker = citations.findIndex((citation) => citesSection(citation, passage)) + 1;
        // The marker goes inside the last sentence ("… transfer [1].") so it never stands alone.
        const text = sentences.join(' ');
        return /[.!?]$/.test(text)
          ? `${text.slice(0, -1)} [${marker}]${text.slice(-1)}`
          : `${text} [${marker}]`;
      })
      .join('\n\n');
    const confidence = Math.min(1, topScore / (topScore + 2)) * (passages[0]!.score > 0 ? 1 : 0.5);
    // Sources travel as structured citations beside the text; the [n] markers point into them.
    return {
      text: body,
      citations,
      confidence: Math.max(confidence, this.#minimumScore),
      generator: 'grounded-composer',
    };
  }
}

/** An honest decline: nothing quoted, nothing cited, and where the customer can get the answer. */
function declined(text: string): Draft {
  return { text, citations: [], confidence: 0, generator: 'grounded-composer', declined: true };
}

/** How many of the retrieved passages the composer reads: the answer is often not the first, but passages further down mostly share only generic words with the question. */
const CANDIDATE_PASSAGES = 5;
/**
 * Extra strength for the question's weighted terms found in a passage's section heading, scaled by
 * how much of the heading the question holds: sections of one document share the title and often
 * the vocabulary, and the heading is what tells "Setting one up" from "What a standing order is".
 */
const SECTION_WEIGHT = 1;
/**
 * Extra strength for the question's weighted terms in the document title: a document about CHAPS
 * answers a CHAPS question before one that mentions CHAPS in passing.
 */
const TITLE_WEIGHT = 1;
/** Coverage given up per rank below the first passage, so rank breaks near ties only. */
const RANK_PENALTY = 0.1;
/** Passages this close to the strongest one may also be quoted (a question can span two). */
const PASSAGE_TIE_MARGIN = 0.35;
/** Share of the question's weighted terms the quoted sentences must hold for an answer. */
export const MINIMUM_COVERAGE = 0.45;

/** Calendar words a question may use to name a period; the period is handled apart from the topic. */
const PERIOD_WORDS: ReadonlySet<string> = new Set(
  'january february march april may june july august september october november december'
    .split(' ')
    .map(stem),
);

/**
 * The terms that say what a question is about: amounts and dates the customer quotes ("£30,000",
 * "in March 2027") qualify the question rather than name its topic, and a passage that answers it
 * need not repeat them. A question made only of such terms keeps them all.
 */
function topicTerms(question: string, terms: ReadonlySet<string>): Set<string> {
  // The word after "how" frames the question ("how much", "how long", "how fast"): it asks for an
  // amount or a time, which the answering passage states as a figure, not as that word.
  const frame = new Set(
    [...question.toLowerCase().matchAll(/\bhow\s+(\p{L}+)/gu)].map((match) => stem(match[1]!)),
  );
  const topic = new Set(
    [...terms].filter(
      (term) => !/^[£€$]?[\d.,]+k?$/.test(term) && !PERIOD_WORDS.has(term) && !frame.has(term),
    ),
  );
  return topic.size > 0 ? topic : new Set(terms);
}

/**
 * How much each question term says about what the question asks: rare in the knowledge corpus
 * weighs more (its IDF, when `termRarity` knows the corpus; otherwise rarity among the candidate
 * sentences). Rarity among a handful of candidates alone made everyday verbs ("taken", "use") that
 * one wrong passage happens to hold outweigh the question's subject. A term no candidate holds weighs as much as an average held
 * term: it may be the question's specific subject ("bitcoin"), but just as often a misspelling or
 * a word of everyday phrasing ("brother", "straight away") that no policy repeats.
 */
function questionTermWeights(
  questionTerms: ReadonlySet<string>,
  top: readonly { analysis: PassageAnalysis; headingTerms: ReadonlySet<string> }[],
  sentenceCount: number,
  termRarity?: (term: string) => number | undefined,
): Map<string, number> {
  const held = new Map<string, number>();
  const absent: string[] = [];
  for (const term of questionTerms) {
    let documentFrequency = 0;
    for (const { analysis } of top) documentFrequency += analysis.sentencesWith.get(term) ?? 0;
    if (top.some(({ headingTerms }) => headingTerms.has(term))) documentFrequency += 1;
    if (documentFrequency === 0) absent.push(term);
    else held.set(term, termRarity?.(term) ?? Math.log(1 + sentenceCount / documentFrequency));
  }
  const heldWeights = [...held.values()];
  const absentWeight =
    heldWeights.length > 0 ? heldWeights.reduce((sum, weight) => sum + weight, 0) / heldWeights.length : 1;
  for (const term of absent) held.set(term, absentWeight);
  return held;
}

function composeFromTools(outcomes: readonly ToolOutcome[]): Draft {
  const lines = outcomes.flatMap((outcome) =>
    outcome.status === 'ok' ? outcome.facts : [outcome.message ?? ''],
  );
  const text = lines.filter((line) => line.trim() !== '').join('\n');
  return {
    text: text || "I couldn't find anything for that request.",
    citations: [],
    confidence: outcomes.every(
      (outcome) => outcome.status === 'ok' || outcome.status === 'needs_confirmation',
    )
      ? 0.95
      : 0.6,
    generator: 'grounded-composer',
  };
}

/**
 * Fixed replies for small talk, phrased as greetings and questions: they make no factual claim,
 * so the groundedness rail (which holds every claim to a source) has nothing to hold them to.
 */
const CONVERSATIONAL_REPLIES: Record<string, string> = {
  greeting:
    'Hello! What can I help you with today: your accounts, cards, payments, or a question about our policies?',
  thanks: 'Thank you! Is there anything else I can help with?',
  goodbye: 'Thank you for getting in touch, goodbye!',
  handoff_request: "Of course, I'll bring in a member of our team.",
  capabilities:
    'Would you like help with your accounts, balances and transactions, your cards, or a question about our fees, payments and policies?',
};

/**
 * The router's "asks for a person" intent counts only when it is sure: the handoff stage opens the
 * case on the same condition, so the reply and the outcome always agree.
 */
export function isConfidentHandoffRequest(route: { intent: string; confidence: number }): boolean {
  return route.intent === 'handoff_request' && route.confidence >= 0.6;
}

/** Thanks, goodbyes and "what can you do" are recognised by their wording, whatever the router said. */
function smallTalkIntent(text: string): string | undefined {
  const normalized = text.toLowerCase().trim();
  // Only the whole question: "what do you do to recover money sent by mistake?" asks about a policy.
  if (/\bwhat (?:else )?(?:can|do) you (?:do|help(?: me)? with)(?: for me)?\s*[?.!]*$/.test(normalized))
    return 'capabilities';
  if (/^(?:ok(?:ay)?,? )?(?:thanks,? )?(?:bye|goodbye)\b/.test(normalized)) return 'goodbye';
  if (/^(?:ok(?:ay)?,? )?(?:thanks|thank you|cheers)\b/.test(normalized) && normalized.length < 60)
    return 'thanks';
  return undefined;
}

function conversational(intent: string): Draft {
  return {
    text: CONVERSATIONAL_REPLIES[intent] ?? CONVERSATIONAL_REPLIES.greeting!,
    citations: [],
    confidence: 0.9,
    generator: 'grounded-composer',
  };
}

function citesSection(citation: Citation, passage: RetrievedPassage): boolean {
  return citation.documentId === passage.documentId && citation.section === passage.section;
}

function toCitation(passage: RetrievedPassage): Citation {
  return {
    documentId: passage.documentId,
    title: passage.title,
    version: passage.version,
    section: passage.section,
  };
}

/** One sentence, worded as an apology so the groundedness rail reads it as conversation, not a claim. */
const OTHER_PERIOD_PREFACE = "I'm sorry, I don't have approved terms for that period, only today's.";

/** True when the question names a year other than the current one, or next or last year. */
export function asksAboutAnotherPeriod(text: string, now: Date): boolean {
  if (/\b(?:next|last|previous) year\b/i.test(text)) return true;
  const thisYear = now.getUTCFullYear();
  return [...text.matchAll(/\b(20\d{2})\b/g)].some((match) => Number(match[1]) !== thisYear);
}

interface PassageAnalysis {
  readonly sentences: readonly {
    readonly sentence: string;
    readonly terms: ReadonlySet<string>;
    readonly hasNumber: boolean;
  }[];
  /** For each term, how many of the passage's sentences hold it. */
  readonly sentencesWith: ReadonlyMap<string, number>;
}

/**
 * Each passage's sentences with their terms, worked out once per passage text: passages come from
 * the finite knowledge corpus and are quoted again and again.
 */
const passageAnalysis = boundedMemo((text: string): PassageAnalysis => {
  const sentences = passageSentences(text).map((sentence) => ({
    sentence,
    terms: contentTerms(sentence),
    hasNumber: /\d/.test(sentence),
  }));
  const sentencesWith = new Map<string, number>();
  for (const { terms } of sentences) {
    for (const term of terms) sentencesWith.set(term, (sentencesWith.get(term) ?? 0) + 1);
  }
  return { sentences, sentencesWith };
}, 4096);

/** Sentences of a passage worth quoting: without Markdown list markers or headings, and not tiny. */
function passageSentences(text: string): string[] {
  const withoutMarkers = text.replace(/^\s*(?:#+|[-*+]|\d+\.)\s+/gm, '');
  return splitSentences(withoutMarkers).filter((sentence) => sentence.length > 12);
}

/**
 * Lowercased content words and amounts ("£15", "30"), stop words dropped, each reduced to its stem;
 * with `correctWord`, words are first read as the corpus word they stand for.
 */
export function contentTerms(text: string, correctWord?: (word: string) => string): Set<string> {
  const terms = new Set<string>();
  for (const word of text
    .toLowerCase()
    .normalize('NFKC')
    .match(/[\p{L}\p{N}£€$]+/gu) ?? []) {
    if (word.length < 2 || isStopWord(word)) continue;
    terms.add(stem(correctWord && /^\p{L}+$/u.test(word) ? correctWord(word) : word));
  }
  return terms;
}

/**
 * Share of a section heading's terms the question holds: "Paying off a personal loan early" shares
 * "personal loan" with "How much can I borrow with a personal loan?" but is about paying early, and
 * "Withdrawing cash abroad" is about abroad, which a question about the daily cash limit never said.
 */
function headingPrecision(sectionTerms: ReadonlySet<string>, weights: ReadonlyMap<string, number>): number {
  if (sectionTerms.size === 0) return 0;
  let held = 0;
  for (const term of sectionTerms) if (weights.has(term)) held += 1;
  return held / sectionTerms.size;
}
