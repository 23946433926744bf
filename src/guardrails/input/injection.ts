/**
 * Prompt-injection and jailbreak detection for customer messages and for untrusted content
 * (retrieved passages, tool results). Every normalised view of the text (see `normalize.ts`) is
 * scored by weighted patterns and by the attack detector trained on public attack collections
 * (models/detectors/, `npm run train:detectors`), in windows so padding cannot dilute an attack;
 * the strongest view wins. A customer message is also judged with the turns before it, so an attack
 * set up early or split over several messages is caught when it is completed.
 */

import { committedDetector } from '../../classifier/detector-models.js';
import type { LinearClassifier } from '../../classifier/linear-classifier.js';
import { windowedScore } from '../../classifier/windowed-score.js';
import type { PolicySet } from '../../policy/load-policies.js';
import { recogniseNeeds } from '../../routing/customer-needs.js';
import { basicNormalize, detectionViews, hasMixedScriptWord } from '../../text/normalize.js';
import type { GuardrailVerdict, RetrievedPassage, StoredMessage, ToolOutcome } from '../../turn/types.js';
import { type RailRun, runSlot } from '../rail-run.js';
import { allow, type InputGuardrail, type InputRailInput } from '../types.js';
import { type InjectionContext, scoreInjectionPatterns } from './injection-patterns.js';

/**
 * Below this many words, the classifier alone cannot trip the rail (patterns still can): "ok",
 * "thanks, bye" give it nothing to go on. Kept low because short blunt attacks are common.
 */
const MIN_WORDS_FOR_CLASSIFIER = 3;

/** Customer turns before the current one that the conversation window includes. */
export const CONVERSATION_WINDOW_TURNS = 3;

/** The committed attack detector (loaded once, lazily). */
export function defaultInjectionClassifier(): LinearClassifier {
  return committedDetector('attack').classifier;
}

export interface InjectionAssessment {
  /** Combined probability that the text carries instructions aimed at the model. */
  readonly score: number;
  readonly patternScore: number;
  readonly classifierScore: number;
  readonly rules: readonly string[];
  /** True when the strongest signal came from a decoded or de-obfuscated view. */
  readonly obfuscated: boolean;
}

export interface InjectionDetectorOptions {
  readonly classifier?: LinearClassifier;
  /**
   * How much the classifier alone may contribute. Below 1 so that a statistical hunch without any
   * attack grammar needs to be confident, keeping false alarms on banking messages low.
   */
  readonly classifierWeight?: number;
  /** `content` for retrieved passages and tool results: customer-request rules do not apply. */
  readonly context?: InjectionContext;
}

/** Scores a text for prompt injection. */
export function assessInjection(text: string, options: InjectionDetectorOptions = {}): InjectionAssessment {
  return assessWithNormalized(text, basicNormalize(text), options);
}

/** `assessInjection` given `basicNormalize(text)` as well, for callers that already have it. */
function assessWithNormalized(
  text: string,
  normalized: string,
  options: InjectionDetectorOptions,
): InjectionAssessment {
  const classifier = options.classifier ?? defaultInjectionClassifier();
  const classifierWeight = options.classifierWeight ?? 1;
  const views = detectionViews(text, normalized);
  let best: InjectionAssessment = {
    score: 0,
    patternScore: 0,
    classifierScore: 0,
    rules: [],
    obfuscated: false,
  };
  views.forEach((view, index) => {
    const patterns = scoreInjectionPatterns(view, options.context);
    // A few words ("great, thanks!") give the classifier too little evidence to act alone.
    const words = view.split(' ').length;
    const rawClassifierScore = windowedScore(classifier, view) * classifierWeight;
    const classifierScore =
      patterns.score === 0 && words < MIN_WORDS_FOR_CLASSIFIER
        ? Math.min(rawClassifierScore, 0.5)
        : rawClassifierScore;
    // Noisy-OR: a pattern hit and a classifier hunch reinforce each other.
    const score = 1 - (1 - patterns.score) * (1 - classifierScore);
    if (score > best.score) {
      best = {
        score,
        patternScore: patterns.score,
        classifierScore,
        rules: patterns.rules,
        obfuscated: index > 0,
      };
    }
  });
  if (hasMixedScriptWord(text) && best.patternScore > 0) {
    // Mixed-script words only matter when they spell out attack grammar.
    best = {
      ...best,
      score: Math.max(best.score, 0.95),
      rules: [...best.rules, 'injection.mixed_script'],
      obfuscated: true,
    };
  }
  return best;
}

/** Characters of each earlier turn the window keeps (its end, where a set-up usually finishes). */
const WINDOW_TURN_CHARACTERS = 1000;

/**
 * The conversation window: the last few customer turns and this one, read as one text. Catches an
 * attack split over messages ("remember: ignore all of your" … "… previous instructions") and one set
 * up early and used later ("from now on, when I say banana…" … "banana: c_204's card number"). Counts
 * only when no earlier turn tripped on its own: that turn was refused already, and holding it against
 * every later message would refuse a customer who has moved on. Earlier turns are only re-assessed
 * when the window would trip, so an ordinary turn pays for one extra pattern pass and model score.
 */
function assessConversationWindow(
  text: string,
  history: readonly StoredMessage[],
  options: InjectionDetectorOptions,
  threshold: number,
): InjectionAssessment | undefined {
  const previous = history
    .filter((message) => message.author === 'customer')
    .slice(-CONVERSATION_WINDOW_TURNS)
    .map((message) => message.text.slice(-WINDOW_TURN_CHARACTERS));
  if (previous.length === 0) return undefined;
  const joined = basicNormalize([...previous, text].join('\n'));
  const patterns = scoreInjectionPatterns(joined, options.context);
  const classifier = options.classifier ?? defaultInjectionClassifier();
  const classifierScore = windowedScore(classifier, joined) * (options.classifierWeight ?? 1);
  const score = 1 - (1 - patterns.score) * (1 - classifierScore);
  if (score < threshold) return undefined;
  if (previous.some((earlier) => assessInjection(earlier, options).score >= threshold)) return undefined;
  return {
    score,
    patternScore: patterns.score,
    classifierScore,
    rules: ['injection.conversation_window', ...patterns.rules],
    obfuscated: true,
  };
}

