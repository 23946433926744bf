/**
 * Answer-selection suite: does the answer answer the question that was asked? Customer-style
 * questions over the committed knowledge corpus go through the whole pipeline (as customer c_123),
 * and each answer is judged by rule against the passages that answer the question.
 *
 * Cases: `evals/answer-selection/dev.yaml` (the split whose failures may be studied while tuning)
 * and `evals/answer-selection/test.yaml` (held out: written before tuning and never changed since).
 * Every metric is reported per split (`dev.*`, `test.*`).
 *
 * Metrics per split:
 * - `decision_accuracy`: questions where Teller answered exactly when a document answers them.
 * - `answer_rate`: answerable questions that got an answer.
 * - `on_topic_rate`: answered answerable questions whose answer cites a section graded 2 (the
 *   passage that answers the question) rather than a related section or another topic.
 * - `answer_relevance`: mean graded relevance of answered answerable questions: 1 when a cited
 *   section answers the question, 0.5 when it is only related, 0 otherwise.
 * - `fact_recall`: expected facts (figures, numbers, names) found in the answers.
 * - `honest_decline_rate`: questions no document answers that got a decline (a refusal, a
 *   handoff, or the honest "I don't have information on that here").
 * - `unsupported_amounts`: £ amounts and percentages of answers that no cited document states.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { isHonestDontKnow, unsupportedFigures } from '../answers/grounding.js';
import { projectRoot } from '../framework/datasets.js';
import type { TurnResponse } from '../framework/http-target.js';
import { openTellerHarness, redactForReport, type TellerHarness } from '../framework/teller-harness.js';
import type { EvalSuite, SuiteContext, SuiteFailure, SuiteResult } from '../framework/types.js';

/** `<document id>#<section heading>`: one section of one knowledge document. */
const sectionReference = z.string().regex(/^[a-z0-9-]+#.+$/);

const questionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    style: z.enum(['short', 'paraphrase', 'colloquial', 'misspelt', 'formal', 'long', 'multi-part']),
    q: z.string().min(1),
    expect: z.enum(['answer', 'decline']).default('answer'),
    answers: z.array(sectionReference).default([]),
    related: z.array(sectionReference).default([]),
    facts: z.array(z.string()).default([]),
  })
  .strict()
  .refine(
    (value) => (value.expect === 'answer') === value.answers.length > 0,
    'an answerable question lists the sections that answer it; a decline lists none',
  );
export type SelectionQuestion = z.infer<typeof questionSchema>;

const splitFileSchema = z
  .object({
    version: z.literal(1),
    split: z.enum(['dev', 'test']),
    questions: z.array(questionSchema).min(1),
  })
  .strict();

export const SPLITS = ['dev', 'test'] as const;
type Split = (typeof SPLITS)[number];

/** Questions per split in a fast run. */
const FAST_QUESTIONS_PER_SPLIT = 4;

/** Reads one split, checking ids are unique and every section exists in the committed corpus. */
export function loadSelectionQuestions(split: Split): SelectionQuestion[] {
  const path = resolve(projectRoot, 'evals', 'answer-selection', `${split}.yaml`);
  const parsed = splitFileSchema.safeParse(parseYaml(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path} is invalid: ${z.prettifyError(parsed.error)}`);
  if (parsed.data.split !== split) throw new Error(`${path} declares split ${parsed.data.split}`);
  const seen = new Set<string>();
  for (const question of parsed.data.questions) {
    if (seen.has(question.id)) throw new Error(`${path}: duplicate id ${question.id}`);
    seen.add(question.id);
  }
  return parsed.data.questions;
}

/** The graded relevance (0, 1 or 2) of the best section an answer cites. */
export function citedRelevance(
  question: Pick<SelectionQuestion, 'answers' | 'related'>,
  citations: readonly { documentId: string; section?: unknown }[],
): number {
  let best = 0;
  for (const citation of citations) {
    const reference = `${citation.documentId}#${String(citation.section ?? '')}`;
    if (question.answers.includes(reference)) best = Math.max(best, 2);
    else if (question.related.includes(reference)) best = Math.max(best, 1);
  }
  return best;
}

interface SplitTotals {
  questions: number;
  decisionsCorrect: number;
  answerable: number;
  answered: number;
  onTopic: number;
  relevance: number;
  facts: number;
  factsFound: number;
  declineQuestions: number;
  declined: number;
  unsupported: number;
}

const emptyTotals = (): SplitTotals => ({
  questions: 0,
  decisionsCorrect: 0,
  answerable: 0,
  answered: 0,
  onTopic: 0,
  relevance: 0,
  facts: 0,
  factsFound: 0,
  declineQuestions: 0,
  declined: 0,
  unsupported: 0,
});

