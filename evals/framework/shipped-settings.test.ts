/**
 * Evals and benchmarks measure what ships: a component built in evals/ or scripts/ with a setting
 * the server does not use fails here, unless it is marked as an alternative (reported for
 * information, never judged by a threshold).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { projectRoot } from './datasets.js';

/** The comment that marks a deliberately non-shipped build (within the three lines above it). */
const ALTERNATIVE_MARKER = 'alternative, not shipped';

/** A way of building a component, and when it matches the server's own build. */
interface BuildRule {
  readonly call: string;
  readonly why: string;
  /** The call's argument text is the shipped setting; absent means never shipped outside src/. */
  readonly shipped?: (argumentsText: string) => boolean;
}

const RULES: readonly BuildRule[] = [
  { call: 'createIntentRouter(', why: 'the server loads models/v1 through createShippedIntentRouter' },
  { call: 'new IntentRouter(', why: 'the server loads models/v1 through createShippedIntentRouter' },
  { call: 'TextClassifier.train(', why: 'the server never trains a classifier at start-up' },
  { call: 'trainRouterClassifier(', why: 'training belongs to npm run train' },
  { call: 'createKnowledgeService(', why: 'the composition root builds the knowledge service' },
  {
    call: 'EmbeddedVectorIndex.open(',
    why: 'the server fuses with weights [1, defaultDenseWeight(embedder)]',
    shipped: (text) =>
      text.includes('rrfWeights') && !/rrfK|rrfWeights:\s*\[(?!1, defaultDenseWeight)/.test(text),
  },
  {
    call: 'new Retriever(',
    why: 'the server uses the default mode and low-confidence threshold',
    shipped: (text) => !/\bmode\b|lowConfidenceThreshold/.test(text),
  },
];

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return name === 'fixtures' ? [] : sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The text between the call's opening parenthesis and its matching close. */
function argumentsOf(source: string, openAt: number): string {
  let depth = 0;
  for (let index = openAt; index < source.length; index += 1) {
    if (source[index] === '(') depth += 1;
    if (source[index] === ')') depth -= 1;
    if (depth === 0) return source.slice(openAt + 1, index);
  }
  return source.slice(openAt + 1);
}

/** Every build in `files` that differs from the server's and is not marked as an alternative. */
function unshippedBuilds(files: readonly string[]): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    const lines = source.split('\n');
    for (const rule of RULES) {
      for (let at = source.indexOf(rule.call); at >= 0; at = source.indexOf(rule.call, at + 1)) {
        const line = source.slice(0, at).split('\n').length;
        const nearby = lines.slice(Math.max(0, line - 4), line).join('\n');
        if (nearby.includes(ALTERNATIVE_MARKER)) continue;
        const openAt = at + rule.call.length - 1;
        if (rule.shipped?.(argumentsOf(source, openAt))) continue;
        problems.push(`${relative(projectRoot, file)}:${line} ${rule.call.replace(' ', '_')} — ${rule.why}`);
      }
    }
  }
  return problems;
}

describe('evals measure what ships', () => {
  it('when an eval, benchmark or script builds a component then it uses the server settings or is marked an alternative', () => {
    const files = [...sourceFiles(join(projectRoot, 'evals')), ...sourceFiles(join(projectRoot, 'scripts'))];
    expect(unshippedBuilds(files)).toEqual([]);
  });

  it('when a build differs from the server then the check names it', () => {
    const fixture = join(projectRoot, 'evals', 'framework', 'fixtures', 'unshipped-builds.ts.txt');
    const problems = unshippedBuilds([fixture]);
    expect(problems.map((problem) => problem.split(' — ')[0]!.split(' ')[1])).toEqual([
      'createIntentRouter(',
      'EmbeddedVectorIndex.open(',
      'new_Retriever(',
    ]);
  });

  it('when thresholds judge a suite then no alternative figure is judged', () => {
    const thresholds = parseYaml(
      readFileSync(join(projectRoot, 'evals', 'thresholds.yaml'), 'utf8'),
    ) as Record<string, Record<string, unknown>>;
    const judgedAlternatives = Object.entries(thresholds).flatMap(([suite, metrics]) =>
      Object.keys(metrics ?? {})
        .filter((metric) => metric.startsWith('alternative.'))
        .map((metric) => `${suite}.${metric}`),
    );
    expect(judgedAlternatives).toEqual([]);
  });

  it('when the composition root builds the router then it is the shipped one', () => {
    const root = readFileSync(join(projectRoot, 'src', 'composition', 'build-teller.ts'), 'utf8');
    expect(root).toContain('createShippedIntentRouter(');
    expect(root).not.toContain('createIntentRouter(');
  });
});