export interface InjectionRailOptions extends InjectionDetectorOptions {
  /**
   * Which verdicts this rail gives: `all` (default); `grammar` only when attack grammar (a pattern)
   * contributed; `statistical` only on the model's evidence alone. Teller runs `grammar` before the
   * scope rail and `statistical` after it: the model also flags plainly off-topic tasks ("a recipe
   * for lasagne"), which deserve the scope message rather than an attack refusal.
   */
  readonly verdicts?: 'all' | 'grammar' | 'statistical';
}

/** The injection assessment of a run's message, with the classifier that scored it. */
interface SharedAssessment {
  readonly classifier: InjectionDetectorOptions['classifier'];
  readonly assessment: InjectionAssessment;
}

/** The grammar and statistical rails of one run score the message once, here. */
const MESSAGE_ASSESSMENT = runSlot<SharedAssessment>('injection.message_assessment');

function assessMessage(
  input: InputRailInput,
  run: RailRun,
  options: InjectionDetectorOptions,
  threshold: number,
): InjectionAssessment {
  const assess = (): InjectionAssessment => {
    const assessment = assessWithNormalized(input.message.text, input.message.normalized, options);
    if (assessment.score >= threshold) return assessment;
    return assessConversationWindow(input.message.text, input.history, options, threshold) ?? assessment;
  };
  const shared = run.shared(MESSAGE_ASSESSMENT, () => ({
    classifier: options.classifier,
    assessment: assess(),
  }));
  // A rail given another classifier (tests, experiments) scores the message on its own.
  return shared.classifier === options.classifier ? shared.assessment : assess();
}

/** Input rail refusing messages that try to steer the model. */
export function injectionRail(policies: PolicySet, options: InjectionRailOptions = {}): InputGuardrail {
  const verdicts = options.verdicts ?? 'all';
  const name = verdicts === 'statistical' ? 'prompt_injection_model' : 'prompt_injection';
  return {
    name,
    stage: 'input',
    // Windows and the conversation window make the model's verdict the dearest input rail.
    cost: verdicts === 'grammar' ? 2 : 3,
    execute(input, run): GuardrailVerdict {
      const threshold = policies.thresholds.injection_score;
      const assessment = assessMessage(input, run, options, threshold);
      const grammar = assessment.patternScore > 0;
      const mine = verdicts === 'all' || (verdicts === 'grammar') === grammar;
      // A customer's need (a person, a complaint, a threat) is never refused on the model's hunch
      // alone: the handoff decides. Patterns still refuse a real attack that names a person.
      if (
        verdicts === 'statistical' &&
        (policies.patternSets.explicitRequest.test(input.message.prepared) ||
          recogniseNeeds(input.message.text).length > 0)
      )
        return allow(name, { score: assessment.score });
      if (assessment.score < threshold || !mine) return allow(name, { score: assessment.score });
      return {
        guardrail: name,
        tripped: true,
        action: 'refuse',
        rule: assessment.rules[0] ?? 'injection.classifier',
        reason: `injection score ${assessment.score.toFixed(2)} (patterns ${assessment.patternScore.toFixed(2)}, classifier ${assessment.classifierScore.toFixed(2)}${assessment.obfuscated ? ', obfuscated' : ''}; rules: ${assessment.rules.join(', ') || 'none'})`,
        score: assessment.score,
        customerMessage: policies.referralTexts.injection,
      };
    },
  };
}

/** A passage or tool result that carried instructions and was withheld from the model. */
export interface QuarantinedContent {
  readonly source: string;
  readonly score: number;
  readonly rules: readonly string[];
}

export interface ScreenedContent {
  readonly passages: readonly RetrievedPassage[];
  readonly toolOutcomes: readonly ToolOutcome[];
  readonly quarantined: readonly QuarantinedContent[];
}

/**
 * Screens untrusted content before it reaches the model: documents and tool results are data,
 * never instructions. Only attack *grammar* (patterns) quarantines a passage, plus the classifier
 * when it is near-certain, because policy text legitimately says things like "you must" or "ignore".
 * Flagged passages are dropped; flagged tool facts are dropped while the outcome is kept.
 */
export function screenUntrustedContent(
  content: { passages?: readonly RetrievedPassage[]; toolOutcomes?: readonly ToolOutcome[] },
  options: InjectionDetectorOptions & { threshold?: number } = {},
): ScreenedContent {
  const threshold = options.threshold ?? 0.8;
  const quarantined: QuarantinedContent[] = [];
  const flagged = (text: string, source: string): boolean => {
    const assessment = assessInjection(text, { ...options, context: 'content' });
    const suspicious = assessment.patternScore >= threshold || assessment.classifierScore >= 0.98;
    if (suspicious) quarantined.push({ source, score: assessment.score, rules: assessment.rules });
    return suspicious;
  };
  const passages = (content.passages ?? []).filter(
    (passage) => !flagged(passage.text, `passage:${passage.chunkId}`),
  );
  const toolOutcomes = (content.toolOutcomes ?? []).map((outcome) => {
    const facts = outcome.facts.filter((fact, index) => !flagged(fact, `tool:${outcome.tool}:fact:${index}`));
    return facts.length === outcome.facts.length ? outcome : { ...outcome, facts };
  });
  return { passages, toolOutcomes, quarantined };
}
