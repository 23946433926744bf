/**
 * Classifier doubles for rail tests, so a test states the scores it needs instead of depending on
 * whatever the committed model happens to learn.
 */
import type { LinearClassifier } from '../classifier/linear-classifier.js';

/**
 * Scores by rules: the first rule whose `when` matches the text gives the score, else `otherwise`.
 * Records every text it was asked about.
 */
export class ScriptedClassifier implements LinearClassifier {
  readonly name = 'scripted';
  readonly seen: string[] = [];
  constructor(
    private readonly rules: readonly { when: RegExp | ((text: string) => boolean); score: number }[],
    private readonly otherwise = 0,
  ) {}

  score(text: string): number {
    this.seen.push(text);
    const matches = (when: RegExp | ((text: string) => boolean)) =>
      typeof when === 'function' ? when(text) : when.test(text);
    return this.rules.find((rule) => matches(rule.when))?.score ?? this.otherwise;
  }

  explain(): { feature: string; weight: number }[] {
    return [];
  }
}

/**
 * Behaves like a linear model on one trigger word: each occurrence adds evidence, and the total is
 * divided by the square root of the word count, so padding dilutes it as it would a real model.
 */
export class DilutingClassifier implements LinearClassifier {
  readonly name = 'diluting';
  constructor(private readonly trigger: string) {}

  score(text: string): number {
    const words = text.split(/\s+/).filter(Boolean);
    const hits = words.filter((word) => word.toLowerCase() === this.trigger).length;
    return Math.min(1, (3 * hits) / Math.sqrt(Math.max(1, words.length)));
  }

  explain(): { feature: string; weight: number }[] {
    return [];
  }
}
