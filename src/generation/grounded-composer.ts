import { boundedMemo } from '../common/bounded-memo.js';
import { splitSentences } from '../text/sentences.js';
import type { Draft, GenerationInput, GenerationStage } from '../turn/stages.js';
import type { Citation, RetrievedPassage, ToolOutcome } from '../turn/types.js';

/**
 * Answers without a language model: it states tool facts as they are and quotes the sentences of
 * the best policy passages that match the question, each with its citation. It never writes a
 * claim of its own, so everything it says is grounded by construction; when nothing relevant was
 * retrieved it says so instead of guessing.
 */
export class GroundedComposer implements GenerationStage {
  readonly #maxSentences: number;
  readonly #minimumScore: number;

  readonly #now: () => Date;

  constructor({
    maxSentences = 3,
    minimumScore = 0.2,
    now = () => new Date(),
  }: { maxSentences?: number; minimumScore?: number; now?: () => Date } = {}) {
    this.#maxSentences = maxSentences;
    this.#minimumScore = minimumScore;
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

  #composeFromPassages(question: string, passages: readonly RetrievedPassage[]): Draft {
    const questionTerms = contentTerms(question);
    if (passages.length === 0 || questionTerms.size === 0) return notKnown();

    // Score sentences of the top passages by the question terms they contain, weighting terms that
    // are rare across the candidates (a cheap IDF), and prefer earlier passages (higher rank).
    const top = passages.slice(0, 3).map((passage) => ({ passage, analysis: passageAnalysis(passage.text) }));
    const candidates = top.flatMap(({ passage, analysis }, rank) =>
      analysis.sentences.map(({ sentence, terms, hasNumber }, position) => ({
        passage,
        rank,
        position,
        sentence,
        terms,
        hasNumber,
      })),
    );
    // Only question terms are ever weighed, so only their frequencies are counted: the number of
    // candidate sentences holding the term, summed from each passage's own counts.
    const weights = new Map<string, number>();
    for (const term of questionTerms) {
      let documentFrequency = 0;
      for (const { analysis } of top) documentFrequency += analysis.sentencesWith.get(term) ?? 0;
      if (documentFrequency > 0) weights.set(term, Math.log(1 + candidates.length / documentFrequency));
    }
    const scored = candidates
      .map((candidate) => {
        let overlap = 0;
        for (const term of questionTerms) {
          if (candidate.terms.has(term)) overlap += weights.get(term)!;
        }
        const numbers = candidate.hasNumber ? 0.15 : 0;
        return { ...candidate, score: overlap / (1 + candidate.rank * 0.35) + (overlap > 0 ? numbers : 0) };
      })
      .filter((candidate) => candidate.score > 0);
    if (scored.length === 0) return notKnown();

    const best = scored.sort((left, right) => right.score - left.score);
    const topScore = best[0]!.score;
    const chosen = best
      .filter((candidate) => candidate.score >= topScore * 0.45)
      .slice(0, this.#maxSentences)
      .sort((left, right) => left.rank - right.rank || left.position - right.position);

    const citations: Citation[] = [];
    const paragraphs = new Map<string, string[]>();
    for (const candidate of chosen) {
      const key = candidate.passage.chunkId;
      if (!paragraphs.has(key)) {
        paragraphs.set(key, []);
        if (!citations.some((citation) => citation.documentId === candidate.passage.documentId)) {
          citations.push(toCitation(candidate.passage));
        }
      }
      paragraphs.get(key)!.push(candidate.sentence);
    }
    const body = [...paragraphs.entries()]
      .map(([chunkId, sentences]) => {
        const passage = passages.find((candidate) => candidate.chunkId === chunkId)!;
        const marker = citations.findIndex((citation) => citation.documentId === passage.documentId) + 1;
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
  if (/\bwhat (?:can|do) you (?:help|do)\b|\bhelp me with\b/.test(normalized) && normalized.length < 60)
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

function notKnown(): Draft {
  return {
    text: "I'm sorry, I don't have approved information to answer that. I can pass you to a member of our team if you'd like.",
    citations: [],
    confidence: 0,
    generator: 'grounded-composer',
    declined: true,
  };
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

const STOP_WORDS = new Set(
  'a an and are as at be by can could do does for from had has have how i if in is it its me my of on or our so that the their them then there these this to was we what when where which who why will with would you your about any am get got much many please tell'.split(
    ' ',
  ),
);

/** Lowercased content words with a crude suffix strip, enough to match "fees"/"fee", "charged"/"charge". */
export function contentTerms(text: string): Set<string> {
  const terms = new Set<string>();
  for (const word of text
    .toLowerCase()
    .normalize('NFKC')
    .match(/[\p{L}\p{N}£€$]+/gu) ?? []) {
    if (word.length < 2 || STOP_WORDS.has(word)) continue;
    terms.add(word.replace(/(?:ies|es|s|ed|ing)$/u, '') || word);
  }
  return terms;
}
