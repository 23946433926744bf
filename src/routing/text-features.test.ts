import { describe, expect, it } from 'vitest';
import { TfidfVectorizer } from './text-features.js';

const first = ['my card was declined', 'card declined abroad', 'freeze my card'];
const second = ['send money abroad', 'transfer declined', 'what is my balance'];

describe('TfidfVectorizer', () => {
  it('when a text is transformed again then the vector is the same', () => {
    const vectorizer = new TfidfVectorizer().fit(first);
    const once = vectorizer.transform('Card declined, card frozen');
    const again = vectorizer.transform('Card declined, card frozen');
    expect(again).toEqual(once);
    expect(once.indices.length).toBeGreaterThan(0);
  });

  it('when a vectorizer is fitted again then transforms follow the new vocabulary', () => {
    const refitted = new TfidfVectorizer().fit(first);
    refitted.transform('money declined abroad');
    refitted.fit(second);
    const fresh = new TfidfVectorizer().fit(second);
    expect(refitted.transform('transfer money')).toEqual(fresh.transform('transfer money'));
    // Words only the first fit knew are forgotten, exactly as by a vectorizer fitted once.
    expect(refitted.size).toBe(fresh.size);
    expect(refitted.transform('freeze my card declined')).toEqual(fresh.transform('freeze my card declined'));
  });
});
