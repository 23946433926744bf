/** A keyword presence that answers as `includes` does and records every keyword it was asked about. */
import type { KeywordPresence } from '../text/keyword-scanner.js';

/** Answers from `text.includes`, remembering each keyword asked, so a test can see what a pre-check reads. */
export class RecordingKeywordPresence implements KeywordPresence {
  readonly asked = new Set<string>();

  constructor(private readonly text: string) {}

  has(keyword: string): boolean {
    this.asked.add(keyword);
    return this.text.includes(keyword);
  }

  hasAny(keywords: readonly string[]): boolean {
    // Every keyword is recorded, even after one is found: any of them may decide on another text.
    let found = false;
    for (const keyword of keywords) found = this.has(keyword) || found;
    return found;
  }
}
