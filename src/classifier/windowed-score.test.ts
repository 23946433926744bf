import { describe, expect, it } from 'vitest';
import { DilutingClassifier } from '../testing/scripted-classifier.js';
import { WINDOW_WORDS, windowedScore } from './windowed-score.js';

const classifier = new DilutingClassifier('jailbreak');
const padding = (words: number) => Array.from({ length: words }, (_, index) => `word${index % 50}`).join(' ');

describe('windowedScore', () => {
  it('when a text is short then it is one score of the whole text', () => {
    const text = 'please jailbreak now';
    expect(windowedScore(classifier, text)).toBe(classifier.score(text));
  });

  it.each(['start', 'middle', 'end'])(
    'when an attack sits at the %s of ~4000 characters of padding then its window still scores high',
    (position) => {
      const filler = padding(575);
      const attack = 'jailbreak jailbreak';
      const text =
        position === 'start'
          ? `${attack} ${filler}`
          : position === 'end'
            ? `${filler} ${attack}`
            : `${filler.slice(0, filler.length / 2)} ${attack} ${filler.slice(filler.length / 2)}`;
      expect(text.length).toBeGreaterThan(3900);
      expect(text.length).toBeLessThan(4000);
      // The whole text dilutes the attack below any sensible threshold; the window does not.
      expect(classifier.score(text)).toBeLessThan(0.3);
      expect(windowedScore(classifier, text)).toBeGreaterThan(0.6);
    },
  );

  it('when the text is benign padding only then no window scores', () => {
    expect(windowedScore(classifier, padding(WINDOW_WORDS * 5))).toBe(0);
  });
});
