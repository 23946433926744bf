import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../framework/datasets.js';
import { citedRelevance, loadSelectionQuestions, SPLITS } from '../suites/answer-selection.js';

/** Every `## ` section of the committed knowledge documents, as `<id>#<heading>` → lowercased text. */
function corpusSections(): Map<string, string> {
  const directory = resolve(projectRoot, 'knowledge', 'documents');
  const sections = new Map<string, string>();
  for (const file of readdirSync(directory)) {
    const documentId = file.replace(/\.md$/, '');
    const parts = readFileSync(resolve(directory, file), 'utf8').split(/^## /m).slice(1);
    for (const part of parts) {
      const [heading = '', ...body] = part.split('\n');
      sections.set(`${documentId}#${heading.trim()}`, body.join('\n').toLowerCase());
    }
  }
  return sections;
}

describe('answer-selection questions', () => {
  const sections = corpusSections();
  const splits = SPLITS.map((split) => ({ split, questions: loadSelectionQuestions(split) }));
  const all = splits.flatMap(({ questions }) => questions);

  it('hold at least 300 questions, about a third held out, with questions no document answers', () => {
    expect(all.length).toBeGreaterThanOrEqual(300);
    const test = splits.find(({ split }) => split === 'test')!.questions.length;
    expect(test / all.length).toBeGreaterThan(0.25);
    for (const { questions } of splits) {
      expect(questions.filter((question) => question.expect === 'decline').length).toBeGreaterThanOrEqual(15);
    }
  });

  it('use distinct ids and distinct wordings across both splits', () => {
    expect(new Set(all.map((question) => question.id)).size).toBe(all.length);
    expect(new Set(all.map((question) => question.q.toLowerCase().trim())).size).toBe(all.length);
  });

  it('name only sections of the committed corpus', () => {
    const unknown = all.flatMap((question) =>
      [...question.answers, ...question.related].filter((reference) => !sections.has(reference)),
    );
    expect(unknown).toEqual([]);
  });

  it('expect only facts that a section answering the question states', () => {
    const unstated = all.flatMap((question) =>
      question.facts
        .filter(
          (fact) =>
            !question.answers.some((reference) => sections.get(reference)?.includes(fact.toLowerCase())),
        )
        .map((fact) => `${question.id}: ${fact}`),
    );
    expect(unstated).toEqual([]);
  });
});

describe('citedRelevance', () => {
  const question = { answers: ['a#Answer'], related: ['a#Related'] };
  it('grades the best cited section: answering 2, related 1, anything else 0', () => {
    expect(
      citedRelevance(question, [
        { documentId: 'a', section: 'Related' },
        { documentId: 'a', section: 'Answer' },
      ]),
    ).toBe(2);
    expect(citedRelevance(question, [{ documentId: 'a', section: 'Related' }])).toBe(1);
    expect(citedRelevance(question, [{ documentId: 'b', section: 'Answer' }])).toBe(0);
    expect(citedRelevance(question, [])).toBe(0);
  });
});
