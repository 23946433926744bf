import type { LinearClassifier } from '../classifier/linear-classifier.js';
import { isConfidentHandoffRequest } from '../generation/grounded-composer.js';
import { decideHandoff } from '../handoff/decide-handoff.js';
import { buildHandoffSummary } from '../handoff/summary.js';
import type { PolicySet } from '../policy/load-policies.js';
import { recogniseNeeds } from '../routing/customer-needs.js';
import { handoffRequestOf } from '../tools/define-tool.js';
import type { HandoffStage } from '../turn/stages.js';
import type { HandoffDecision } from '../turn/types.js';

const NEXT_STEPS: Record<HandoffDecision['priority'], string> = {
  urgent:
    "I'm passing this to a member of our team straight away; they will reply here as soon as possible. If you are in danger or thinking of harming yourself, please call 999 or Samaritans on 116 123 (free, 24 hours).",
  high: "I've passed this conversation to a member of our team. They can see what we've discussed and will reply here shortly.",
  normal:
    "I've passed this conversation to a member of our team. They can see what we've discussed and will reply here; you don't need to repeat yourself.",
  low: "I've asked a member of our team to pick this up. They will reply here.",
};

/** The handoff module (triggers, emotion cues, summary) seen as the pipeline's handoff stage. */
export function handoffStage(options: {
  readonly policies: () => PolicySet;
  readonly redactForLog: (text: string) => string;
  readonly emotionClassifier?: LinearClassifier;
}): HandoffStage {
  return {
    decide(input) {
      const fromTool = input.toolOutcomes.map(handoffRequestOf).find((request) => request !== undefined);
      const decision = decideHandoff(
        {
          message: input.message,
          history: input.history,
          verdicts: input.verdicts,
          retrievalConfidence:
            input.route.kind === 'knowledge' || input.route.kind === 'unknown'
              ? input.retrievalConfidence
              : undefined,
          // Intent certainty matters only where it chose an account action; knowledge questions are judged by retrieval.
          intentConfidence: input.route.kind === 'tool' ? input.route.confidence : undefined,
          groundedness: input.answered ? input.groundedness : undefined,
          ...(input.route.topic && { topic: input.route.topic }),
        },
        {
          policies: options.policies(),
          ...(options.emotionClassifier && { emotionClassifier: options.emotionClassifier }),
        },
      );
      const askedForPerson: HandoffDecision | undefined = isConfidentHandoffRequest(input.route)
        ? {
            reason: 'explicit_request',
            priority: 'normal',
            explanation: 'Customer asked to speak to a person.',
          }
        : undefined;
      const chosen = decision ?? fromTool ?? askedForPerson;
      return (
        chosen && {
          reason: chosen.reason,
          priority: chosen.priority,
          explanation: chosen.explanation,
          emotions: [],
        }
      );
    },
    summarize({ transcript, decision, intent, topic }) {
      return buildHandoffSummary({
        messages: transcript,
        decision,
        policies: options.policies(),
        redactForLog: options.redactForLog,
        intent,
        ...(topic && { topic }),
        ...(options.emotionClassifier && { emotionClassifier: options.emotionClassifier }),
      });
    },
    customerMessage: (decision) => NEXT_STEPS[decision.priority],
    // A threat or a request for a person; a complaint worded as an insult keeps the refusal alone.
    needsPersonDespiteRefusal: (text) => recogniseNeeds(text).some((need) => need.need !== 'complaint'),
  };
}
