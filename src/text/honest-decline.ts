/**
 * Whether a reply says Teller cannot answer rather than answering ("I don't have that
 * information…"). The grounded composer marks its own declines; a chat model's reply is read
 * with this, so a decline counts as one whichever generator wrote it (turn records, knowledge
 * gaps), and the answers eval grades declines with the same phrases.
 */
const DONT_KNOW =
  /\b(?:I don't have|I do not have|I couldn't find|I could not find|I can't find|I'm not able to answer|no approved information|not something I can answer)\b/i;

/** True when the text says Teller cannot answer rather than answering. */
export function isHonestDontKnow(text: string): boolean {
  return DONT_KNOW.test(text.replace(/\u2019/g, "'"));
}
