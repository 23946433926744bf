/**
 * What Teller says when it should not answer from what it found: a banking topic it has no
 * documents for gets an honest "not here" and where to go (the policy's `banking_referrals`), and a
 * question it is unsure about gets one clarifying question offering the closest topics (the titles
 * of the documents retrieval found), or an honest decline when there is nothing to offer. A reply
 * naming one of the offered topics ("the second one", "card limits") is answered as that topic.
 *
 * Everything it needs is passed in: the offered topics and the question travel in the assistant
 * message's stored metadata, so the next turn reads them from the conversation, not from a cache.
 */
import { z } from 'zod';
import type { PolicySet } from '../policy/load-policies.js';
import { basicNormalize } from '../text/normalize.js';
import { contentWords } from '../text/sentences.js';
import type { ClarificationStage, ClarifiedQuestion, UnsureInput, UnsureReply } from '../turn/stages.js';
import type { StoredMessage } from '../turn/types.js';

/** How many topics a clarifying question offers at most. */
const MOST_OPTIONS = 3;
/** A reply longer than this is a new question, not a choice among the offered topics. */
const LONGEST_CHOICE_WORDS = 10;

const clarifyMetadataSchema = z.object({
  kind: z.literal('clarify'),
  question: z.string().min(1),
  options: z
    .array(z.object({ documentId: z.string().min(1), title: z.string().min(1) }))
    .min(2)
    .max(MOST_OPTIONS),
});

/** The declined reply when nothing close was found; worded so it makes no claim. */
export const GENERIC_DECLINE =
  "I'm sorry, I don't have information on that here. You could ask it in other words, or ask me for a person and a member of our team will help.";

/** The clarification stage over the policies in force (read per turn: compliance can publish). */
export function clarificationStage(options: { readonly policies: () => PolicySet }): ClarificationStage {
  return {
    resolve: (text, history) => resolveClarificationReply(text, history),
    unsure: (input) => unsureReply(input, options.policies()),
  };
}

/**
 * The reply Teller gives instead of an answer, or undefined when it should answer. A banking topic
 * without documents (no retrieved title or section names it) declines with where to go; weak
 * retrieval asks which of the closest two or three topics was meant, or declines when there are
 * fewer than two.
 */
export function unsureReply(input: UnsureInput, policies: PolicySet): UnsureReply | undefined {
  const rule = policies.patternSets.bankingReferrals.first(basicNormalize(input.text))?.item;
  if (rule) {
    const covered = input.passages
      .slice(0, MOST_OPTIONS)
      .some((passage) =>
        rule.patterns.some((pattern) => pattern.test(basicNormalize(`${passage.title} ${passage.section}`))),
      );
    if (!covered) return { kind: 'declined', rule: rule.id, text: referralText(rule) };
  }
  if (input.retrievalConfidence >= policies.thresholds.handoff_confidence) return undefined;
  const options: { documentId: string; title: string }[] = [];
  for (const passage of input.passages) {
    if (options.length === MOST_OPTIONS) break;
    if (!options.some((option) => option.documentId === passage.documentId))
      options.push({ documentId: passage.documentId, title: passage.title });
  }
  if (options.length < 2) return { kind: 'declined', rule: 'unsure.nothing_close', text: GENERIC_DECLINE };
  const titles = options.map((option) => `"${option.title}"`);
  const listed = `${titles.slice(0, -1).join(', ')} or ${titles.at(-1)}`;
  return {
    kind: 'clarify',
    rule: 'unsure.clarify',
    text: `I couldn't find a clear answer to that. Is your question about ${listed}? You can answer with the topic, or ask it in other words.`,
    options,
    question: input.text,
  };
}

/**
 * The honest decline for a question no approved passage answers: that Teller has no information on
 * it here, and where to get it (the policy's `banking_referrals` entry the question names, or a
 * person). Used by the grounded composer when the passages it was given do not answer the question.
 */
export function honestDecline(question: string, policies: PolicySet): { rule: string; text: string } {
  const rule = policies.patternSets.bankingReferrals.first(basicNormalize(question))?.item;
  return rule
    ? { rule: rule.id, text: referralText(rule) }
    : { rule: 'unsure.not_answered', text: GENERIC_DECLINE };
}

function referralText(rule: { readonly name: string; readonly where: string }): string {
  return `I'm sorry, I don't have information on ${rule.name} here. ${rule.where}`;
}

const ORDINALS: ReadonlyArray<readonly [RegExp, (count: number) => number]> = [
  [/\b(?:first|1st|1)\b/, () => 0],
  [/\b(?:second|2nd|two|2|middle)\b/, () => 1],
  [/\b(?:third|3rd|three|3)\b/, () => 2],
  [/\b(?:last|final)\b/, (count) => count - 1],
];

/**
 * When the last assistant message asked a clarifying question and this short reply picks one of its
 * topics (by position or by the topic's words), the question to answer now: the topic's title with
 * the customer's original question.
 */
export function resolveClarificationReply(
  text: string,
  history: readonly StoredMessage[],
): ClarifiedQuestion | undefined {
  const lastReply = [...history].reverse().find((message) => message.author === 'assistant');
  const asked = clarifyMetadataSchema.safeParse(lastReply?.metadata);
  if (!asked.success) return undefined;
  const normalized = basicNormalize(text);
  if (normalized.split(' ').length > LONGEST_CHOICE_WORDS) return undefined;
  const { options, question } = asked.data;
  const chosen = chooseByTitle(normalized, options) ?? chooseByPosition(normalized, options);
  if (!chosen) return undefined;
  return { query: `${chosen.title}: ${question}`, documentId: chosen.documentId, title: chosen.title };
}

function chooseByPosition<Option>(normalized: string, options: readonly Option[]): Option | undefined {
  const found = ORDINALS.filter(([pattern]) => pattern.test(normalized));
  // "the first or the second" names no single topic.
  if (found.length !== 1) return undefined;
  return options[found[0]![1](options.length)];
}

/** The option whose title shares the most words with the reply, when one clearly does. */
function chooseByTitle<Option extends { title: string }>(
  normalized: string,
  options: readonly Option[],
): Option | undefined {
  const words = contentWords(normalized);
  const scored = options
    .map((option) => {
      const title = contentWords(option.title);
      let shared = 0;
      for (const word of words) if (title.has(word)) shared += 1;
      return { option, shared, unique: shared - sharedWithOthers(words, option, options) };
    })
    .filter((candidate) => candidate.shared > 0 && candidate.unique > 0)
    .sort((left, right) => right.unique - left.unique);
  if (scored.length === 0) return undefined;
  if (scored.length > 1 && scored[1]!.unique === scored[0]!.unique) return undefined;
  return scored[0]!.option;
}

/** Reply words found in this option's title that also appear in another offered title. */
function sharedWithOthers<Option extends { title: string }>(
  words: ReadonlySet<string>,
  option: Option,
  options: readonly Option[],
): number {
  const own = contentWords(option.title);
  const others = new Set(
    options.filter((other) => other !== option).flatMap((other) => [...contentWords(other.title)]),
  );
  let count = 0;
  for (const word of words) if (own.has(word) && others.has(word)) count += 1;
  return count;
}
