/**
 * Handoff triggers. Each looks at one kind of evidence and, when it fires, proposes a decision
 * with a reason, a priority and an explanation an agent can read. `decideHandoff` picks the most
 * urgent proposal. Triggers only read redacted text, so explanations carry no raw PII.
 */

import type { LinearClassifier } from '../classifier/linear-classifier.js';
import { SELF_HARM_RULE, THREAT_RULE } from '../guardrails/input/abuse.js';
import type { PolicySet } from '../policy/load-policies.js';
import { recogniseNeeds } from '../routing/customer-needs.js';
import type { CustomerMessage } from '../turn/turn-context.js';
import type { GuardrailVerdict, HandoffDecision, StoredMessage } from '../turn/types.js';
import { detectEmotionInNormalized } from './emotion.js';
import { similarityOfProfiles, similarityProfile } from './similarity.js';

/** Everything the handoff decision may consider for one turn. Confidences are 0…1 and optional. */
export interface HandoffInput {
  /** The customer's current message, redacted: the turn's message, normalised once for every trigger. */
  readonly message: CustomerMessage;
  /** Earlier messages of the conversation (redacted), oldest first; the current one excluded. */
  readonly history: readonly StoredMessage[];
  /** Input (and, when available, output) guardrail verdicts of this turn. */
  readonly verdicts?: readonly GuardrailVerdict[];
  /** Best retrieval score normalised to 0…1, when retrieval ran. */
  readonly retrievalConfidence?: number;
  /** Intent classifier confidence, when an intent was classified. */
  readonly intentConfidence?: number;
  /** Groundedness score of the draft answer, when an answer was drafted. */
  readonly groundedness?: number;
  readonly topic?: string;
}

export interface TriggerContext {
  readonly policies: PolicySet;
  readonly emotionClassifier?: LinearClassifier;
}

export type HandoffTrigger = (input: HandoffInput, context: TriggerContext) => HandoffDecision | undefined;

export const guardrailTrigger: HandoffTrigger = ({ verdicts = [] }) => {
  const verdict = verdicts.find((candidate) => candidate.tripped && candidate.action === 'handoff');
  if (!verdict) return undefined;
  if (verdict.rule === SELF_HARM_RULE) {
    return {
      reason: 'vulnerability',
      priority: 'urgent',
      explanation: 'Customer message shows signs of self-harm; supportive message sent, needs a person now.',
    };
  }
  if (verdict.rule === THREAT_RULE) {
    return {
      reason: 'guardrail',
      priority: 'urgent',
      explanation:
        'Customer message contains a threat of violence; review and escalate per security procedure.',
    };
  }
  return {
    reason: 'guardrail',
    priority: 'normal',
    explanation: `Guardrail ${verdict.guardrail} asked for a person (${verdict.rule ?? 'no rule'}).`,
  };
};

export const explicitRequestTrigger: HandoffTrigger = (input, { policies }) => {
  const hit = policies.patternSets.explicitRequest.first(input.message.normalized);
  if (!hit) return undefined;
  return {
    reason: 'explicit_request',
    priority: 'normal',
    explanation: 'Customer asked to speak to a person.',
  };
};

/**
 * Needs recognised on the customer's own wording (typos, slang, run-ons): a threat of violence is
 * urgent, a request for a person or a complaint goes to a person at normal priority.
 */
export const customerNeedTrigger: HandoffTrigger = (input, context) => {
  const needs = recogniseNeeds(input.message.text);
  const threat = needs.find((need) => need.need === 'threat');
  if (threat)
    return {
      reason: 'guardrail',
      priority: 'urgent',
      explanation: `Customer message contains a threat of violence ("${threat.cue}"); review and escalate per security procedure.`,
    };
  // A request the policy's own patterns caught is already explained by `explicitRequestTrigger`.
  const person = needs.find((need) => need.need === 'person');
  if (person && !explicitRequestTrigger(input, context))
    return {
      reason: 'explicit_request',
      priority: 'normal',
      explanation: `Customer asked to speak to a person ("${person.cue}").`,
    };
  const complaint = needs.find((need) => need.need === 'complaint');
  if (complaint)
    return {
      reason: 'sensitive_topic',
      priority: 'normal',
      explanation: `Customer is making a complaint ("${complaint.cue}"); complaints are handled by a person.`,
    };
  return undefined;
};

export const vulnerabilityTrigger: HandoffTrigger = (input, { policies }) => {
  const hit = policies.patternSets.vulnerability.first(input.message.normalized)?.item;
  if (!hit) return undefined;
  const kind = hit.id.replace(/^vulnerability\./, '').replace(/_/g, ' ');
  return {
    reason: 'vulnerability',
    priority: 'high',
    explanation: `Possible vulnerability (${kind}); handle with care and offer support options.`,
  };
};

