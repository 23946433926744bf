/**
 * The summary an agent reads when picking up a conversation: intent, emotions, why it was handed
 * over, what the customer last asked and what Teller answered. Built from stored (redacted)
 * messages and passed through `redactForLog` once more, so nothing raw can leak into a queue or a
 * webhook even if a stored message slipped through redaction.
 */
import type { LinearClassifier } from '../classifier/linear-classifier.js';
import type { PolicySet } from '../policy/load-policies.js';
import type { HandoffSummary as DeliveredHandoffSummary } from '../turn/handoff-sink.js';
import type { HandoffDecision, StoredMessage } from '../turn/types.js';
import { detectEmotion, type EmotionCue } from './emotion.js';

/** The summary with its emotions narrowed to the cues this module recognises. */
export interface HandoffSummary extends DeliveredHandoffSummary {
  readonly emotions: readonly (EmotionCue | 'negative')[];
}

export interface BuildSummaryOptions {
  readonly messages: readonly StoredMessage[];
  readonly decision: HandoffDecision;
  readonly policies: PolicySet;
  /** From the privacy module: masks anything sensitive left in a text. Required, so it cannot be forgotten. */
  readonly redactForLog: (text: string) => string;
  readonly intent?: string;
  readonly topic?: string;
  readonly emotionClassifier?: LinearClassifier;
  /** How many recent customer messages to include. */
  readonly customerAsks?: number;
  /** Longest quoted message, in characters. */
  readonly maxQuoteLength?: number;
}

function clip(text: string, length: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= length ? flat : `${flat.slice(0, length - 1)}…`;
}

/** Builds the agent-facing summary of a conversation being handed over. */
export function buildHandoffSummary({
  messages,
  decision,
  policies,
  redactForLog,
  intent,
  topic,
  emotionClassifier,
  customerAsks = 3,
  maxQuoteLength = 200,
}: BuildSummaryOptions): HandoffSummary {
  const quote = (text: string) => clip(redactForLog(text), maxQuoteLength);
  const customer = messages.filter((message) => message.author === 'customer');
  const emotions = new Set<EmotionCue | 'negative'>();
  for (const message of customer.slice(-5)) {
    const emotion = detectEmotion(message.text, policies, emotionClassifier);
    if (emotion.upset) emotions.add(emotion.cue ?? 'negative');
  }
  const lastCustomerAsks = customer.slice(-customerAsks).map((message) => quote(message.text));
  const lastAssistant = [...messages].reverse().find((message) => message.author === 'assistant');
  const lastAssistantAnswer = lastAssistant ? quote(lastAssistant.text) : undefined;
  const explanation = redactForLog(decision.explanation);
  const lines = [
    `Handoff: ${decision.reason} (${decision.priority} priority). ${explanation}`,
    `Intent: ${intent ?? 'unknown'}${topic ? `; topic: ${topic}` : ''}`,
    `Emotions: ${emotions.size > 0 ? [...emotions].join(', ') : 'none detected'}`,
    'Customer asked:',
    ...lastCustomerAsks.map((ask) => `- ${ask}`),
    `Teller last answered: ${lastAssistantAnswer ?? '(nothing yet)'}`,
  ];
  return {
    intent,
    topic,
    emotions: [...emotions],
    reason: decision.reason,
    priority: decision.priority,
    explanation,
    lastCustomerAsks,
    lastAssistantAnswer,
    text: lines.join('\n'),
  };
}
