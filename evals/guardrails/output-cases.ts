/**
 * Runs the output-rail cases in `output-cases.yaml` (hand-written draft answers) through the
 * output rails and compares the outcome with the expectation.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { foreignPiiRail } from '../../src/guardrails/output/foreign-pii.js';
import { runOutputRails } from '../../src/guardrails/runner.js';
import type { OutputGuardrail } from '../../src/guardrails/types.js';
import type { PolicySet } from '../../src/policy/load-policies.js';
import type { RetrievedPassage } from '../../src/turn/types.js';
import type { SuiteFailure } from '../framework/types.js';

const passageSchema = z.object({
  chunkId: z.string(),
  documentId: z.string(),
  title: z.string(),
  version: z.string(),
  section: z.string(),
  product: z.string().optional(),
  text: z.string(),
});

export const outputCasesSchema = z
  .object({
    passages: z.record(z.string(), passageSchema),
    cases: z.array(
      z
        .object({
          id: z.string(),
          answer: z.string(),
          passages: z.array(z.string()),
          cite: z.array(z.string()),
          tools: z.array(z.string()).default([]),
          topic: z.string().optional(),
          foreignPii: z.array(z.string()).default([]),
          expected: z
            .object({
              action: z.enum(['allow', 'rewrite', 'refuse']),
              rule: z.string().optional(),
              contains: z.array(z.string()).default([]),
              excludes: z.array(z.string()).default([]),
            })
            .strict(),
        })
        .strict(),
    ),
  })
  .strict();

/** Runs every case; a case passes when action, rule and text expectations all hold. */
export async function runOutputCases(
  policies: PolicySet,
  rails: readonly OutputGuardrail[],
): Promise<{ accuracy: number; failures: SuiteFailure[] }> {
  const data = outputCasesSchema.parse(
    parse(readFileSync(new URL('./output-cases.yaml', import.meta.url), 'utf8')),
  );
  const failures: SuiteFailure[] = [];
  for (const entry of data.cases) {
    const lookup = (key: string): RetrievedPassage => {
      const passage = data.passages[key];
      if (!passage) throw new Error(`output-cases.yaml: case ${entry.id} names unknown passage ${key}`);
      return { ...passage, score: 1 };
    };
    // The privacy module is stubbed here by the names the case declares as someone else's.
    const caseRails = rails.map((rail) =>
      rail.name === 'foreign_pii'
        ? foreignPiiRail(policies, (text) =>
            entry.foreignPii
              .filter((name) => text.includes(name))
              .map((name) => ({
                entity: 'PERSON',
                start: text.indexOf(name),
                end: text.indexOf(name) + name.length,
              })),
          )
        : rail,
    );
    const result = await runOutputRails(caseRails, {
      answerText: entry.answer,
      citations: entry.cite.map((key) => ({ documentId: lookup(key).documentId })),
      passages: entry.passages.map(lookup),
      toolOutcomes: entry.tools.length > 0 ? [{ tool: 'accounts', status: 'ok', facts: entry.tools }] : [],
      customerText: '',
      topic: entry.topic,
    });
    const action = result.blocked ? 'refuse' : result.finalText === entry.answer ? 'allow' : 'rewrite';
    const rules = result.verdicts.filter((verdict) => verdict.tripped).map((verdict) => verdict.rule);
    const problems = [
      action !== entry.expected.action ? `action ${action}` : '',
      entry.expected.rule && !rules.includes(entry.expected.rule) ? `rules ${rules.join(',') || 'none'}` : '',
      ...entry.expected.contains
        .filter((text) => !result.finalText.includes(text))
        .map((text) => `missing "${text}"`),
      ...entry.expected.excludes
        .filter((text) => result.finalText.includes(text))
        .map((text) => `still has "${text}"`),
    ].filter(Boolean);
    if (problems.length > 0) {
      failures.push({
        id: `output.${entry.id}`,
        input: entry.answer,
        expected: entry.expected,
        actual: { problems, finalText: result.finalText, rules },
      });
    }
  }
  return { accuracy: 1 - failures.length / data.cases.length, failures };
}