export const sensitiveTopicTrigger: HandoffTrigger = (input, { policies }) => {
  const { topic } = input;
  const hit = policies.patternSets.sensitiveTopics.first(input.message.normalized)?.item;
  const fromTopic =
    !hit && topic && ['fraud', 'disputes', 'complaints'].includes(topic) ? `sensitive.${topic}` : undefined;
  const id = hit?.id ?? fromTopic;
  if (!id) return undefined;
  const fraud = id.includes('fraud');
  return {
    reason: 'sensitive_topic',
    priority: fraud ? 'high' : 'normal',
    explanation: fraud
      ? 'Customer reports possible fraud or unauthorised use; act quickly.'
      : `Sensitive topic (${id.replace(/^sensitive\./, '')}) handled by a person.`,
  };
};

export const emotionTrigger: HandoffTrigger = (input, { policies, emotionClassifier }) => {
  const emotion = detectEmotionInNormalized(input.message.normalized, policies, emotionClassifier);
  if (!emotion.upset) return undefined;
  const cue = emotion.cue ?? 'negative emotion';
  return {
    reason: 'emotional_distress',
    priority: emotion.cue === 'distress' ? 'high' : 'normal',
    explanation: `Customer sounds upset (${cue}; ${emotion.rule ?? `emotion model ${emotion.score.toFixed(2)}`}).`,
  };
};

const NON_ANSWER =
  /\b(?:i(?:'m| am) not (?:able|sure)|i can(?:'t|not) (?:answer|help|find)|i (?:don't|do not) (?:know|have (?:that|this) information)|could you rephrase|i can only help with|not able to answer)\b/i;

/** True when an assistant message did not answer: recorded as such, or worded as a non-answer. */
export function isNonAnswer(message: StoredMessage): boolean {
  const outcome = message.metadata?.outcome;
  if (typeof outcome === 'string' && outcome !== 'answer') return true;
  // A clarifying question or an honest decline is an attempt that did not get an answer.
  const kind = message.metadata?.kind;
  if (kind === 'clarify' || kind === 'declined') return true;
  return NON_ANSWER.test(message.text);
}

export const repeatedFailureTrigger: HandoffTrigger = (input, { policies }) => {
  const threshold = policies.thresholds.rephrase_similarity;
  // Walk back over recent customer messages; a rephrase counts when it follows a non-answer.
  let rephrases = 0;
  let nonAnswers = 0;
  const recent = input.history.slice(-8);
  const current = similarityProfile(input.message.text);
  for (let index = recent.length - 1; index >= 0; index -= 1) {
    const message = recent[index]!;
    if (message.author !== 'customer') continue;
    if (similarityOfProfiles(current, similarityProfile(message.text)) < threshold) break;
    rephrases += 1;
    const reply = recent.slice(index + 1).find((candidate) => candidate.author === 'assistant');
    if (reply && isNonAnswer(reply)) nonAnswers += 1;
  }
  if (nonAnswers >= 1 || rephrases >= 2) {
    return {
      reason: 'repeated_failure',
      priority: 'normal',
      explanation: `Customer has asked the same question ${rephrases + 1} times${nonAnswers ? ` and got ${nonAnswers} non-answer(s)` : ''}.`,
    };
  }
  return undefined;
};

export const lowConfidenceTrigger: HandoffTrigger = (
  { message, retrievalConfidence, intentConfidence, groundedness: measured, verdicts = [], history },
  { policies },
) => {
  // When the caller passes output verdicts but no number, the groundedness rail's score stands in.
  const groundedness =
    measured ??
    verdicts.find((verdict) => verdict.guardrail === 'groundedness' && verdict.score !== undefined)?.score;
  const minimum = policies.thresholds.handoff_confidence;
  const weak: string[] = [];
  if (retrievalConfidence !== undefined && retrievalConfidence < minimum)
    weak.push(`retrieval ${retrievalConfidence.toFixed(2)}`);
  if (intentConfidence !== undefined && intentConfidence < minimum)
    weak.push(`intent ${intentConfidence.toFixed(2)}`);
  if (groundedness !== undefined && groundedness < policies.thresholds.groundedness_minimum)
    weak.push(`groundedness ${groundedness.toFixed(2)}`);
  if (weak.length === 0) return undefined;
  // Unsure once is not a reason for a person: Teller declines or asks first, and hands off when the
  // customer's previous attempt also went unanswered (or when they ask for a person).
  const lastReply = [...history].reverse().find((message) => message.author === 'assistant');
  const lastAsked = [...history].reverse().find((message) => message.author === 'customer');
  const rephrased =
    lastAsked !== undefined &&
    similarityOfProfiles(similarityProfile(message.text), similarityProfile(lastAsked.text)) >=
      policies.thresholds.rephrase_similarity;
  if (!rephrased && (!lastReply || !isNonAnswer(lastReply))) return undefined;
  return {
    reason: 'low_confidence',
    priority: 'low',
    explanation: `Not confident enough to answer (${weak.join(', ')}).`,
  };
};

/** Triggers in tie-break order: among equal priorities, the earlier one explains the handoff. */
export const DEFAULT_TRIGGERS: readonly HandoffTrigger[] = [
  guardrailTrigger,
  vulnerabilityTrigger,
  sensitiveTopicTrigger,
  explicitRequestTrigger,
  emotionTrigger,
  customerNeedTrigger,
  repeatedFailureTrigger,
  lowConfidenceTrigger,
];
