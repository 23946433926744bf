/**
 * Answers suite: final answers of the whole pipeline (in-process on embedded defaults, or a
 * deployed Teller with `--target`), judged for groundedness, citations and refusals.
 *
 * Cases: `evals/answers/cases.yaml` (policy questions with expected documents and facts, and
 * questions Teller must not answer) plus a seeded sample of `evals/retrieval/questions.yaml`.
 *
 * Metrics:
 * - `citation_accuracy`: answerable cases whose answer cites an expected document and only
 *   in-force documents.
 * - `fact_recall`: expected facts (e.g. "£15") found in the answers.
 * - `refusal_accuracy`: cases where Teller answered exactly when it should (answerable → answer;
 *   must-not-answer → refusal, handoff or an honest "I don't have information on that here").
 * - `unsupported_amounts`: £ amounts and percentages in answers that no cited document (or
 *   compliance disclosure) states verbatim. Must be 0.
 * - `out_of_force_leaks`: answers that contain a figure only a retired/draft/future document
 *   states, a case's forbidden text, or a citation of an out-of-force document. Must be 0.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { sample } from '../../src/common/seeded-random.js';
import {
  figuresFoundIn,
  isHonestDontKnow,
  outOfForceOnlyFigures,
  unsupportedFigures,
} from '../answers/grounding.js';
import { projectRoot } from '../framework/datasets.js';
import type { TurnResponse } from '../framework/http-target.js';
import {
  openTellerHarness,
  policyVersions,
  redactForReport,
  type TellerHarness,
} from '../framework/teller-harness.js';
import type { EvalSuite, SuiteContext, SuiteFailure, SuiteResult } from '../framework/types.js';

const answerCaseSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    category: z.string(),
    question: z.string().min(1),
    expect: z.enum(['answer', 'decline']),
    cite: z.array(z.string()).default([]),
    facts: z.array(z.string()).default([]),
    forbidden: z.array(z.string()).default([]),
    known_issue: z.string().optional(),
  })
  .strict()
  .refine((value) => value.expect === 'decline' || value.cite.length > 0, 'an answer case lists `cite`');
export type AnswerCase = z.infer<typeof answerCaseSchema>;

const casesFileSchema = z.object({ version: z.literal(1), cases: z.array(answerCaseSchema).min(1) }).strict();

const questionsFileSchema = z.object({
  questions: z.array(
    z.object({ id: z.string(), text: z.string(), relevant: z.array(z.string()).min(1), kind: z.string() }),
  ),
});

/** How many retrieval questions join the hand-written cases (full run / fast run). */
const QUESTION_SAMPLE = { full: 40, fast: 3 } as const;
/** Hand-written cases per category in a fast run. */
const FAST_CASES_PER_CATEGORY = 1;

