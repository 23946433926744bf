import { createHash, randomUUID } from 'node:crypto';

import type { PendingAction } from '../store/pending-action-store.js';

/** JSON with sorted keys, so equal arguments hash equally whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Binds a tool name and its arguments into one digest. */
export function hashToolArguments(tool: string, args: unknown): string {
  return createHash('sha256')
    .update(`${tool}\n${canonicalJson(args)}`)
    .digest('hex');
}

/** Creates a pending action valid for `ttlMs` from `now`. */
export function createPendingAction(input: {
  customerId: string;
  conversationId: string;
  tool: string;
  arguments: Record<string, unknown>;
  summary: string;
  now: Date;
  ttlMs: number;
}): PendingAction {
  return {
    id: `pa_${randomUUID()}`,
    customerId: input.customerId,
    conversationId: input.conversationId,
    tool: input.tool,
    arguments: input.arguments,
    argumentsHash: hashToolArguments(input.tool, input.arguments),
    summary: input.summary,
    createdAt: input.now.toISOString(),
    expiresAt: new Date(input.now.getTime() + input.ttlMs).toISOString(),
  };
}

/**
 * A reply confirms only when it is nothing but a yes: every word comes from this closed
 * vocabulary of affirmations, politeness and pointers back at the question ("yes freeze it",
 * "ok go ahead", "yes please"). Any other word (a card, an amount, "balance", "show") means the
 * customer is saying something else, so it is not an answer to the question, however it starts.
 */
const affirmations = new Set([
  'yes',
  'yeah',
  'yea',
  'yep',
  'yup',
  'ya',
  'y',
  'aye',
  'sure',
  'ok',
  'okay',
  'k',
  'confirm',
  'confirmed',
  'correct',
  'absolutely',
  'definitely',
  'certainly',
  'right',
  'proceed',
  'fine',
  'please',
  'pls',
  'plz',
  'go',
  'do',
  'agreed',
]);
const fillers = new Set([
  'ahead',
  'it',
  'that',
  'this',
  'now',
  'thanks',
  'thank',
  'you',
  'ta',
  "that's",
  'thats',
  'is',
  'for',
  'on',
  'with',
  'i',
  'confirm',
  'please',
  'sounds',
  'good',
  'just',
  'then',
  'indeed',
  'oh',
  'and',
  'yes',
  'very',
  'much',
  'so',
  'alright',
  'all',
  'cheers',
]);
/** Words that restate a pending action's own verb: "yes, freeze it" still answers the question. */
const actionVerbs: Readonly<Record<string, readonly string[]>> = {
  freeze_card: ['freeze', 'block', 'lock'],
  unfreeze_card: ['unfreeze', 'unblock', 'unlock'],
  report_card_lost: ['report', 'block', 'replace'],
  dispute_transaction: ['dispute', 'raise', 'open', 'submit', 'send'],
};
const anyActionVerb = new Set(Object.values(actionVerbs).flat());
const declineWords = new Set([
  'no',
  'nope',
  'nah',
  'n',
  'cancel',
  'stop',
  "don't",
  'dont',
  'not',
  'never',
  'mind',
  'wait',
  'hold',
  'on',
  'now',
  'thanks',
  'thank',
  'you',
  'leave',
  'it',
  'do',
  'please',
  'forget',
]);
const declineCores = new Set([
  'no',
  'nope',
  'nah',
  'n',
  'cancel',
  'stop',
  "don't",
  'dont',
  'wait',
  'never',
  'forget',
  'hold',
]);
const negations = new Set(['no', 'not', "don't", 'dont', 'never', 'cancel', 'stop', 'wait', 'nope', 'nah']);

/**
 * Reads a customer's reply to a confirmation question. Strict on purpose: it confirms only a
 * reply made of a yes and nothing else ("yes", "yes please", "go ahead", "ok do it"); a message
 * that starts with "please", "ok", "right" or "sure" but asks for something else ("ok what is my
 * balance?", "please freeze my credit card") is `unclear`, and the caller treats it as a new
 * request. A question mark is never a yes. A plain no ("no", "cancel", "no thanks") declines.
 * With `tool`, only that action's own verb may be restated ("yes freeze it" does not confirm an
 * unfreeze).
 */
export function classifyConfirmationReply(text: string, tool?: string): 'confirm' | 'decline' | 'unclear' {
  const verbs = tool === undefined ? anyActionVerb : new Set(actionVerbs[tool] ?? []);
  const lowered = text.toLowerCase().replace(/[’‘]/g, "'");
  if (lowered.includes('?')) return 'unclear';
  const normalised = lowered
    .replace(/[^a-z0-9' ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (normalised.length === 0 || normalised.length > 60) return 'unclear';
  const words = normalised.split(' ');
  if (words.some((word) => declineCores.has(word)) || words[0] === 'no') {
    // A decline is a reply made only of no-words ("no", "no thanks", "cancel it", "never mind").
    return words.every((word) => declineWords.has(word)) ? 'decline' : 'unclear';
  }
  if (words.some((word) => negations.has(word))) return 'unclear';
  const onlyAnswerWords = words.every(
    (word) => affirmations.has(word) || fillers.has(word) || verbs.has(word),
  );
  const hasAffirmation =
    words.some((word) => affirmations.has(word) && word !== 'do' && word !== 'go') ||
    /\b(?:go ahead|do it|do that|go for it|sounds good)\b/.test(normalised);
  return onlyAnswerWords && hasAffirmation ? 'confirm' : 'unclear';
}
