/**
 * The one list of English stop words: function words that carry no topic, plus the chat words
 * ("please", "thanks", "hi") every message has. Negations and quantity words ("not", "no", "more",
 * "over") are deliberately kept: "card not arrived" and "charged more" are topics, and an answer
 * that says "not" is not supported by a passage that does not.
 */
const STOP_WORDS: ReadonlySet<string> = new Set(
  `a about above after again against all am an and any are aren't as at be because been before being
  below between both but by can can't could couldn't did didn't do does doesn't doing don't down during
  each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's
  hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself let's
  me my myself of off on once only or other ought our ours ourselves out own same she she'd she'll
  she's should shouldn't so some such than that that's the their theirs them themselves then there
  there's these they they'd they'll they're they've this those through to too under until up very was
  wasn't we we'd we'll we're we've were weren't what what's when when's where where's which while who
  who's whom why why's with won't would wouldn't you you'd you'll you're you've your yours yourself
  yourselves also just may might must shall will please hi hello thanks thank get got`
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => word.replace(/'/g, '')),
);

/**
 * True when a lowercase word is a stop word. Apostrophes are ignored ("don't" and "dont" are the
 * same word), so callers may pass words as written.
 */
export function isStopWord(word: string): boolean {
  if (word.includes("'") || word.includes('’')) return STOP_WORDS.has(word.replace(/['’]/g, ''));
  return STOP_WORDS.has(word);
}