/** Reads the hand-written cases and checks ids are unique. */
export function loadAnswerCases(path = resolve(projectRoot, 'evals', 'answers', 'cases.yaml')): AnswerCase[] {
  const parsed = casesFileSchema.safeParse(parseYaml(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path} is invalid: ${z.prettifyError(parsed.error)}`);
  const seen = new Set<string>();
  for (const answerCase of parsed.data.cases) {
    if (seen.has(answerCase.id)) throw new Error(`${path}: duplicate id ${answerCase.id}`);
    seen.add(answerCase.id);
  }
  return parsed.data.cases;
}

/** A seeded sample of the retrieval questions, as answerable cases citing their relevant documents. */
export function sampleQuestionCases(count: number, seed: number): AnswerCase[] {
  const path = resolve(projectRoot, 'evals', 'retrieval', 'questions.yaml');
  const { questions } = questionsFileSchema.parse(parseYaml(readFileSync(path, 'utf8')));
  return sample(questions, count, seed).map((question) => ({
    id: `questions-${question.id}`,
    category: `questions.${question.kind}`,
    question: question.text,
    expect: 'answer' as const,
    cite: question.relevant,
    facts: [],
    forbidden: [],
  }));
}

/** The cases a run asks: everything, or the first few per category when `fast`. */
export function selectAnswerCases(context: Pick<SuiteContext, 'fast' | 'seed'>): AnswerCase[] {
  const cases = loadAnswerCases();
  const chosen = context.fast ? firstPerCategory(cases, FAST_CASES_PER_CATEGORY) : cases;
  return [
    ...chosen,
    ...sampleQuestionCases(context.fast ? QUESTION_SAMPLE.fast : QUESTION_SAMPLE.full, context.seed),
  ];
}

function firstPerCategory<T extends { category: string }>(items: readonly T[], perCategory: number): T[] {
  const counts = new Map<string, number>();
  return items.filter((item) => {
    const count = counts.get(item.category) ?? 0;
    counts.set(item.category, count + 1);
    return count < perCategory;
  });
}

/** The compliance texts the output rails may append verbatim (disclosures, referrals). */
function disclosureTexts(): string[] {
  return ['output-rules.yaml', 'referral-texts.yaml'].map((name) =>
    readFileSync(resolve(projectRoot, 'knowledge', 'policies', name), 'utf8'),
  );
}

/** Runs the answers cases against an open harness (shared by the suite and the fast unit test). */
export async function runAnswers(context: SuiteContext, harness: TellerHarness): Promise<SuiteResult> {
  const cases = selectAnswerCases(context);
  const documents = harness.documents;
  const leakFigures = outOfForceOnlyFigures(documents.values());
  const disclosures = disclosureTexts();
  const customer = harness.customer('c_123');
  const failures: SuiteFailure[] = [];
  const citedVersions = new Set<string>();
  const totals = {
    citationChecks: 0,
    citationCorrect: 0,
    facts: 0,
    factsFound: 0,
    decisionsCorrect: 0,
    unsupported: 0,
    leaks: 0,
  };
  const byCategory = new Map<string, { cases: number; passed: number }>();

  for (const [index, answerCase] of cases.entries()) {
    const turn = await customer.send(await customer.startConversation(), answerCase.question);
    const problems = judge(answerCase, turn);
    for (const citation of turn.citations) {
      const document = documents.get(citation.documentId);
      citedVersions.add(`${citation.documentId}@${document?.version ?? String(citation.version ?? '?')}`);
    }
    const record = (problem: string, expected: unknown, actual: unknown) =>
      failures.push({
        id: `${answerCase.id}`,
        input: redactForReport(answerCase.question),
        expected,
        actual,
        note: [problem, answerCase.known_issue && `known issue: ${answerCase.known_issue}`]
          .filter(Boolean)
          .join('; '),
      });
    for (const problem of problems) record(problem.what, problem.expected, problem.actual);
    const group = byCategory.get(answerCase.category) ?? { cases: 0, passed: 0 };
    group.cases += 1;
    if (problems.length === 0) group.passed += 1;
    byCategory.set(answerCase.category, group);
    context.progress(index + 1, cases.length);
  }

  function judge(answerCase: AnswerCase, turn: TurnResponse) {
    const problems: Array<{ what: string; expected: unknown; actual: unknown }> = [];
    const answered = turn.outcome === 'answer' && !isHonestDontKnow(turn.text);
    const actual = {
      outcome: turn.outcome,
      ...(handoffReasonOf(turn) && { handoff: handoffReasonOf(turn) }),
      text: redactForReport(turn.text).slice(0, 600),
      citations: turn.citations.map((citation) => citation.documentId),
      rules: turn.rules,
    };
    if (answered === (answerCase.expect === 'answer')) totals.decisionsCorrect += 1;
    else problems.push({ what: 'decision', expected: answerCase.expect, actual });

    const cited = turn.citations.map((citation) => documents.get(citation.documentId));
    const citedOutOfForce = turn.citations
      .filter((_, position) => !cited[position]?.inForce)
      .map((citation) => citation.documentId);
    if (answerCase.expect === 'answer') {
      totals.citationChecks += 1;
      const citesExpected = turn.citations.some((citation) => answerCase.cite.includes(citation.documentId));
      if (citesExpected && citedOutOfForce.length === 0) totals.citationCorrect += 1;
      else problems.push({ what: 'citation', expected: { anyOf: answerCase.cite }, actual });
      const lowered = turn.text.toLowerCase();
      for (const fact of answerCase.facts) {
        totals.facts += 1;
        if (lowered.includes(fact.toLowerCase())) totals.factsFound += 1;
        else problems.push({ what: 'fact', expected: fact, actual });
      }
    }

    // Groundedness: figures of an answer that rests on documents must come from those documents.
    if (turn.citations.length > 0) {
      const support = [...cited.flatMap((document) => (document ? [document.body] : [])), ...disclosures];
      const unsupported = unsupportedFigures(turn.text, support);
      totals.unsupported += unsupported.length;
      if (unsupported.length > 0)
        problems.push({ what: 'unsupported figures', expected: [], actual: { ...actual, unsupported } });
    }

    const leakedFigures = figuresFoundIn(turn.text, leakFigures.keys()).map(
      (figure) => `${figure} (${leakFigures.get(figure)})`,
    );
    const forbidden = answerCase.forbidden.filter((text) =>
      turn.text.toLowerCase().includes(text.toLowerCase()),
    );
    if (leakedFigures.length + forbidden.length + citedOutOfForce.length > 0) {
      totals.leaks += 1;
      problems.push({
        what: 'out-of-force leak',
        expected: 'no figure, text or citation from a retired, draft or future document',
        actual: { ...actual, leakedFigures, forbidden, citedOutOfForce },
      });
    }
    return problems;
  }

  const ratio = (part: number, whole: number) => (whole === 0 ? 1 : part / whole);
  const declineCases = cases.filter((answerCase) => answerCase.expect === 'decline').length;
  return {
    metrics: {
      citation_accuracy: ratio(totals.citationCorrect, totals.citationChecks),
      fact_recall: ratio(totals.factsFound, totals.facts),
      refusal_accuracy: ratio(totals.decisionsCorrect, cases.length),
      unsupported_amounts: totals.unsupported,
      out_of_force_leaks: totals.leaks,
      cases: cases.length,
      decline_cases: declineCases,
    },
    failures,
    tables: [
      {
        title: `answers: ${cases.length} cases (${declineCases} must not be answered)`,
        columns: ['category', 'cases', 'passed'],
        rows: [...byCategory.entries()].map(([category, group]) => [category, group.cases, group.passed]),
      },
    ],
    provenance: {
      mode: harness.mode,
      day: harness.day,
      cases: 'evals/answers/cases.yaml',
      questions: `evals/retrieval/questions.yaml (seeded sample, seed ${context.seed})`,
      documents_cited: [...citedVersions].sort().join(', '),
      out_of_force_documents: [...documents.values()]
        .filter((document) => !document.inForce)
        .map((document) => `${document.id}@${document.version} (${document.status})`)
        .join(', '),
      policies: policyVersions(),
    },
  };
}

/** The handoff reason of a turn body, when the pipeline handed off. */
export function handoffReasonOf(turn: TurnResponse): string | undefined {
  const handoff = (turn as { handoff?: { reason?: unknown } }).handoff;
  return typeof handoff?.reason === 'string' ? handoff.reason : undefined;
}

export const suite: EvalSuite = {
  name: 'answers',
  description:
    'Final answers of the whole pipeline: citations, expected facts, refusals, figures grounded in cited documents, no out-of-force leaks',
  async run(context) {
    const harness = await openTellerHarness(context);
    try {
      return await runAnswers(context, harness);
    } finally {
      await harness.close();
    }
  },
};