export async function runAnswerSelection(
  context: SuiteContext,
  harness: TellerHarness,
): Promise<SuiteResult> {
  const splits = SPLITS.map((split) => {
    const questions = loadSelectionQuestions(split);
    return { split, questions: context.fast ? questions.slice(0, FAST_QUESTIONS_PER_SPLIT) : questions };
  });
  const total = splits.reduce((sum, { questions }) => sum + questions.length, 0);
  const customer = harness.customer('c_123');
  const failures: SuiteFailure[] = [];
  const totals = new Map<Split, SplitTotals>();
  const byStyle = new Map<string, { questions: number; passed: number }>();
  let done = 0;

  for (const { split, questions } of splits) {
    const splitTotals = emptyTotals();
    totals.set(split, splitTotals);
    for (const question of questions) {
      const turn = await customer.send(await customer.startConversation(), question.q);
      const problems = judge(question, turn, splitTotals, harness);
      // The held-out split reports only its totals, so it is never tuned against case by case.
      if (split === 'dev') {
        for (const problem of problems)
          failures.push({
            id: `${split}.${question.id}`,
            input: redactForReport(question.q),
            expected: problem.expected,
            actual: problem.actual,
            note: problem.what,
          });
      }
      const style = byStyle.get(`${split}.${question.style}`) ?? { questions: 0, passed: 0 };
      style.questions += 1;
      if (problems.length === 0) style.passed += 1;
      byStyle.set(`${split}.${question.style}`, style);
      done += 1;
      context.progress(done, total);
    }
  }

  const ratio = (part: number, whole: number) => (whole === 0 ? 1 : part / whole);
  const metrics: Record<string, number> = {};
  for (const [split, t] of totals) {
    metrics[`${split}.questions`] = t.questions;
    metrics[`${split}.decision_accuracy`] = ratio(t.decisionsCorrect, t.questions);
    metrics[`${split}.answer_rate`] = ratio(t.answered, t.answerable);
    metrics[`${split}.on_topic_rate`] = ratio(t.onTopic, t.answered);
    metrics[`${split}.answer_relevance`] = ratio(t.relevance, t.answered);
    metrics[`${split}.fact_recall`] = ratio(t.factsFound, t.facts);
    metrics[`${split}.honest_decline_rate`] = ratio(t.declined, t.declineQuestions);
    metrics[`${split}.decline_questions`] = t.declineQuestions;
    metrics[`${split}.unsupported_amounts`] = t.unsupported;
  }
  return {
    metrics,
    failures,
    tables: [
      {
        title: `answer-selection: ${total} questions by split and style`,
        columns: ['split.style', 'questions', 'passed'],
        rows: [...byStyle.entries()].map(([style, group]) => [style, group.questions, group.passed]),
      },
    ],
    provenance: {
      mode: harness.mode,
      day: harness.day,
      questions: 'evals/answer-selection/dev.yaml, evals/answer-selection/test.yaml',
    },
  };
}

/** The compliance texts the output rails may append verbatim (disclosures, referrals). */
const disclosures = ['output-rules.yaml', 'referral-texts.yaml'].map((name) =>
  readFileSync(resolve(projectRoot, 'knowledge', 'policies', name), 'utf8'),
);

function judge(question: SelectionQuestion, turn: TurnResponse, totals: SplitTotals, harness: TellerHarness) {
  const problems: Array<{ what: string; expected: unknown; actual: unknown }> = [];
  const answered = turn.outcome === 'answer' && !isHonestDontKnow(turn.text);
  const citations = turn.citations as readonly { documentId: string; section?: unknown }[];
  const actual = {
    outcome: turn.outcome,
    text: redactForReport(turn.text).slice(0, 500),
    citations: citations.map((citation) => `${citation.documentId}#${String(citation.section ?? '')}`),
    rules: turn.rules,
  };
  totals.questions += 1;
  if (answered === (question.expect === 'answer')) totals.decisionsCorrect += 1;
  else problems.push({ what: 'decision', expected: question.expect, actual });

  if (question.expect === 'decline') {
    totals.declineQuestions += 1;
    if (!answered) totals.declined += 1;
  } else {
    totals.answerable += 1;
    if (answered) {
      totals.answered += 1;
      const relevance = citedRelevance(question, citations);
      totals.relevance += relevance / 2;
      if (relevance === 2) totals.onTopic += 1;
      else problems.push({ what: 'off topic', expected: { anyOf: question.answers }, actual });
    }
    const lowered = turn.text.toLowerCase();
    for (const fact of question.facts) {
      totals.facts += 1;
      if (lowered.includes(fact.toLowerCase())) totals.factsFound += 1;
      else problems.push({ what: 'fact', expected: fact, actual });
    }
  }

  if (citations.length > 0) {
    const support = [
      ...citations.flatMap((citation) => {
        const document = harness.documents.get(citation.documentId);
        return document ? [document.body] : [];
      }),
      ...disclosures,
    ];
    const unsupported = unsupportedFigures(turn.text, support);
    totals.unsupported += unsupported.length;
    if (unsupported.length > 0) problems.push({ what: 'unsupported figures', expected: [], actual });
  }
  return problems;
}

export const suite: EvalSuite = {
  name: 'answer-selection',
  description:
    'Answers answer the question asked: cited section answers it, expected facts present, honest decline when no document answers',
  async run(context) {
    const harness = await openTellerHarness(context);
    try {
      return await runAnswerSelection(context, harness);
    } finally {
      await harness.close();
    }
  },
};
